package desktop

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeEnv gives check the variables vars and accepts connections only to the addresses
// in live, recording every address tried.
func fakeEnv(vars map[string]string, live ...string) (env, *[]string) {
	var tried []string
	return env{
		getenv: func(k string) string { return vars[k] },
		dial: func(network, address string) (net.Conn, error) {
			tried = append(tried, network+" "+address)
			for _, l := range live {
				if l == network+" "+address {
					a, b := net.Pipe()
					b.Close()
					return a, nil
				}
			}
			return nil, errors.New("connection refused")
		},
	}, &tried
}

func TestCheck(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("X11 and Wayland sessions are Linux's and the BSDs'; on Windows the tray needs no check (Check says yes)")
	}
	cases := []struct {
		name string
		vars map[string]string
		live []string
		ok   bool
		says string
	}{
		{"no variables", nil, nil, false, "neither DISPLAY nor WAYLAND_DISPLAY is set"},
		{"local X display", map[string]string{"DISPLAY": ":0"}, []string{"unix /tmp/.X11-unix/X0"}, true, ""},
		{"local X display with a screen", map[string]string{"DISPLAY": "unix:12.0"}, []string{"unix /tmp/.X11-unix/X12"}, true, ""},
		{"X forwarded over SSH", map[string]string{"DISPLAY": "localhost:10.0"}, []string{"tcp localhost:6010"}, true, ""},
		{"XQuartz's launchd socket", map[string]string{"DISPLAY": "/private/tmp/launchd-1/org.xquartz:0"}, []string{"unix /private/tmp/launchd-1/org.xquartz"}, true, ""},
		{"a stale DISPLAY", map[string]string{"DISPLAY": ":99"}, nil, false, "the X display :99 does not answer"},
		{"a DISPLAY that is no display", map[string]string{"DISPLAY": "garbage"}, nil, false, "not of the form host:number"},
		{"Wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_RUNTIME_DIR": "/run/user/1000"}, []string{"unix /run/user/1000/wayland-0"}, true, ""},
		{"Wayland without its runtime folder", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, nil, false, "XDG_RUNTIME_DIR is not set"},
		{"a stale DISPLAY beside a live Wayland", map[string]string{"DISPLAY": ":5", "WAYLAND_DISPLAY": "/run/w"}, []string{"unix /run/w"}, true, ""},
	}
	for _, tc := range cases {
		e, tried := fakeEnv(tc.vars, tc.live...)
		err := check(e)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v (tried %v); want ok=%v", tc.name, err, *tried, tc.ok)
			continue
		}
		if err != nil && (!errors.Is(err, ErrNoSession) || !strings.Contains(err.Error(), tc.says) || strings.Contains(err.Error(), "\n")) {
			t.Errorf("%s: %q; want one line wrapping ErrNoSession that says %q", tc.name, err, tc.says)
		}
	}
}

// TestCheckConnects: with the real dialer, a display whose socket listens is a session,
// and the same path with nothing listening is not.
func TestCheckConnects(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the display check is for Linux and the BSDs; on Windows the desktop is always there (Check returns nil)")
	}
	dir, err := os.MkdirTemp("", "sgx") // short: a socket path has a length limit
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "X")
	vars := map[string]string{"WAYLAND_DISPLAY": sock}
	e := env{getenv: func(k string) string { return vars[k] }, dial: process.dial}
	if err := check(e); err == nil {
		t.Fatal("a socket path with nothing listening was taken for a session")
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := check(e); err != nil {
		t.Errorf("a listening socket: %v", err)
	}
}

// TestCheckAcceptsALiveXDisplay: the X server this run has (make test runs inside Xvfb) is
// taken for a session through its real socket.
func TestCheckAcceptsALiveXDisplay(t *testing.T) {
	t.Parallel()
	d := os.Getenv("DISPLAY")
	if d == "" || runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("no X display in this run (make test runs the tests inside Xvfb)")
	}
	e := env{getenv: func(k string) string { return map[string]string{"DISPLAY": d}[k] }, dial: process.dial}
	if err := check(e); err != nil {
		t.Errorf("the live display %s: %v", d, err)
	}
}
