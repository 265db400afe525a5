package assets

import (
	"bytes"
	"image/png"
	"testing"
)

func TestIconsArePNGsThatDifferPerState(t *testing.T) {
	seen := map[string]string{}
	for _, s := range []string{OK, Attention, Danger, Paused, Setup} {
		b := TrayIcon(s)
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", s, err)
		}
		if img.Bounds().Dx() != 64 {
			t.Errorf("%s: %d px", s, img.Bounds().Dx())
		}
		if other, dup := seen[string(b)]; dup {
			t.Errorf("%s looks exactly like %s", s, other)
		}
		seen[string(b)] = s
	}
	if _, err := png.Decode(bytes.NewReader(AppIcon())); err != nil {
		t.Fatal(err)
	}
}
