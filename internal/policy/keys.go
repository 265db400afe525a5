package policy

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Key is one setting of the policy, named as the TOML file names it ("thresholds.mass_deletion_min":
// section "thresholds", value "mass_deletion_min"). The registry uses the same names, a subkey
// per section (see registry.go), and the ADMX templates one policy per key, so the list below
// is the one list that the file, the registry, `syncguard policy` and the templates share.
type Key struct {
	Name    string // "thresholds.mass_deletion_min"
	Section string // "thresholds"
	Value   string // "mass_deletion_min"
	Kind    Kind
	index   []int // field path in Policy
}

// Kind is the type of a key's value.
type Kind int

// The kinds of values a key holds.
const (
	KindString Kind = iota
	KindInt
	KindFloat
	KindBool
	KindOptionalBool // unset means "detect" (workstation.interaction_sync)
	KindDuration
	KindList // a list of text; in the registry one REG_SZ, the items separated by ";"
)

func (k Kind) String() string {
	return [...]string{"string", "integer", "number", "boolean", "boolean", "duration", "list"}[k]
}

var (
	durationType = reflect.TypeOf(Duration{})
	keyList      = buildKeys()
)

// buildKeys walks Policy's toml tags, so a key added to the struct is at once a registry
// value, a line of `syncguard policy` and (the ADMX test checks it) a template entry.
func buildKeys() []Key {
	var out []Key
	pt := reflect.TypeOf(Policy{})
	for i := 0; i < pt.NumField(); i++ {
		sf := pt.Field(i)
		section := tomlName(sf)
		if section == "" || sf.Type.Kind() != reflect.Struct {
			continue
		}
		for j := 0; j < sf.Type.NumField(); j++ {
			f := sf.Type.Field(j)
			name := tomlName(f)
			if name == "" {
				continue
			}
			k := Key{Name: section + "." + name, Section: section, Value: name, index: []int{i, j}}
			switch {
			case f.Type == durationType:
				k.Kind = KindDuration
			case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Bool:
				k.Kind = KindOptionalBool
			case f.Type.Kind() == reflect.Bool:
				k.Kind = KindBool
			case f.Type.Kind() == reflect.Int:
				k.Kind = KindInt
			case f.Type.Kind() == reflect.Float64:
				k.Kind = KindFloat
			case f.Type.Kind() == reflect.String:
				k.Kind = KindString
			case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
				k.Kind = KindList
			default:
				panic(fmt.Sprintf("policy: key %s.%s has a type the registry cannot hold", section, name))
			}
			out = append(out, k)
		}
	}
	return out
}

func tomlName(f reflect.StructField) string {
	tag := strings.Split(f.Tag.Get("toml"), ",")[0]
	if tag == "-" {
		return ""
	}
	return tag
}

// Keys lists every key of the policy, in the file's order.
func Keys() []Key { return append([]Key(nil), keyList...) }

// lookupKey finds a key by section and value name, case-insensitively as the registry
// compares names.
func lookupKey(section, value string) (Key, bool) {
	for _, k := range keyList {
		if strings.EqualFold(k.Section, section) && strings.EqualFold(k.Value, value) {
			return k, true
		}
	}
	return Key{}, false
}

func (p *Policy) field(k Key) reflect.Value {
	return reflect.ValueOf(p).Elem().FieldByIndex(k.index)
}

// Value is the value in force for key: a string, int, float64, bool, nil (an optional
// boolean left unset) or, for a duration, its text ("5s").
func (p *Policy) Value(k Key) any {
	v := p.field(k)
	switch k.Kind {
	case KindDuration:
		return v.Interface().(Duration).String()
	case KindOptionalBool:
		if v.IsNil() {
			return nil
		}
		return v.Elem().Bool()
	}
	return v.Interface()
}

// Where says where the value of key came from: the policy file's path, the registry value's
// full name (`HKLM\Software\Policies\SyncGuard\Thresholds\mass_deletion_min`), or "" for the
// default.
func (p *Policy) Where(key string) string { return p.Sources[key] }

// Origin names every place this policy was read from, for messages that say why a setting
// is locked ("" when nothing was read and the defaults apply).
func (p *Policy) Origin() string {
	var parts []string
	if p.File != "" {
		parts = append(parts, p.File)
	}
	parts = append(parts, p.Registries...)
	return strings.Join(parts, ", ")
}

// set gives key a value read from the registry: a REG_DWORD (isNum, num) or a REG_SZ (str).
// Which of the two a key accepts follows what the ADMX templates write, and the other form
// where it is unambiguous, so that a value typed by hand in regedit works too.
func (p *Policy) set(k Key, str string, num uint64, isNum bool) error {
	v := p.field(k)
	str = strings.TrimSpace(str)
	switch k.Kind {
	case KindString:
		if isNum {
			return fmt.Errorf("must be text (REG_SZ), not a number")
		}
		v.SetString(str)
	case KindInt:
		n := int64(num)
		if !isNum {
			var err error
			if n, err = strconv.ParseInt(str, 10, 64); err != nil {
				return fmt.Errorf("%q is not a whole number", str)
			}
		}
		if n > 1<<31-1 {
			return fmt.Errorf("%d is too large", n)
		}
		v.SetInt(n)
	case KindFloat:
		f := float64(num)
		if !isNum {
			var err error
			if f, err = strconv.ParseFloat(str, 64); err != nil {
				return fmt.Errorf("%q is not a number; write it like 2.5", str)
			}
		}
		v.SetFloat(f)
	case KindBool, KindOptionalBool:
		var b bool
		switch {
		case isNum && num <= 1:
			b = num == 1
		case !isNum && (str == "1" || strings.EqualFold(str, "true")):
			b = true
		case !isNum && (str == "0" || strings.EqualFold(str, "false")):
		default:
			if isNum {
				return fmt.Errorf("%d must be 1 (on) or 0 (off)", num)
			}
			return fmt.Errorf("%q must be 1 (on) or 0 (off)", str)
		}
		if k.Kind == KindOptionalBool {
			v.Set(reflect.ValueOf(&b))
		} else {
			v.SetBool(b)
		}
	case KindDuration:
		// A number is seconds: the ADMX template offers a seconds box.
		d := time.Duration(num) * time.Second
		if !isNum {
			var err error
			if d, err = time.ParseDuration(str); err != nil {
				return fmt.Errorf("%q is not a duration; write it like \"5s\" or \"2m\", or give seconds as a REG_DWORD", str)
			}
		}
		v.Set(reflect.ValueOf(Duration{d}))
	case KindList:
		if isNum {
			return fmt.Errorf("must be text (REG_SZ), the items separated by \";\", not a number")
		}
		var items []string
		for _, it := range strings.Split(str, ";") {
			if it = strings.TrimSpace(it); it != "" {
				items = append(items, it)
			}
		}
		v.Set(reflect.ValueOf(items))
	}
	return nil
}
