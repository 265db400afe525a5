// Package gen generates realistic address books, deterministic by seed, shaped like a law
// firm's: clients, opposing counsel, experts, holiday card lists, several categories per
// contact, Outlook's Mileage set on some, several e-mails and phones, long notes and
// non-ASCII names. Tests, scenarios and benchmarks use it; it writes files the way Outlook
// writes them (vCard 2.1 with QUOTED-PRINTABLE notes, one contact per file) so that the
// readers are measured on the input they really get.
package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/syncguard/syncguard/internal/contacts"
)

var (
	givenNames = []string{"John", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda",
		"David", "Elizabeth", "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica", "Charles", "Sarah",
		"José", "María", "François", "Zoë", "Jürgen", "Søren", "Łukasz", "Ångström", "Renée", "Björn",
		"Hiroshi", "Mei", "Aoife", "Siobhán", "Nuño", "Chloé", "Dvořák", "Émile", "Ines", "Omar", "Priya", "Wei"}
	familyNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
		"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
		"Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sánchez", "Müller",
		"Schröder", "O'Brien", "Nguyen", "Kowalski", "Øvergaard", "Dubois", "Rossi", "Yamamoto", "Núñez",
		"Van der Berg", "MacDonald", "Fitzgerald", "Papadopoulos", "Ivanović", "Çelik"}
	firms = []string{"Baker & Hostetler LLP", "Wachtell, Lipton, Rosen & Katz", "Acme Holdings Inc.",
		"Globex Corporation", "Initech", "Umbrella Insurance Co.", "Stark Industries", "Wayne Enterprises",
		"Cravath, Swaine & Moore", "Sullivan & Cromwell", "Müller & Partner GmbH", "Société Générale",
		"Superior Court of California", "First National Bank", "Blue Ridge Medical Group", "Harbor Freight Logistics"}
	departments = []string{"", "", "Litigation", "Corporate", "Legal", "Finance", "Tax", "Real Estate", "Clerk's Office"}
	titles      = []string{"", "Partner", "Associate", "General Counsel", "CFO", "Paralegal", "Judge", "Clerk",
		"Managing Director", "Expert Witness", "Of Counsel", "Vice President"}
	// Categories a law firm keeps in Outlook and InterAction.
	Categories = []string{"Clients", "Opposing Counsel", "Holiday Card List", "VIP", "Referral Sources",
		"Experts", "Court Staff", "Co-Counsel", "Prospects", "Alumni", "Personal"}
	cities = []struct{ city, region, zip, country string }{
		{"New York", "NY", "10017", "United States of America"}, {"Chicago", "IL", "60603", "United States of America"},
		{"San Francisco", "CA", "94105", "United States of America"}, {"Boston", "MA", "02110", "United States of America"},
		{"Toronto", "ON", "M5H 2N2", "Canada"}, {"London", "", "EC2V 7HH", "United Kingdom"},
		{"München", "Bayern", "80331", "Deutschland"}, {"Montréal", "QC", "H3B 4W8", "Canada"},
	}
	streets = []string{"Park Avenue", "Wacker Drive", "Market Street", "State Street", "Bay Street",
		"Cheapside", "Maximilianstraße", "Rue Sainte-Catherine", "Lexington Ave", "Main Street"}
	noteLines = []string{
		"Met at the ABA annual meeting; prefers e-mail over phone.",
		"Assistant: Karen (ext. 2231). Send engagement letters to the assistant.",
		"Matter 2019-0442: settlement conference scheduled; conflict check cleared.",
		"Do not call before 9 a.m. Pacific.",
		"Referred by Jane Doe at Globex. Holiday card: yes, family of four.",
		"Spouse: Alex. Kids at Stanford. Golf partner of the managing partner.",
		"Retained as damages expert in Acme v. Initech; CV on file.",
		"Billing contact for the Wayne Enterprises matters — invoices quarterly.",
		"Bevorzugt Korrespondenz auf Deutsch; Sekretariat: Frau Weiß.",
		"Opposing counsel in the Stark arbitration; all contact through counsel only.",
	}
)

