// Command genbook writes a generated, law-firm shaped address book to disk for benchmarks,
// demos and manual testing: the same seed and size always give the same files.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/syncguard/syncguard/internal/exports"
	"github.com/syncguard/syncguard/internal/gen"
)

func main() {
	n := flag.Int("n", 1000, "number of contacts")
	seed := flag.Uint64("seed", 1, "seed; the same seed gives the same book")
	format := flag.String("format", "vcf-folder", "vcf-folder (one Outlook vCard 2.1 per contact), vcf30-folder (vCard 3.0 per contact), vcf-file (one file), outlook-csv")
	cats := flag.Bool("categories", true, "write CATEGORIES into vCards (Outlook's own vCards have none)")
	out := flag.String("out", "", "output folder or file")
	flag.Parse()
	if *out == "" || *n < 0 {
		flag.Usage()
		os.Exit(2)
	}
	book := gen.Book(*seed, *n)
	opt := gen.VCardOptions{Categories: *cats}
	var err error
	switch *format {
	case "vcf-folder":
		err = gen.WriteVCardFolder(*out, book, opt)
	case "vcf30-folder":
		err = exports.WriteVCardFolder(*out, book)
	case "vcf-file":
		err = gen.WriteVCardFile(*out, book, opt)
	case "outlook-csv":
		err = writeFile(*out, func(w io.Writer) error { return exports.WriteOutlookCSV(w, book) })
	default:
		err = fmt.Errorf("unknown format %q", *format)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbook:", err)
		os.Exit(1)
	}
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	werr := write(f)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}
