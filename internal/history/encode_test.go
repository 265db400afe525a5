package history

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/testkit"
)

// TestStoredFormKeepsEveryField: a contact with every field of contacts.Contact set (by
// reflection, so a field added to the model later is set too) comes back from the stored
// form exactly, as do generated contacts and an empty one; and the stored form is well
// under the public JSON, which is what it is for.
func TestStoredFormKeepsEveryField(t *testing.T) {
	t.Parallel()
	full := &contacts.Contact{}
	testkit.Fill(full)
	if z := testkit.ZeroFields(full); len(z) > 0 {
		t.Fatalf("the filler left fields empty: %v", z)
	}
	b, err := encodeContact(full)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeContact(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, full) {
		t.Errorf("the round trip lost %v:\n%+v\n%+v", testkit.ZeroFields(got), full, got)
	}
	if long, _ := json.Marshal(full); len(b) >= len(long)*3/4 {
		t.Errorf("the stored form (%d bytes) should be well under the public JSON (%d)", len(b), len(long))
	}
	for _, c := range append(gen.Book(3, 50), &contacts.Contact{}) {
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
