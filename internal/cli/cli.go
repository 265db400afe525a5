// Package cli is SyncGuard's command line: one file per verb (cmd_<verb>.go), each a thin
// printer over the internal packages, with a text form for people and a --json form for
// IT scripts. It imports no GUI toolkit, so every command is tested with CGO_ENABLED=0;
// cmd/syncguard hands it the function that starts the tray app.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/syncguard/syncguard/internal/datadir"
	"github.com/syncguard/syncguard/internal/history"
)

// Exit codes of DESIGN.md §5: check and snapshot exit by the worst severity they found.
const (
	ExitOK      = 0
	ExitWarning = 1
	ExitDanger  = 2
	ExitFailed  = 3
)

// Env is what every command gets: where to print, and the global options.
type Env struct {
	Stdout, Stderr io.Writer
	// Stdin answers a confirmation; nil when no one can answer (not a terminal, a test).
	Stdin io.Reader
	// DataDir is --data DIR, or the platform's per-user data folder.
	DataDir string
	// PolicyFile is --policy FILE, or "" for the machine-wide policy path.
	PolicyFile string
	// Demo is set by syncguard demo: the tray runs on a sandbox and must not read this
	// computer's device registry nor change how it starts (the Run key, autostart).
	Demo bool
	// StartTray starts the tray app; nil where the binary was built without a GUI.
	StartTray func(env *Env, args []string) error
}

// Command is one verb.
type Command struct {
	Name    string
	Usage   string // "scan [--json] PATH"
	Summary string
	Run     func(env *Env, args []string) int
}

var commands = map[string]*Command{}

// register adds a verb; each cmd_<verb>.go calls it from init.
func register(c *Command) { commands[c.Name] = c }

// Main runs the command line and returns the exit code.
func Main(args []string, stdout, stderr io.Writer, startTray func(env *Env, args []string) error) int {
	return mainIO(args, nil, stdout, stderr, startTray)
}

// mainIO is Main with a standard input a person may answer a confirmation on (nil: no one
// can; scripts pass --yes).
func mainIO(args []string, stdin io.Reader, stdout, stderr io.Writer, startTray func(env *Env, args []string) error) int {
	// Every byte printed is escaped (escape.go): names and paths come from files others wrote.
	out, errw := &escapingWriter{w: stdout}, &escapingWriter{w: stderr}
	defer out.flush()
	defer errw.flush()
	return mainWith(&Env{Stdout: out, Stderr: errw, Stdin: stdin, StartTray: startTray}, args)
}

func mainWith(env *Env, args []string) int {
	global := flag.NewFlagSet("syncguard", flag.ContinueOnError)
	global.SetOutput(env.Stderr)
	global.StringVar(&env.DataDir, "data", "", "folder for the database, settings and logs (default: your per-user data folder)")
	global.StringVar(&env.PolicyFile, "policy", "", "admin policy file (default: the machine-wide policy)")
	global.Usage = func() { usage(env.Stderr) }
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitFailed
	}
	given := map[string]bool{}
	global.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, name := range []string{"data", "policy"} {
		// An empty value is a script's unset variable: falling back to the real data folder
		// (or the machine's policy) would touch what the script meant to keep apart.
		if v := global.Lookup(name).Value.String(); given[name] && strings.TrimSpace(v) == "" {
			fmt.Fprintf(env.Stderr, "syncguard: --%s is empty; give a folder or file, or leave the option out for the default\n", name)
			return ExitFailed
		}
	}
	if env.DataDir == "" {
		d, err := datadir.Default()
		if err != nil {
			fmt.Fprintln(env.Stderr, "syncguard:", err)
			return ExitFailed
		}
		env.DataDir = d
	}
	rest := global.Args()
	if len(rest) == 0 {
		if env.StartTray == nil {
			fmt.Fprintln(env.Stderr, "syncguard: this build has no tray app; run a command (syncguard help)")
			return ExitFailed
		}
		if err := env.StartTray(env, nil); err != nil {
			fmt.Fprintln(env.Stderr, "syncguard:", err)
			return ExitFailed
		}
		return ExitOK
	}
	name := rest[0]
	if name == "help" || name == "-h" || name == "--help" {
		if len(rest) > 1 {
			if c, ok := commands[rest[1]]; ok {
				fmt.Fprintf(env.Stdout, "usage: syncguard %s\n\n%s\n", c.Usage, c.Summary)
				return ExitOK
			}
		}
		usage(env.Stdout)
		return ExitOK
	}
	if name == windowCommand.Name {
		return runGuarded(env, windowCommand, rest[1:])
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "syncguard: unknown command %q; run 'syncguard help' for the list\n", name)
		return ExitFailed
	}
	return runGuarded(env, c, rest[1:])
}

