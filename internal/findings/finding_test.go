package findings

import (
	"strings"
	"testing"
	"time"
)

// Windows list findings by the harm they describe: contacts already lost, then about to
// be lost, then settings, notes last; a danger about a setting does not come before a
// warning about lost contacts.
func TestSortByHarmPutsLostContactsFirst(t *testing.T) {
	now := time.Now()
	fs := []Finding{
		{Kind: OutdatedSoftware, Severity: Danger, Title: "setting-danger"},
		{Kind: ConduitSetting, Severity: Info, Title: "note"},
		{Kind: MultiWorkstation, Severity: Danger, Title: "at-risk"},
		{Kind: CategoryLoss, Severity: Warning, Title: "lost-warning"},
		{Kind: MassDeletion, Severity: Danger, Title: "lost-danger-few", Contacts: make([]ContactRef, 12)},
		{Kind: CategoryCollapse, Severity: Danger, Title: "lost-danger-many", Contacts: make([]ContactRef, 40), LastSeen: now},
	}
	SortByHarm(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.Title)
	}
	want := "lost-danger-many lost-danger-few lost-warning at-risk setting-danger note"
	if strings.Join(got, " ") != want {
		t.Errorf("order:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestOnlyKindsThatLoseContactsAreLostData(t *testing.T) {
	for _, k := range AllKinds {
		lost := k.LostData()
		want := k.Harm() == HarmLost && k != Duplicates
		if lost != want {
			t.Errorf("%s: LostData %v, want %v", k, lost, want)
		}
	}
}
