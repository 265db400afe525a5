// Package desktop tells whether this process can open windows and a tray icon: on Linux
// and the BSDs, whether a graphical session (X11 or Wayland) is there to connect to. The
// tray app asks before starting Fyne, whose GLFW driver otherwise panics with a stack trace
// where a person expected one line saying what is wrong ("NotInitialized: The GLFW
// library is not initialized"). It speaks no X11 protocol and links no Xlib: connecting to
// the display's socket is enough to tell a live session from a stale variable.
package desktop

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// ErrNoSession is the error Check returns when there is no desktop session to show the
// tray in. Check's error is one line for a person at a terminal, naming what works
// without a desktop: the command line.
var ErrNoSession = errors.New("the tray app needs a desktop session")

// hint is what Check's error ends with.
const hint = "without one, use the command line: syncguard help"

// env is what Check reads of the process: its variables and a way to connect, so that the
// test can give it any display without one being there.
type env struct {
	getenv func(string) string
	dial   func(network, address string) (net.Conn, error)
}

var process = env{
	getenv: os.Getenv,
	dial: func(network, address string) (net.Conn, error) {
		return net.DialTimeout(network, address, 2*time.Second)
	},
}

// Check returns nil where windows can be opened: always on Windows and macOS, where the
// session is the desktop; on Linux and the BSDs, when DISPLAY names an X server that
// accepts a connection or WAYLAND_DISPLAY a compositor that does. Otherwise it returns an
// error wrapping ErrNoSession that says what was found.
func Check() error {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "android", "js", "wasip1":
		return nil
	}
	return check(process)
}

func check(e env) error {
	display, wayland := e.getenv("DISPLAY"), e.getenv("WAYLAND_DISPLAY")
	if display == "" && wayland == "" {
		return fmt.Errorf("%w (neither DISPLAY nor WAYLAND_DISPLAY is set); %s", ErrNoSession, hint)
	}
	var problems []string
	if display != "" {
		if err := dialX(e, display); err != nil {
			problems = append(problems, fmt.Sprintf("the X display %s does not answer: %v", display, err))
		} else {
			return nil
		}
	}
	if wayland != "" {
		if err := dialWayland(e, wayland); err != nil {
			problems = append(problems, fmt.Sprintf("the Wayland display %s does not answer: %v", wayland, err))
		} else {
			return nil
		}
	}
	return fmt.Errorf("%w (%s); %s", ErrNoSession, strings.Join(problems, "; "), hint)
}

// dialX connects to the X server DISPLAY names: "[host]:N[.S]" where an empty host or
// "unix" means the local socket /tmp/.X11-unix/XN (Linux also offers it in the abstract
// namespace), another host TCP port 6000+N (an X forwarded over SSH: localhost:10.0), and
// a path (macOS's launchd, XQuartz) that socket itself.
func dialX(e env, display string) error {
	if strings.HasPrefix(display, "/") {
		host := display
		if i := strings.LastIndexByte(display, ':'); i > 0 {
			host = display[:i]
		}
		return tryDial(e, "unix", host)
	}
	i := strings.LastIndexByte(display, ':')
	if i < 0 {
		return fmt.Errorf("it is not of the form host:number")
	}
	host, num := display[:i], display[i+1:]
	if j := strings.IndexByte(num, '.'); j >= 0 {
		num = num[:j]
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 65535-6000 {
		return fmt.Errorf("%q is not a display number", num)
	}
	host = strings.TrimPrefix(host, "unix/") // "unix/:0" is the local socket too
	if host == "" || host == "unix" {
		sock := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
		if runtime.GOOS == "linux" {
			if tryDial(e, "unix", "@"+sock) == nil {
				return nil
			}
		}
		return tryDial(e, "unix", sock)
	}
	return tryDial(e, "tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)))
}

// dialWayland connects to the compositor's socket: WAYLAND_DISPLAY itself where it is a
// path, else that name in XDG_RUNTIME_DIR.
func dialWayland(e env, name string) error {
	path := name
	if !filepath.IsAbs(name) {
		dir := e.getenv("XDG_RUNTIME_DIR")
		if dir == "" {
			return fmt.Errorf("XDG_RUNTIME_DIR is not set")
		}
		path = filepath.Join(dir, name)
	}
	return tryDial(e, "unix", path)
}

func tryDial(e env, network, address string) error {
	c, err := e.dial(network, address)
	if err != nil {
		return err
	}
	return c.Close()
}
