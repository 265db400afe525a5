package assets

import (
	"bytes"
	"image/png"
	"testing"
)

func TestEveryStateHasItsOwnIconAndTheAppIconIsLarge(t *testing.T) {
	seen := map[string]string{}
	for _, s := range TrayIcons() {
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
	if !bytes.Equal(TrayIcon(Setup+PausedSuffix), TrayIcon(Paused)) {
		t.Error("paused before anything is set up: the plain pause icon")
	}
}

// A paused icon keeps its state's colour: the pixels of the shield away from the badge
// are the same as the unpaused icon's, and the badge differs from it.
func TestAPausedIconKeepsItsStatesColourAndAddsAPauseMark(t *testing.T) {
	for _, s := range []string{OK, Attention, Danger} {
		plain, _ := png.Decode(bytes.NewReader(TrayIcon(s)))
		paused, _ := png.Decode(bytes.NewReader(TrayIcon(s + PausedSuffix)))
		if plain.At(20, 12) != paused.At(20, 12) {
			t.Errorf("%s: the shield's colour changed when paused: %v, %v", s, plain.At(20, 12), paused.At(20, 12))
		}
		same := 0
		for y := 40; y < 60; y++ {
			for x := 40; x < 60; x++ {
				if plain.At(x, y) == paused.At(x, y) {
					same++
				}
			}
		}
		if same > 200 {
			t.Errorf("%s: no pause badge in the lower right corner (%d of 400 pixels unchanged)", s, same)
		}
	}
}
