package remote_test

import (
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncguard/syncguard/app"
	"github.com/syncguard/syncguard/app/remote"
	"github.com/syncguard/syncguard/app/remote/remotetest"
	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/findings"
	"github.com/syncguard/syncguard/internal/history"
	"github.com/syncguard/syncguard/internal/ipc"
	"github.com/syncguard/syncguard/internal/testkit/books"
)

// serve starts a served service on a sandbox in dir (remotetest.Serve).
func serve(t *testing.T, dir string) (*app.Service, net.Listener, string) {
	t.Helper()
	data := filepath.Join(dir, "data")
	svc, l := remotetest.Serve(t, data)
	return svc, l, data
}

// events hands a subscriber's events to the test; the bound is against a hang, not a
// timing target.
func waitEvent(t *testing.T, ch <-chan app.Event, what string, ok func(app.Event) bool) app.Event {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case e := <-ch:
			if ok(e) {
				return e
			}
		case <-deadline:
			t.Fatalf("%s: no such event reached the subscriber", what)
		}
	}
}

func TestAWindowProcessSeesAndActsThroughTheService(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	books.WriteExport(t, export, 300)
	svc, _, data := serve(t, dir)

	c, err := remote.Dial(data)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ch := make(chan app.Event, 64)
	unsubscribe := c.Subscribe(func(e app.Event) { ch <- e })
	defer unsubscribe()

	if st := c.Status(); st.State != app.StateSetup || !st.NeedsSetup {
		t.Fatalf("before set-up, through the socket: %s %q", st.State, st.Sentence)
	}
	if err := c.SetExport(export); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(); st.State != app.StateOK || st.Counts.Contacts != 300 || st.Export != export {
		t.Fatalf("after set-up, through the socket: %s %q, %d contacts, export %q", st.State, st.Sentence, st.Counts.Contacts, st.Export)
	}

	// A device sync deletes 40 contacts; the service's snapshot reaches the subscriber
	// with its popup.
	books.WriteExport(t, export, 260)
	svc.Scan()
	e := waitEvent(t, ch, "the deletion's popup", func(e app.Event) bool { return e.Popup != nil })
	if e.Status.State != app.StateDanger || e.Popup.Findings[0].Kind != findings.MassDeletion {
		t.Fatalf("the event: %s, popup %q", e.Status.State, e.Popup.Title)
	}
	id := e.Popup.Findings[0].ID

	// The history window's questions.
	snaps, err := c.Snapshots()
	if err != nil || len(snaps) != 2 {
		t.Fatalf("snapshots: %d, %v", len(snaps), err)
	}
	d, err := c.Diff(snaps[0].ID, snaps[1].ID)
	if err != nil || len(d.Removed) != 40 || d.Removed[0].Contact == nil {
		t.Fatalf("diff: %d removed, %v", len(d.Removed), err)
	}
	vs, err := c.Versions(d.Removed[0].Key)
	if err != nil || len(vs) == 0 || vs[0].Contact.DisplayName() != d.Removed[0].Contact.DisplayName() {
		t.Fatalf("versions of %s: %+v, %v", d.Removed[0].Key, vs, err)
	}

	// Restore the finding's contacts to a file, named by this process.
	restored := filepath.Join(dir, "restore.csv")
	if n, err := c.RestoreFinding(id, restored, app.FormatFor(restored)); err != nil || n != 40 {
		t.Fatalf("restore through the socket: %d, %v", n, err)
	}
	if cs, errs, _ := exports.ReadFile(restored); len(cs) != 40 || len(errs) != 0 {
		t.Fatalf("the restore file: %d contacts, %v", len(cs), errs)
	}

	// Accepted, then reopened: the icon follows, in this process and in the subscriber.
	if f, err := c.Acknowledge(id); err != nil || f.State != findings.Acknowledged {
		t.Fatalf("acknowledge: %s, %v", f.State, err)
	}
	if st := c.Status(); st.State != app.StateOK || len(st.Accepted) != 1 {
		t.Fatalf("after acknowledging: %s, %d accepted", st.State, len(st.Accepted))
	}
	waitEvent(t, ch, "the acceptance", func(e app.Event) bool { return e.Status.State == app.StateOK })
	if f, err := c.Reopen(id); err != nil || f.State != findings.Open {
		t.Fatalf("reopen: %s, %v", f.State, err)
	}
	if st := svc.Status(); st.State != app.StateDanger {
		t.Fatalf("the service after the reopen: %s", st.State)
	}

	// An error keeps its words and, for a sentinel, its identity.
	_, err = c.Finding("no-such-id")
	if !errors.Is(err, app.ErrNoFinding) || err.Error() != mustErr(svc.Finding("no-such-id")).Error() {
		t.Fatalf("an unknown finding through the socket: %v", err)
	}
	if _, err := c.Restore(999, history.SelectAll, nil, filepath.Join(dir, "x.csv"), app.OutlookCSV); err == nil {
		t.Fatal("a restore of a snapshot that does not exist: no error")
	}

	// The tray's menu asks for a window.
	svc.ShowWindow(app.WindowHistory)
	waitEvent(t, ch, "the request for the history window", func(e app.Event) bool { return e.Show == app.WindowHistory })
}

func mustErr(_ findings.Finding, err error) error { return err }

func TestPathsAreTheCallersAndTheServiceGoingIsSeen(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "contacts.csv")
	books.WriteExport(t, export, 12)
	_, l, data := serve(t, dir)
	c, err := remote.Dial(data)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t.Chdir(dir)
	if err := c.SetExport("contacts.csv"); err != nil {
		t.Fatal(err)
	}
	if got := c.Export(); got != export {
		t.Fatalf("a path relative to the caller's folder became %q, want %q", got, export)
	}
	if n, _, err := c.ExportPreview("contacts.csv"); err != nil || n != 12 {
		t.Fatalf("preview: %d, %v", n, err)
	}

	// The service stops: the client learns it, and its status is an error, never "All good".
	l.Close()
	<-c.Done()
	// In plain words: the transport's own error is for IT (HistoryError), not the sentence.
	if st := c.Status(); st.State != app.StateError || st.Sentence != remote.ServiceGone || st.HistoryError == "" {
		t.Fatalf("the status with the service gone: %s %q (for IT: %q)", st.State, st.Sentence, st.HistoryError)
	}
	if err := c.SetNotifications(false); !errors.Is(err, remote.ErrGone) {
		t.Fatalf("a call with the service gone: %v, want ErrGone", err)
	}
	if _, err := remote.Dial(data); !errors.Is(err, ipc.ErrNoService) {
		t.Fatalf("dialing a stopped service: %v, want ipc.ErrNoService", err)
	}
}
