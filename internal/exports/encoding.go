package exports

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// decodeUnicode turns a file in a Unicode encoding into UTF-8 and names what it found:
// a UTF-8 BOM is dropped, UTF-16 with a BOM or, without one, with the tell-tale NUL bytes
// of ASCII text (Outlook and Windows Contacts write both) is converted. Anything else comes
// back unchanged with enc "" so that callers decode it field by field (vCard CHARSET) or
// as a whole (DecodeLegacy).
func decodeUnicode(data []byte) (out []byte, enc string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], "utf-8-bom", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16To8(data, unicode.LittleEndian, unicode.ExpectBOM, "utf-16le")
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16To8(data, unicode.BigEndian, unicode.ExpectBOM, "utf-16be")
	}
	if le, be := nulPattern(data); le {
		return utf16To8(data, unicode.LittleEndian, unicode.IgnoreBOM, "utf-16le")
	} else if be {
		return utf16To8(data, unicode.BigEndian, unicode.IgnoreBOM, "utf-16be")
	}
	return data, "", nil
}

func utf16To8(data []byte, e unicode.Endianness, b unicode.BOMPolicy, name string) ([]byte, string, error) {
	if len(data)%2 == 1 {
		data = data[:len(data)-1] // a truncated file: keep what decodes
	}
	out, err := unicode.UTF16(e, b).NewDecoder().Bytes(data)
	if err != nil {
		return nil, name, fmt.Errorf("not valid %s text: %v", name, err)
	}
	return out, name, nil
}

// nulPattern looks at the first bytes for ASCII text in UTF-16 without a BOM: NULs at
// every odd (little-endian) or every even (big-endian) position.
func nulPattern(data []byte) (le, be bool) {
	n := len(data)
	if n > 200 {
		n = 200
	}
	n &^= 1
	if n < 4 {
		return false, false
	}
	var oddNul, evenNul int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			evenNul++
		}
		if data[i+1] == 0 {
			oddNul++
		}
	}
	pairs := n / 2
	return oddNul*10 >= pairs*9 && evenNul == 0, evenNul*10 >= pairs*9 && oddNul == 0
}

// lookupCharset finds the decoder for a MIME or IANA charset name ("UTF-8", "SHIFT_JIS",
// "ISO-8859-1", "windows-1252", "cp1250").
func lookupCharset(name string) (encoding.Encoding, error) {
	n := strings.ToLower(strings.Trim(strings.TrimSpace(name), `"`))
	switch n {
	case "", "utf-8", "utf8":
		return nil, nil
	case "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1257":
		n = "windows-" + n[2:]
	}
	if e, err := htmlindex.Get(n); err == nil {
		return e, nil
	}
	if e, err := ianaindex.MIME.Encoding(n); err == nil && e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("unknown character set %q", name)
}

// decodeText turns bytes in the given charset into UTF-8. With no charset, valid UTF-8 is
// taken as it is and anything else as Windows-1252, the encoding Outlook writes on Western
// Windows. An unknown charset falls back the same way and reports why.
func decodeText(b []byte, charset string) (string, error) {
	enc, err := lookupCharset(charset)
	if enc == nil {
		if utf8.Valid(b) {
			return string(b), err
		}
		s, _ := charmap.Windows1252.NewDecoder().Bytes(b)
		if err == nil && charset != "" {
			err = fmt.Errorf("the text is not valid %s; read as Windows-1252", charset)
		}
		return string(s), err
	}
	out, derr := enc.NewDecoder().Bytes(b)
	if derr != nil {
		s, _ := charmap.Windows1252.NewDecoder().Bytes(b)
		return string(s), fmt.Errorf("the text is not valid %s; read as Windows-1252", charset)
	}
	return string(out), nil
}

// DecodeLegacy decodes a whole file: Unicode encodings by BOM or NUL pattern, then UTF-8
// where valid, else Windows-1252. It names the encoding it used.
func DecodeLegacy(data []byte) (string, string, error) {
	out, enc, err := decodeUnicode(data)
	if err != nil {
		return "", enc, err
	}
	if enc != "" {
		return string(out), enc, nil
	}
	if utf8.Valid(out) {
		return string(out), "utf-8", nil
	}
	s, _ := charmap.Windows1252.NewDecoder().Bytes(out)
	return string(s), "windows-1252", nil
}
