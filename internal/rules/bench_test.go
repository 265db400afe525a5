package rules

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/syncguard/syncguard/internal/contacts"
	"github.com/syncguard/syncguard/internal/diff"
	"github.com/syncguard/syncguard/internal/gen"
	"github.com/syncguard/syncguard/internal/policy"
)

// BenchmarkJudgeOneNewContact is the rules' share of DESIGN.md §6's "one changed file to
// its finding in under 0.1 s" on 10,000 contacts: one contact added, the whole book
// searched for the person it may copy.
func BenchmarkJudgeOneNewContact(b *testing.B) {
	cs := gen.Book(1, 10001)
	book := make([]diff.Entry, len(cs))
	for i, c := range cs {
		book[i] = diff.Entry{Key: fmt.Sprint(i), Contact: c}
	}
	added := book[len(book)-1]
	in := Input{Change: diff.Change{Before: 10000, After: 10001, Added: []diff.Entry{added}}, Book: book, Policy: policy.Default()}
	for b.Loop() {
		Judge(in)
	}
}

// BenchmarkFirstKeeps100k: what the judge of a streamed first snapshot keeps of 100,000
// contacts (kept-MB, the live heap it adds), against the contacts themselves (book-MB),
// which the stream never holds all at once.
func BenchmarkFirstKeeps100k(b *testing.B) {
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	for i := 0; i < b.N; i++ {
		h0 := heap()
		book := gen.Book(1, 100000)
		fps := make([]string, len(book))
		for j, c := range book {
			fps[j] = c.Fingerprint("")
		}
		h1 := heap()
		f := NewFirst(nil)
		for j, c := range book {
			f.Add(fmt.Sprint(j+1), fps[j], c)
		}
		h2 := heap()
		byKey := make(map[string]*contacts.Contact, len(book))
		for j, c := range book {
			byKey[fmt.Sprint(j+1)] = c
		}
		found := f.Findings(1, func(key string) *contacts.Contact { return byKey[key] })
		b.ReportMetric(float64(h1-h0)/(1<<20), "book-MB")
		b.ReportMetric(float64(h2-h1)/(1<<20), "kept-MB")
		runtime.KeepAlive(book)
		runtime.KeepAlive(found)
	}
}
