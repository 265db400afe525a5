package conduit

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/syncguard/syncguard/internal/safefile"
)

// A .reg file is what regedit's File > Export writes: "Windows Registry Editor Version
// 5.00" in UTF-16LE with a byte order mark (regedit's default), or "REGEDIT4" in the ANSI
// code page (Windows-1252 in the West). IT collects these from workstations, so SyncGuard
// reads partnerships from them on any platform.

// RegValue types, as regedit writes them.
const (
	RegSZ       = "REG_SZ"
	RegExpandSZ = "REG_EXPAND_SZ"
	RegBinary   = "REG_BINARY"
	RegDWord    = "REG_DWORD"
	RegMultiSZ  = "REG_MULTI_SZ"
	RegQWord    = "REG_QWORD"
	RegOther    = "REG_OTHER" // hex(N) of a type SyncGuard does not decode
	RegDelete   = "DELETE"    // "name"=- removes the value
)

// RegValue is one value of a key.
type RegValue struct {
	Name    string   `json:"name"` // "" for the default value (@)
	Type    string   `json:"type"`
	String  string   `json:"string,omitempty"`  // REG_SZ, REG_EXPAND_SZ
	Strings []string `json:"strings,omitempty"` // REG_MULTI_SZ
	Number  uint64   `json:"number,omitempty"`  // REG_DWORD, REG_QWORD
	Data    []byte   `json:"data,omitempty"`    // REG_BINARY and other hex(N)
	Line    int      `json:"line"`
}

// RegKey is one [key] section.
type RegKey struct {
	Path   string     `json:"path"`
	Line   int        `json:"line"`
	Delete bool       `json:"delete,omitempty"` // [-key]
	Values []RegValue `json:"values"`
}

// Value returns the value with the name, ignoring case as the registry does.
func (k *RegKey) Value(name string) (RegValue, bool) {
	for _, v := range k.Values {
		if strings.EqualFold(v.Name, name) {
			return v, true
		}
	}
	return RegValue{}, false
}

// RegFile is a parsed .reg file.
type RegFile struct {
	Name     string
	Version  int // 4 (REGEDIT4) or 5
	Encoding string
	Keys     []*RegKey
	Errors   []RegError
}

// RegError is a line the parser could not read; it names the file and the line.
type RegError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (e RegError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message) }

// maxRegLine bounds one logical line (a value with its continuation lines). Partnership
// values are short; a line longer than this is a binary blob nobody here needs.
const maxRegLine = 1 << 20

// ReadRegFile parses the .reg file at path. keep, when not nil, selects the keys to keep
// (by full path): a whole-registry export is hundreds of megabytes, and SyncGuard needs
// one subtree of it.
func ReadRegFile(path string, keep func(key string) bool) (*RegFile, error) {
	// Only a regular file: a FIFO named with --reg hung the check. The size is not bounded
	// here, as a whole-registry export may be hundreds of megabytes and is read as a stream.
	f, _, err := safefile.Open(path, math.MaxInt64)
	if err != nil {
		return nil, fmt.Errorf("cannot open the registry export: %v", err)
	}
	defer f.Close()
	return ParseReg(path, f, keep)
}

