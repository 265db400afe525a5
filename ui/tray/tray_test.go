package tray

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fyne-io/image/ico"

	"github.com/syncguard/syncguard/assets"
)

// The service process loads no Fyne: no Fyne app, no OpenGL, no GLFW, whatever the
// binary it is linked into holds. The package's whole import graph is the proof.
func TestTheTrayImportsNoFyne(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to list the imports with")
	}
	for _, goos := range []string{"linux", "windows"} {
		cmd := exec.Command(goCmd, "list", "-deps", ".")
		cmd.Env = append(os.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps (GOOS=%s): %v", goos, err)
		}
		deps := strings.Fields(string(out))
		for _, d := range deps {
			if strings.HasPrefix(d, "fyne.io/fyne/") || strings.Contains(d, "go-gl/") {
				t.Errorf("GOOS=%s: ui/tray imports %s", goos, d)
			}
		}
		if !slices.Contains(deps, "fyne.io/systray") {
			t.Errorf("GOOS=%s: ui/tray does not import fyne.io/systray: %v", goos, deps)
		}
	}
}

// Windows' systray loads its icon as an ICO file: every state's icon, wrapped, reads back
// (with an ICO reader of its own) as the same picture as the PNG.
func TestEveryTrayIconReadsBackFromItsICO(t *testing.T) {
	for _, name := range assets.TrayIcons() {
		want, err := png.Decode(bytes.NewReader(assets.TrayIcon(name)))
		if err != nil {
			t.Fatal(name, err)
		}
		got, err := ico.Decode(bytes.NewReader(icoOfPNG(assets.TrayIcon(name))))
		if err != nil {
			t.Errorf("%s: the ICO does not read: %v", name, err)
			continue
		}
		if !samePixels(got, want) {
			t.Errorf("%s: the ICO's picture differs from the PNG's", name)
		}
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

// The windows' process is this program, on this service's data folder and policy, with
// the window's name; the demo's windows are told they show the sandbox.
func TestTheWindowProcessIsThisProgramOnTheSameData(t *testing.T) {
	t.Setenv("SYNCGUARD_E2E_LAYOUT", "/tmp/layout")
	cmd := windowCommand("/opt/syncguard/syncguard", Options{DataDir: "/d", PolicyFile: "/p.toml", Demo: true})("history")
	if want := []string{"/opt/syncguard/syncguard", "--data", "/d", "--policy", "/p.toml", "window", "history"}; !slices.Equal(cmd.Args, want) {
		t.Errorf("args %q, want %q", cmd.Args, want)
	}
	if !slices.Contains(cmd.Env, DemoEnv+"=1") || !slices.Contains(cmd.Env, "SYNCGUARD_E2E_LAYOUT=/tmp/layout") {
		t.Errorf("the window process's environment lacks the demo or the service's own variables: %q", cmd.Env)
	}
	cmd = windowCommand("/s", Options{DataDir: filepath.FromSlash("/d")})("status")
	if want := []string{"/s", "--data", "/d", "window", "status"}; !slices.Equal(cmd.Args, want) || slices.Contains(cmd.Env, DemoEnv+"=1") {
		t.Errorf("args %q (demo %v), want %q and no demo", cmd.Args, slices.Contains(cmd.Env, DemoEnv+"=1"), want)
	}
}
