package rules

import (
	"strings"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
)

func TestCategoryCollapse(t *testing.T) {
	t.Parallel()
	keepFirst := func(c *contacts.Contact) { c.Categories = c.Categories[:1] }
	runRule(t, categoryCollapse, []ruleCase{
		{"2 collapsed: below 3", every(100, 2, keepFirst), ""},
		{"3 collapsed", every(100, 3, keepFirst), "category-collapse/danger" + keysFirst(3)},
		{"three categories down to one", func() diffChange {
			ch := every(100, 3, func(c *contacts.Contact) { c.Categories = []string{"VIP"} })
			for i := range ch.Changed {
				ch.Changed[i].Old.Categories = []string{"Clients", "VIP", "Holiday Card List"}
			}
			return ch
		}(), "category-collapse/danger" + keysFirst(3)},
		{"kept the second one", every(100, 3, func(c *contacts.Contact) { c.Categories = c.Categories[1:] }), "category-collapse/danger" + keysFirst(3)},
		{"down to one that was never there is not a collapse", every(100, 3, func(c *contacts.Contact) { c.Categories = []string{"Prospects"} }), ""},
		{"down to none is not a collapse", every(100, 3, func(c *contacts.Contact) { c.Categories = nil }), ""},
		{"only case changed", every(100, 5, func(c *contacts.Contact) { c.Categories = []string{"clients", "vip"} }), ""},
		{"a category added", every(100, 5, func(c *contacts.Contact) { c.Categories = append(c.Categories, "Experts") }), ""},
	})
}

func TestCategoryLoss(t *testing.T) {
	t.Parallel()
	runRule(t, categoryLoss, []ruleCase{
		{"one fused category is already a danger", every(100, 1, func(c *contacts.Contact) { c.Categories = []string{"Clients; VIP"} }),
			"category-loss/danger" + keysFirst(1)},
		{"fused with a comma", every(100, 2, func(c *contacts.Contact) { c.Categories = []string{"Clients,VIP"} }),
			"category-loss/danger" + keysFirst(2)},
		{"a real category with a comma in its name", every(100, 2, func(c *contacts.Contact) {
			c.Categories = append(c.Categories, "Smith, Jones & Co")
		}), ""},
		{"categories removed from 5", every(100, 5, func(c *contacts.Contact) { c.Categories = nil }), "category-loss/warning" + keysFirst(5)},
		{"categories removed from 4: a person tidying up", every(100, 4, func(c *contacts.Contact) { c.Categories = nil }), ""},
		{"collapsed contacts belong to category-collapse", every(100, 5, func(c *contacts.Contact) { c.Categories = c.Categories[:1] }), ""},
		{"a category renamed on 3", every(100, 3, func(c *contacts.Contact) { c.Categories = []string{"Clients", "Key Clients"} }), ""},
	})
}

func TestCategoryCollapseTitle(t *testing.T) {
	t.Parallel()
	ch := every(100, 4, func(c *contacts.Contact) { c.Categories = []string{"VIP"} })
	ch.Changed[0].Old.Categories = []string{"Clients", "VIP", "Holiday Card List"}
	fs := categoryCollapse(&Input{Change: ch, Policy: defaultPolicy()})
	if len(fs) != 1 || fs[0].Title != "4 contacts lost their other categories" ||
		!strings.Contains(fs[0].Explanation, `most often "VIP"`) || !strings.Contains(fs[0].Explanation, "may be the cause") {
		t.Errorf("%+v", fs)
	}
}
