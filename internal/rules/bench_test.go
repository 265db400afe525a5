package rules

import (
	"fmt"
	"testing"

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
