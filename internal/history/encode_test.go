package history

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/gen"
)

func TestStoredFormKeepsEveryField(t *testing.T) {
	full := &contacts.Contact{UID: "u", Name: "Dr. Jane Q. Roe", StructuredName: contacts.Name{Family: "Roe", Given: "Jane", Additional: "Q.", Prefix: "Dr.", Suffix: "Esq."},
		Nickname: "JR", Organization: "Acme", Department: "Legal", Title: "GC",
		Emails:    []contacts.Value{{Value: "j@acme.example", Types: []string{"work", "pref"}}},
		Phones:    []contacts.Value{{Value: "(212) 555-0100", Types: []string{"cell"}}},
		Addresses: []contacts.Address{{Types: []string{"work"}, POBox: "1", Extended: "Suite 2", Street: "3 Main", City: "NYC", Region: "NY", PostalCode: "10001", Country: "USA", Label: "3 Main\nNYC"}},
		URLs:      []contacts.Value{{Value: "https://acme.example"}}, Categories: []string{"Clients", "VIP"}, Note: "a\nb",
		Mileage: "IA1", Birthday: "1970-05-17", Anniversary: "--06-01", Other: []contacts.Field{{Name: "PHOTO", Params: "ENCODING=b", Value: "AAAA"}},
		Source: contacts.Source{File: "a.vcf", Line: 3, Format: "vcard-2.1"}}
	for _, c := range append(gen.Book(3, 50), full, &contacts.Contact{}) {
		b, err := encodeContact(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeContact(b)
		if err != nil {
			t.Fatal(err)
		}
		// Compare through the public JSON, where nil and empty lists read the same.
		w, _ := json.Marshal(c)
		g, _ := json.Marshal(got)
		if !reflect.DeepEqual(norm(w), norm(g)) {
			t.Fatalf("round trip changed the contact:\n%s\n%s", w, g)
		}
		long, _ := json.Marshal(c)
		if c == full && len(b) >= len(long)*3/4 {
			t.Errorf("the stored form (%d bytes) should be well under the public JSON (%d)", len(b), len(long))
		}
	}
}

func norm(b []byte) map[string]any {
	var m map[string]any
	json.Unmarshal(b, &m)
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
		if l, ok := v.([]any); ok && len(l) == 0 {
			delete(m, k)
		}
	}
	return m
}