// ParseReg parses a .reg file from r. It fails only when r is not a registry export at
// all; a bad line becomes a RegError and parsing goes on.
func ParseReg(name string, r io.Reader, keep func(key string) bool) (*RegFile, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	rf := &RegFile{Name: name}
	var text io.Reader
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		rf.Encoding = "utf-16le"
		text = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		rf.Encoding = "utf-16be"
		text = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		rf.Encoding = "utf-8"
		br.Discard(3)
		text = br
	default:
		// REGEDIT4 files are in the ANSI code page; decide per line, so that a UTF-8 file
		// without a BOM (written by a script) also reads right.
		rf.Encoding = "ansi-or-utf-8"
		text = br
	}
	sc := bufio.NewScanner(text)
	sc.Buffer(make([]byte, 0, 64<<10), maxRegLine)
	lineNo := 0
	var cur *RegKey
	keepCur := false
	var pending strings.Builder // a value continued with a trailing backslash
	pendingLine := 0
	addErr := func(line int, format string, a ...any) {
		if len(rf.Errors) < 1000 { // a garbage file must not grow the error list without end
			rf.Errors = append(rf.Errors, RegError{File: name, Line: line, Message: fmt.Sprintf(format, a...)})
		}
	}
	handle := func(line string, at int) {
		if cur == nil {
			addErr(at, "a value before any [key] line; the export is cut or edited")
			return
		}
		if !keepCur {
			return
		}
		v, err := parseRegValue(line, rf.Version)
		if err != nil {
			addErr(at, "%v", err)
			return
		}
		v.Line = at
		cur.Values = append(cur.Values, v)
	}
	for sc.Scan() {
		lineNo++
		raw := sc.Bytes()
		var line string
		if rf.Encoding == "ansi-or-utf-8" && !utf8.Valid(raw) {
			b, _ := charmap.Windows1252.NewDecoder().Bytes(raw)
			line = string(b)
		} else {
			line = string(raw)
		}
		line = strings.TrimRight(line, "\r")
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
			switch strings.TrimSpace(line) {
			case "Windows Registry Editor Version 5.00":
				rf.Version = 5
				continue
			case "REGEDIT4":
				rf.Version = 4
				continue
			}
			return nil, fmt.Errorf("%s:1: not a registry export (it must start with \"Windows Registry Editor Version 5.00\" or \"REGEDIT4\"); export the key again with regedit's File > Export", name)
		}
		if pending.Len() > 0 {
			t := strings.TrimSpace(line)
			if pending.Len()+len(t) > maxRegLine {
				addErr(pendingLine, "value longer than %d bytes; skipped", maxRegLine)
				pending.Reset()
				continue
			}
			if strings.HasSuffix(t, "\\") {
				pending.WriteString(strings.TrimSuffix(t, "\\"))
				continue
			}
			pending.WriteString(t)
			handle(pending.String(), pendingLine)
			pending.Reset()
			continue
		}
		t := strings.TrimSpace(line)
		switch {
		case t == "" || strings.HasPrefix(t, ";"):
			continue
		case strings.HasPrefix(t, "["):
			if !strings.HasSuffix(t, "]") {
				addErr(lineNo, "key line without its closing ]")
				cur, keepCur = nil, false
				continue
			}
			path := t[1 : len(t)-1]
			del := strings.HasPrefix(path, "-")
			path = strings.TrimPrefix(path, "-")
			cur = &RegKey{Path: path, Line: lineNo, Delete: del, Values: []RegValue{}}
			keepCur = keep == nil || keep(path)
			if keepCur {
				if len(rf.Keys) >= 100000 {
					addErr(lineNo, "more than 100000 keys kept; the rest are ignored")
					keepCur = false
					continue
				}
				rf.Keys = append(rf.Keys, cur)
			}
		case strings.HasSuffix(t, "\\") && !strings.HasSuffix(t, "\"") && strings.Contains(t, "=hex"):
			pending.WriteString(strings.TrimSuffix(t, "\\"))
			pendingLine = lineNo
		default:
			handle(t, lineNo)
		}
	}
	if pending.Len() > 0 {
		handle(pending.String(), pendingLine)
	}
	if err := sc.Err(); err != nil {
		addErr(lineNo+1, "cannot read on: %v", err)
	}
	if rf.Version == 0 {
		return nil, fmt.Errorf("%s: empty file, not a registry export; export the key again with regedit's File > Export", name)
	}
	return rf, nil
}

