package cli

import (
	"fmt"
	"strings"

	"github.com/syncguard/syncguard/internal/fleet"
)

func init() {
	register(&Command{
		Name:    "fleet",
		Usage:   "fleet [--json] [--fleet DIR]",
		Summary: "the firm-wide report: devices paired with several workstations, outdated sync software, stale and unreadable files",
		Run:     runFleet,
	})
}

func runFleet(env *Env, args []string) int {
	fs := newFlags(env, commands["fleet"])
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	dir := fs.String("fleet", "", "the fleet folder (overrides the policy's fleet.folder)")
	if _, ok := parseArgs(fs, args, 0); !ok {
		return ExitFailed
	}
	svc, err := env.open()
	if err != nil {
		return failf(env, "%v", err)
	}
	defer svc.Close()
	res, err := svc.FleetReport(absPath(*dir))
	if err != nil {
		return failf(env, "%v", err)
	}
	r := res.Report
	if *asJSON {
		if err := writeJSON(env, r); err != nil {
			return failf(env, "cannot write the output: %v", err)
		}
	} else {
		printFleet(env, r)
	}
	if res.Offline {
		return ExitFailed // nothing was read: the report would claim an all-clear it does not know
	}
	return r.Worst().ExitCode()
}

func printFleet(env *Env, r fleet.Report) {
	w := env.Stdout
	fmt.Fprintf(w, "Fleet folder %s: %d workstations\n", r.Folder, r.Workstations)
	if r.FromCache {
		fmt.Fprintf(w, "  the folder could not be read now; this is the last good view, %s old (%s)\n", r.Age, r.Problem)
	} else if r.Problem != "" {
		fmt.Fprintf(w, "  %s\n", r.Problem)
	}
	fmt.Fprintf(w, "\nDevices paired with several workstations: %d\n", len(r.SharedDevices))
	for _, s := range r.SharedDevices {
		fmt.Fprintf(w, "  [%s] %s", s.Severity, s.Name)
		if s.Model != "" {
			fmt.Fprintf(w, " (%s)", s.Model)
		}
		if s.Match != "id" {
			fmt.Fprintf(w, " (matched by name and model)")
		}
		fmt.Fprintln(w)
		for _, x := range s.Workstations {
			syncs := "no InterAction sync"
			if x.InteractionSync {
				syncs = "syncs with InterAction"
			}
			fmt.Fprintf(w, "      %-24s %-20s %s, %s %s\n", x.Workstation, x.User, syncs, x.Software, x.SoftwareVersion)
		}
		if len(s.Mailboxes) > 0 {
			fmt.Fprintf(w, "      the same mailbox synced with this device from several workstations: %s\n", strings.Join(s.Mailboxes, ", "))
		}
	}
	if len(r.DirectDevices) > 0 {
		fmt.Fprintf(w, "\nPhones syncing directly with Exchange (%s): %d\n", fleet.MobileDevicesFile, len(r.DirectDevices))
		for _, d := range r.DirectDevices {
			ia := "mailbox not in the InterAction list"
			if d.InteractionSync {
				ia = "InterAction-synced mailbox"
			}
			fmt.Fprintf(w, "  %-28s %-28s %s; opened on: %s\n", d.Device, d.Mailbox, ia, strings.Join(d.Workstations, ", "))
		}
	}
	fmt.Fprintf(w, "\nOutdated sync software: %d\n", len(r.Outdated))
	for _, o := range r.Outdated {
		fmt.Fprintf(w, "  [%s] %s (%s): %s\n", o.Severity, o.Workstation, o.User, o.Reason)
	}
	fmt.Fprintf(w, "\nRisky conduit settings: %d\n", len(r.RiskySettings))
	for _, rs := range r.RiskySettings {
		fmt.Fprintf(w, "  [%s] %s (%s): %s\n", rs.Severity, rs.Workstation, rs.User, rs.Reason)
	}
	fmt.Fprintf(w, "\nFiles not written by the user they name (suspect): %d\n", len(r.Suspect))
	for _, s := range r.Suspect {
		fmt.Fprintf(w, "  [warning] %s names %s but belongs to %s\n", s.File, s.User, s.Owner)
	}
	fmt.Fprintf(w, "\nStale workstation files (ignored): %d\n", len(r.Stale))
	for _, s := range r.Stale {
		fmt.Fprintf(w, "  %s: last published %s", s.File, s.UpdatedAt.Format("2006-01-02"))
		if s.Reason != "" {
			fmt.Fprintf(w, " (%s)", s.Reason)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nUnreadable or skipped files: %d\n", len(r.Skipped))
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "  %q: %s\n", s.File, s.Reason)
	}
}