// Book generates n contacts from seed. The same seed and n give the same book.
func Book(seed uint64, n int) []*contacts.Contact {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]*contacts.Contact, n)
	for i := range out {
		out[i] = person(r, i)
	}
	return out
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func person(r *rand.Rand, i int) *contacts.Contact {
	given, family := pick(r, givenNames), pick(r, familyNames)
	c := &contacts.Contact{
		StructuredName: contacts.Name{Given: given, Family: family},
		Organization:   pick(r, firms),
		Department:     pick(r, departments),
		Title:          pick(r, titles),
	}
	if r.IntN(8) == 0 {
		c.StructuredName.Additional = string(rune('A'+r.IntN(26))) + "."
	}
	if r.IntN(15) == 0 {
		c.StructuredName.Suffix = pick(r, []string{"Jr.", "Sr.", "III", "Esq."})
	}
	c.Name = c.StructuredName.Formatted()
	// The index makes every generated person distinct, as in a real book, while the
	// pools above keep the names realistic.
	user := asciiFold(strings.ToLower(given)) + "." + asciiFold(strings.ToLower(strings.ReplaceAll(family, " ", ""))) + fmt.Sprint(i)
	domain := asciiFold(strings.ToLower(strings.Fields(c.Organization)[0]))
	domain = strings.Trim(domain, ",.&") + ".example.com"
	c.Emails = append(c.Emails, contacts.Value{Value: user + "@" + domain, Types: []string{"internet", "pref"}})
	for k := r.IntN(3); k > 0; k-- {
		c.Emails = append(c.Emails, contacts.Value{Value: fmt.Sprintf("%s%d@mail%d.example.org", user, k, r.IntN(9)), Types: []string{"internet"}})
	}
	phoneTypes := [][]string{{"work", "voice"}, {"cell", "voice"}, {"home", "voice"}, {"work", "fax"}}
	for k, nph := 0, 1+r.IntN(4); k < nph; k++ {
		area := 200 + r.IntN(700)
		c.Phones = append(c.Phones, contacts.Value{
			Value: fmt.Sprintf("(%03d) 555-%04d", area, (i*7+k*1009)%10000),
			Types: phoneTypes[k],
		})
	}
	if r.IntN(3) > 0 {
		ct := pick(r, cities)
		c.Addresses = append(c.Addresses, contacts.Address{Types: []string{"work"},
			Street: fmt.Sprintf("%d %s", 1+r.IntN(999), pick(r, streets)), City: ct.city, Region: ct.region,
			PostalCode: ct.zip, Country: ct.country})
	}
	for k := r.IntN(4); k > 0; k-- {
		cat := pick(r, Categories)
		if !hasFold(c.Categories, cat) {
			c.Categories = append(c.Categories, cat)
		}
	}
	if r.IntN(3) == 0 {
		// InterAction keeps an opaque marker in Outlook's Mileage field; its exact format is
		// InterAction's business, so the generator only needs stable, distinct values.
		c.Mileage = fmt.Sprintf("IA%08X", r.Uint32())
	}
	if r.IntN(2) == 0 {
		lines := make([]string, 1+r.IntN(4))
		for k := range lines {
			lines[k] = pick(r, noteLines)
		}
		c.Note = strings.Join(lines, "\n")
	}
	if r.IntN(5) == 0 {
		c.Birthday = fmt.Sprintf("%04d-%02d-%02d", 1940+r.IntN(60), 1+r.IntN(12), 1+r.IntN(28))
	}
	if r.IntN(6) == 0 {
		c.URLs = append(c.URLs, contacts.Value{Value: "https://www." + domain + "/people/" + user, Types: []string{"work"}})
	}
	return c
}

func hasFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// asciiFold keeps ASCII letters and digits for e-mail local parts ("Jürgen" -> "jrgen" is
// fine for a generator: addresses only need to be plausible and distinct).
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