// runGuarded runs a command so that a panic (or a fault on a mapped file, which is made a
// panic here) ends it as a failure, exit 3, with what went wrong: Go's own exit status for
// a panic is 2, which would read as "danger found".
func runGuarded(env *Env, c *Command, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "syncguard %s: internal error: %v; nothing more was done. Please report it with this:\n%s", c.Name, r, debug.Stack())
			code = ExitFailed
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return c.Run(env, args)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: syncguard [--data DIR] [--policy FILE] [COMMAND [ARGS]]")
	fmt.Fprintln(w, "\nWith no command, SyncGuard starts its tray app. Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	// A usage too long for the column goes on its own line, the summary indented below it,
	// so that the summaries stay one readable column.
	for _, n := range names {
		c := commands[n]
		if len(c.Usage) > 44 {
			fmt.Fprintf(w, "  %s\n  %-44s %s\n", c.Usage, "", c.Summary)
			continue
		}
		fmt.Fprintf(w, "  %-44s %s\n", c.Usage, c.Summary)
	}
}

// isHelp reports an argument that asks for a command's usage.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// newFlags makes a verb's flag set that prints its usage to stderr on error.
func newFlags(env *Env, c *Command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: syncguard %s\n\n%s\n", c.Usage, c.Summary)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterleaved parses flags that may come after positional arguments
// ("scan PATH --json" as well as "scan --json PATH") and returns the positionals.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseArgs parses a verb's flags and checks that it got exactly want positional arguments
// (any number when want < 0); on a mistake it prints the usage.
func parseArgs(fs *flag.FlagSet, args []string, want int) ([]string, bool) {
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, false
	}
	if want >= 0 && len(pos) != want {
		fs.Usage()
		return nil, false
	}
	return pos, true
}

// failf prints an error for the command and returns ExitFailed. An error from a damaged
// history says how to salvage it.
func failf(env *Env, format string, a ...any) int {
	msg := fmt.Sprintf(format, a...)
	for _, x := range a {
		if err, ok := x.(error); ok && errors.Is(err, history.ErrDamaged) {
			msg += "; 'syncguard doctor' salvages every snapshot and contact that can still be read"
			break
		}
	}
	fmt.Fprintln(env.Stderr, "syncguard: "+strings.TrimRight(msg, "\n"))
	return ExitFailed
}

// Run is the entry point for cmd/syncguard. A command runs in a child process of the same
// program (see supervise), so that even a crash it cannot recover from exits 3.
func Run(startTray func(env *Env, args []string) error) int {
	args := os.Args[1:]
	if isSupervisedChild() || !needsSupervisor(args) {
		return runChild(args, startTray)
	}
	exe, err := os.Executable()
	if err != nil {
		return mainIO(args, terminalStdin(), os.Stdout, os.Stderr, startTray)
	}
	return supervise(exe, nil, args, os.Stdin, os.Stdout, os.Stderr)
}

// terminalStdin is the standard input when a person is at a terminal, who can answer a
// confirmation; nil otherwise.
func terminalStdin() io.Reader {
	if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		return os.Stdin
	}
	return nil
}
