package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/exports"
)

func init() {
	register(&Command{
		Name:    "scan",
		Usage:   "scan [--json] PATH",
		Summary: "read an export file or folder, without touching history, and list its contacts and errors",
		Run:     runScan,
	})
}

// scanOutput is the public JSON contract of `scan --json` (DESIGN.md §5).
type scanOutput struct {
	Location *exports.Location     `json:"location,omitempty"`
	Contacts []*contacts.Contact   `json:"contacts"`
	Errors   []exports.FileError   `json:"errors"`
	Files    []exports.FileSummary `json:"files"`
}

func runScan(env *Env, args []string) int {
	c := commands["scan"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	pos, ok := parseArgs(fs, args, 1)
	if !ok {
		return ExitFailed
	}
	loc, res, err := exports.Read(pos[0])
	if err != nil {
		if *asJSON {
			writeJSON(env, scanOutput{Contacts: []*contacts.Contact{}, Errors: []exports.FileError{{File: pos[0], Message: err.Error()}}, Files: []exports.FileSummary{}})
		}
		return failf(env, "%v", err)
	}
	if res.Contacts == nil {
		res.Contacts = []*contacts.Contact{}
	}
	if *asJSON {
		if err := writeJSON(env, scanOutput{Location: &loc, Contacts: res.Contacts, Errors: res.Errors, Files: res.Files}); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
	} else {
		printScan(env, loc, res)
	}
	switch {
	case len(res.Contacts) == 0 && len(res.Errors) > 0:
		return ExitFailed
	case len(res.Errors) > 0:
		return ExitWarning
	}
	return ExitOK
}

func printScan(env *Env, loc exports.Location, res exports.Result) {
	w := env.Stdout
	fmt.Fprintf(w, "%s: %s\n", loc.Path, loc.Description)
	byFormat := map[exports.Format]int{}
	for _, f := range res.Files {
		byFormat[f.Format] += f.Contacts
	}
	if len(res.Files) <= 20 {
		for _, f := range res.Files {
			enc := ""
			if f.Encoding != "" {
				enc = ", " + f.Encoding
			}
			fmt.Fprintf(w, "  %-40s %-16s %6d contacts%s\n", filepath.Base(f.Path), f.Format, f.Contacts, enc)
		}
	}
	fmt.Fprintf(w, "%d contacts from %d files", len(res.Contacts), len(res.Files))
	if len(byFormat) > 0 {
		fmt.Fprint(w, " (")
		first := true
		for _, f := range []exports.Format{exports.FormatVCard, exports.FormatOutlookCSV, exports.FormatGoogleCSV, exports.FormatThunderbirdCSV, exports.FormatCSV, exports.FormatUnknown} {
			if n, ok := byFormat[f]; ok {
				if !first {
					fmt.Fprint(w, ", ")
				}
				fmt.Fprintf(w, "%s: %d", f, n)
				first = false
			}
		}
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
	if len(loc.Skipped) > 0 {
		fmt.Fprintf(w, "%d entries not read:\n", len(loc.Skipped))
		for _, s := range loc.Skipped {
			fmt.Fprintf(w, "  %s: %s\n", s.Path, s.Reason)
		}
	}
	if len(res.Errors) > 0 {
		fmt.Fprintf(w, "%d problems:\n", len(res.Errors))
		for _, e := range res.Errors {
			fmt.Fprintf(w, "  %s\n", e.Error())
		}
	}
}

// writeJSON prints v as indented JSON followed by a newline.
func writeJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
