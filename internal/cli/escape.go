package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Everything the command line prints goes through Escape (Main wraps Stdout and Stderr in
// an escaping writer), because most of what it prints comes from files someone else wrote:
// contact names and companies from the export, file and folder names, device names from
// the fleet folder. Printed raw, an ESC sequence in a name sets the terminal's title,
// clears the screen or recolours what follows, a CR overwrites the line, and a
// right-to-left override (U+202E) or an isolate (U+2066) reorders the text after it, so
// that what IT reads is not what the file holds.
//
// Each such character is printed as \uXXXX (an invalid byte as \xNN): visible in text, and
// inside a JSON string the very escape JSON itself uses, so `--json` output decodes to the
// same values, exactly as written in the export.

// needsEscape reports the runes a terminal acts on, or that reorder, hide or break text.
// Line feed and tab are the printers' own layout and pass.
func needsEscape(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f: // C0 controls: ESC, CR, BEL, backspace...
		return true
	case r >= 0x80 && r <= 0x9f: // C1 controls: 0x9b is CSI on some terminals
		return true
	case r == 0x061c: // Arabic letter mark
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width space and joiners, LRM, RLM
		return true
	case r >= 0x2028 && r <= 0x202e: // line and paragraph separators, embeddings, overrides
		return true
	case r >= 0x2060 && r <= 0x206f: // word joiner, invisible operators, isolates, deprecated format
		return true
	case r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb): // zero-width no-break space, annotations
		return true
	}
	return false
}

// Escape returns s with every character that needsEscape reports, and every byte that is
// not UTF-8, written as an escape.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || needsEscape(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// escapingWriter escapes what is written through it. A UTF-8 character split across two
// writes is held back until its end arrives, so that it is judged whole.
type escapingWriter struct {
	w     io.Writer
	carry []byte
}

func (e *escapingWriter) Write(p []byte) (int, error) {
	buf := append(e.carry, p...)
	e.carry = nil
	// Hold back an incomplete character at the end (at most 3 bytes).
	end := len(buf)
	for k := 1; k <= 3 && k <= len(buf); k++ {
		c := buf[len(buf)-k]
		if c < 0x80 {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(buf[len(buf)-k:]) {
				end = len(buf) - k
			}
			break
		}
	}
	e.carry = append([]byte(nil), buf[end:]...)
	if _, err := io.WriteString(e.w, Escape(string(buf[:end]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes a character left incomplete at the end of the output, escaped.
func (e *escapingWriter) flush() {
	if len(e.carry) > 0 {
		io.WriteString(e.w, Escape(string(e.carry)))
		e.carry = nil
	}
}
