package assets

import (
	"bytes"
	"image/png"
	"testing"
)

func TestEveryStateHasItsOwnIconAndTheAppIconIsLarge(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, s := range []string{OK, Attention, Danger, Paused, Setup} {
		b := TrayIcon(s)
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", s, err)
		}
		if img.Bounds().Dx() != 64 || img.Bounds().Dy() != 64 {
			t.Errorf("%s: %v", s, img.Bounds())
		}
		// Transparent corners: the shield, not a square, on any panel colour.
		if _, _, _, a := img.At(0, 63).RGBA(); a != 0 {
			t.Errorf("%s: the corner is not transparent", s)
		}
		if other, dup := seen[string(b)]; dup {
			t.Errorf("%s looks exactly like %s", s, other)
		}
		seen[string(b)] = s
	}
	img, err := png.Decode(bytes.NewReader(AppIcon()))
	if err != nil || img.Bounds().Dx() != 512 {
		t.Fatalf("app icon: %v", err)
	}
	if !bytes.Equal(TrayIcon("nonsense"), TrayIcon(Setup)) {
		t.Error("an unknown state must show the set-up icon")
	}
}
