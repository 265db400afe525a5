// Package outlook reads contacts straight from the running Microsoft Outlook on Windows,
// through its object model, so the history no longer waits for someone to export by hand.
//
// The COM calls sit behind two small interfaces, Session and Folder, which mirror the part
// of Outlook's object model SyncGuard uses (a folder's item table with EntryID and
// LastModificationTime, and an item's properties by name). The reading, the batching, the
// incremental cache, the field mapping and every failure are plain Go and are tested on
// any system with a fake Outlook; only com_windows.go talks to Outlook itself.
//
// What it promises:
//   - It never starts Outlook and never shows it: it attaches to a running Outlook or says
//     that Outlook is not running.
//   - A read is all or nothing: Outlook closing, a folder vanishing or access being refused
//     part-way returns an error and no contacts, so a half-read folder is never taken as
//     deleted contacts.
//   - A later read fetches only the items whose LastModificationTime changed (the cache is
//     kept in the data folder), so 10,000 contacts cost seconds once and little after.
//   - Items are read in small batches with a pause between them, so Outlook stays usable.
package outlook

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Stamp is one row of a folder's item table: enough to tell whether an item changed.
type Stamp struct {
	EntryID  string
	Modified time.Time
}

// Item is one contact item with its properties by object-model name ("FirstName",
// "Email1Address", "Categories", "Sensitivity", "User1", "Body", ...). Values are text, as
// the COM layer formats them; dates are RFC 3339 dates ("2006-01-02") or empty.
type Item struct {
	EntryID  string
	Modified time.Time
	Props    map[string]string
}

// Session is an attached Outlook: its contact folders.
type Session interface {
	// Folders opens the default Contacts folder and the named subfolders of it ("Clients"
	// or "Clients/Europe"), in that order. A named folder that does not exist is an
	// ErrFolder error.
	Folders(names []string) ([]Folder, error)
	// Close releases the COM objects; it never closes Outlook.
	Close() error
}

// Folder is one contacts folder.
type Folder interface {
	// Path is the folder's name as the user sees it ("Contacts", "Contacts/Clients").
	Path() string
	// Stamps lists every contact item's EntryID and modification time (Outlook's Table:
	// one call, no item is opened).
	Stamps(ctx context.Context) ([]Stamp, error)
	// Items opens the items with these EntryIDs and reads their properties. An item
	// deleted since Stamps is simply absent from the result.
	Items(ctx context.Context, ids []string) ([]Item, error)
}

// Connector attaches to the running Outlook. Attach is the real one on Windows.
type Connector func() (Session, error)

// The failures a user or IT must be told about, each with its own words (Explain).
var (
	// ErrUnsupported: reading Outlook directly needs Windows.
	ErrUnsupported = errors.New("reading Outlook directly works only on Windows; use export files here")
	// ErrNotInstalled: no Outlook is registered on this machine.
	ErrNotInstalled = errors.New("no Microsoft Outlook is installed on this computer")
	// ErrNotRunning: Outlook is installed but not running (SyncGuard never starts it).
	ErrNotRunning = errors.New("the Outlook application is not running")
	// ErrAccessDenied: Outlook refused programmatic access (its security prompt was
	// answered "Deny", or the policy blocks it).
	ErrAccessDenied = errors.New("the Outlook application refused SyncGuard access to the contacts")
	// ErrClosed: Outlook closed or stopped answering during the read.
	ErrClosed = errors.New("the Outlook application closed while SyncGuard was reading the contacts")
	// ErrFolder: a contacts folder could not be opened.
	ErrFolder = errors.New("a contacts folder could not be opened")
)

// Explain says in plain words what an error of this package means and what to do. The
// text is for the status window and the command line alike, so it names no command.
func Explain(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrUnsupported):
		return "Reading Outlook directly works only on Windows. Here SyncGuard reads the contacts Outlook exports to a file."
	case errors.Is(err, ErrNotInstalled):
		return "Microsoft Outlook is not installed on this computer, so SyncGuard cannot read it. Export the contacts to a file and choose that file in Settings instead."
	case errors.Is(err, ErrNotRunning):
		return "Outlook is not running, so SyncGuard could not read the contacts now (it never starts Outlook itself). The last snapshot stays current; SyncGuard reads again once Outlook is open."
	case errors.Is(err, ErrAccessDenied):
		return "Outlook refused to let SyncGuard read the contacts. Outlook asks \"A program is trying to access e-mail address information\" when it does not see an up-to-date antivirus program; if someone answered Deny, or the prompt is blocked, ask IT to allow SyncGuard in Outlook's Programmatic Access settings (Trust Center, or the Group Policy \"Configure Outlook object model prompt when reading address information\")."
	case errors.Is(err, ErrClosed):
		return "Outlook closed while SyncGuard was reading the contacts. Nothing was recorded from the partial read; the last snapshot stays current."
	case errors.Is(err, ErrFolder):
		return "A contacts folder could not be opened in Outlook. Check the folder names in Settings (or in the policy), and that the folder still exists."
	}
	return "SyncGuard could not read the contacts from Outlook. The last snapshot stays current."
}

// folderError wraps a failure with the folder it happened in.
func folderError(path string, err error) error {
	return fmt.Errorf("the Outlook folder %q: %w", path, err)
}