// parseRegValue reads `"name"=data` or `@=data`.
func parseRegValue(line string, ver int) (RegValue, error) {
	var v RegValue
	var rest string
	switch {
	case strings.HasPrefix(line, "@="):
		rest = line[2:]
	case strings.HasPrefix(line, "\""):
		name, n, err := regQuoted(line)
		if err != nil {
			return v, fmt.Errorf("value name: %v", err)
		}
		v.Name = name
		rest = strings.TrimLeft(line[n:], " \t")
		if !strings.HasPrefix(rest, "=") {
			return v, fmt.Errorf("value %q has no '=' after its name", name)
		}
		rest = strings.TrimLeft(rest[1:], " \t")
	default:
		return v, fmt.Errorf("a line that is neither a [key] nor a \"value\"=data: %.40q", line)
	}
	switch {
	case rest == "-":
		v.Type = RegDelete
	case strings.HasPrefix(rest, "\""):
		s, n, err := regQuoted(rest)
		if err != nil {
			return v, fmt.Errorf("value %q: %v", v.Name, err)
		}
		if strings.TrimSpace(rest[n:]) != "" {
			return v, fmt.Errorf("value %q: text after the closing quote", v.Name)
		}
		v.Type, v.String = RegSZ, s
	case strings.HasPrefix(strings.ToLower(rest), "dword:"):
		n, err := strconv.ParseUint(strings.TrimSpace(rest[6:]), 16, 32)
		if err != nil {
			return v, fmt.Errorf("value %q: dword %q is not 8 hex digits", v.Name, rest[6:])
		}
		v.Type, v.Number = RegDWord, n
	case strings.HasPrefix(strings.ToLower(rest), "hex"):
		typ := 3 // hex: is REG_BINARY
		r := rest[3:]
		if strings.HasPrefix(r, "(") {
			end := strings.IndexByte(r, ')')
			if end < 0 {
				return v, fmt.Errorf("value %q: hex( without )", v.Name)
			}
			t, err := strconv.ParseUint(r[1:end], 16, 32)
			if err != nil {
				return v, fmt.Errorf("value %q: hex type %q is not a number", v.Name, r[1:end])
			}
			typ = int(t)
			r = r[end+1:]
		}
		if !strings.HasPrefix(r, ":") {
			return v, fmt.Errorf("value %q: hex data without ':'", v.Name)
		}
		data, err := regHex(r[1:])
		if err != nil {
			return v, fmt.Errorf("value %q: %v", v.Name, err)
		}
		decodeRegHex(&v, typ, data, ver)
	default:
		return v, fmt.Errorf("value %q: data %.30q is not a string, dword or hex", v.Name, rest)
	}
	return v, nil
}

// regQuoted reads a "..." string with regedit's escapes (\\ and \") from the start of s
// and returns it with the number of bytes consumed.
func regQuoted(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
				continue
			}
			return "", 0, fmt.Errorf("a backslash at the end of the line")
		case '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("no closing quote")
}

// regHex reads "01,ab,ff" (spaces allowed).
func regHex(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == ',' {
			return -1
		}
		return r
	}, s)
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("hex data is not comma-separated byte pairs")
	}
	return b, nil
}

// decodeRegHex turns hex(N) data into its value. Version 5 files hold strings in UTF-16LE;
// REGEDIT4 files in the ANSI code page.
func decodeRegHex(v *RegValue, typ int, data []byte, ver int) {
	str := func(b []byte) []string {
		var s string
		if ver == 5 {
			u := make([]uint16, len(b)/2)
			for i := range u {
				u[i] = binary.LittleEndian.Uint16(b[2*i:])
			}
			s = string(utf16.Decode(u))
		} else {
			d, _ := charmap.Windows1252.NewDecoder().Bytes(b)
			s = string(d)
		}
		return strings.Split(strings.TrimRight(s, "\x00"), "\x00")
	}
	switch typ {
	case 1, 2:
		v.Type = RegSZ
		if typ == 2 {
			v.Type = RegExpandSZ
		}
		v.String = str(data)[0]
	case 7:
		v.Type = RegMultiSZ
		v.Strings = str(data)
		if len(v.Strings) == 1 && v.Strings[0] == "" {
			v.Strings = []string{}
		}
	case 4:
		v.Type = RegDWord
		if len(data) >= 4 {
			v.Number = uint64(binary.LittleEndian.Uint32(data))
		}
	case 0xb:
		v.Type = RegQWord
		if len(data) >= 8 {
			v.Number = binary.LittleEndian.Uint64(data)
		}
	case 3:
		v.Type, v.Data = RegBinary, data
	default:
		v.Type, v.Data = RegOther, data
	}
}
