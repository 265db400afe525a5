package cli

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/internal/policy"
	"github.com/syncguard/syncguard/internal/workstation"
)

func init() {
	register(&Command{
		Name:    "workstation",
		Usage:   "workstation set [--id ID] [--interaction-sync=true|false] [--mailbox ADDR]... [--clear-mailboxes] | workstation show [--json] [--reg FILE]... [--no-detect]",
		Summary: "name this workstation in the fleet folder and say whether its Outlook syncs with InterAction",
		Run:     runWorkstation,
	})
}

// workstationInfo is the JSON of `workstation show` and part of `check --json`.
type workstationInfo = app.WorkstationInfo

func runWorkstation(env *Env, args []string) int {
	c := commands["workstation"]
	if len(args) == 0 {
		newFlags(env, c).Usage()
		return ExitFailed
	}
	if isHelp(args[0]) {
		newFlags(env, c).Usage()
		return ExitOK
	}
	fs := newFlags(env, c)
	switch args[0] {
	case "set":
		id := fs.String("id", "", "this workstation's id: the name of its file in the fleet folder (default: the host name)")
		sync := fs.String("interaction-sync", "", "true if this workstation's Outlook syncs with InterAction, false if not")
		var mailboxes multiFlag
		fs.Var(&mailboxes, "mailbox", "an address of a mailbox this workstation's Outlook opens (repeat for several); matched against the policy's InterAction mailbox list")
		clear := fs.Bool("clear-mailboxes", false, "forget the mailboxes declared before")
		if _, ok := parseArgs(fs, args[1:], 0); !ok {
			return ExitFailed
		}
		if fs.NFlag() == 0 {
			return failf(env, "workstation set: nothing to set; give --id, --interaction-sync or --mailbox")
		}
		if *id != "" {
			if err := workstation.ValidID(*id); err != nil {
				return failf(env, "%v", err)
			}
		}
		for _, m := range mailboxes {
			if !policy.LooksLikeAddress(m) {
				return failf(env, "--mailbox=%q is not an e-mail address; write it like anna@firm.example", m)
			}
		}
		var b *bool
		if *sync != "" {
			v, err := strconv.ParseBool(*sync)
			if err != nil {
				return failf(env, "--interaction-sync=%q: write true or false", *sync)
			}
			b = &v
		}
		// One read-modify-write under the file's lock, in the service: a `workstation set`
		// running at the same time keeps its change too.
		svc, err := env.open()
		if err != nil {
			return failf(env, "%v", err)
		}
		err = svc.SetWorkstation(app.WorkstationEdit{ID: *id, InteractionSync: b, ClearMailboxes: *clear, Mailboxes: mailboxes})
		svc.Close()
		if err != nil {
			return failf(env, "%v", err)
		}
		return showWorkstation(env, false, workstation.MailboxOptions{Live: true})
	case "show":
		asJSON := fs.Bool("json", false, "print JSON for scripts")
		var regs multiFlag
		fs.Var(&regs, "reg", "a .reg export of HKCU\\Software\\Microsoft\\Office to read the Outlook profile's mailboxes from (repeatable)")
		noLive := fs.Bool("no-detect", false, "do not read this workstation's registry")
		if _, ok := parseArgs(fs, args[1:], 0); !ok {
			return ExitFailed
		}
		return showWorkstation(env, *asJSON, workstation.MailboxOptions{Live: !*noLive, RegFiles: regs})
	}
	return failf(env, "workstation: unknown action %q; use set or show", args[0])
}

func showWorkstation(env *Env, asJSON bool, opt workstation.MailboxOptions) int {
	svc, err := env.open()
	if err != nil {
		return failf(env, "%v", err)
	}
	defer svc.Close()
	opt.RegFiles = absAll(opt.RegFiles)
	info, err := svc.WorkstationInfo(opt)
	if err != nil {
		return failf(env, "%v", err)
	}
	if asJSON {
		if err := writeJSON(env, info); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "workstation id:   %s (from the %s)\n", info.ID, info.IDSource)
	fmt.Fprintf(env.Stdout, "InterAction sync: %s\n", describeSync(info.InteractionSync))
	if len(info.InteractionSync.Mailboxes) == 0 {
		fmt.Fprintf(env.Stdout, "mailboxes:        none known (declare them with: syncguard workstation set --mailbox ADDRESS)\n")
	}
	for i, m := range info.InteractionSync.Mailboxes {
		label := "mailboxes:       "
		if i > 0 {
			label = "                 "
		}
		in := ""
		if slices.Contains(info.InteractionSync.Matched, m.Address) {
			in = ", in the InterAction mailbox list"
		}
		fmt.Fprintf(env.Stdout, "%s %s (from %s%s%s)\n", label, m.Address, mailboxSourceWords(m.Source), cmpDetail(m.Detail), in)
	}
	if l := info.InteractionSync.List; l != "" {
		fmt.Fprintf(env.Stdout, "mailbox list:     %s\n", l)
	}
	for _, p := range info.Problems {
		fmt.Fprintf(env.Stdout, "problem:          %s\n", p)
	}
	return ExitOK
}

func describeSync(s workstation.Sync) string {
	if !s.Known {
		return "unknown; " + s.Detail
	}
	v := "no"
	if s.Value {
		v = "yes"
	}
	from := map[string]string{"policy": "the admin policy", "mailbox-list": "the mailbox list", "add-in": "the InterAction Outlook add-in", "user": "your setting"}[s.Source]
	if s.Detail != "" {
		from += ", " + s.Detail
	}
	return v + " (from " + from + ")"
}

func mailboxSourceWords(src string) string {
	switch src {
	case "outlook profile":
		return "the Outlook profile"
	case "registry export":
		return "a registry export"
	case "user":
		return "your setting"
	}
	return src
}

func cmpDetail(d string) string {
	if d == "" {
		return ""
	}
	return ": " + d
}
