package policy

import (
	"encoding/xml"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The Group Policy templates IT imports (packaging/windows): every key of the policy has a
// policy there that writes the registry value SyncGuard reads, in the type it reads, and
// every string and presentation the template names exists in the English ADML. (Their XML
// is also checked against the ADMX schema by hand; see packaging/README.md.)

type admx struct {
	Categories []struct {
		Name string `xml:"name,attr"`
	} `xml:"categories>category"`
	Policies []struct {
		Name         string `xml:"name,attr"`
		Class        string `xml:"class,attr"`
		DisplayName  string `xml:"displayName,attr"`
		ExplainText  string `xml:"explainText,attr"`
		Presentation string `xml:"presentation,attr"`
		Key          string `xml:"key,attr"`
		ValueName    string `xml:"valueName,attr"`
		Parent       struct {
			Ref string `xml:"ref,attr"`
		} `xml:"parentCategory"`
		Enabled *struct {
			Decimal struct {
				Value string `xml:"value,attr"`
			} `xml:"decimal"`
		} `xml:"enabledValue"`
		Disabled *struct {
			Decimal struct {
				Value string `xml:"value,attr"`
			} `xml:"decimal"`
		} `xml:"disabledValue"`
		Elements struct {
			Decimal []struct {
				ID        string `xml:"id,attr"`
				ValueName string `xml:"valueName,attr"`
				Min       int    `xml:"minValue,attr"`
			} `xml:"decimal"`
			Text []struct {
				ID         string `xml:"id,attr"`
				ValueName  string `xml:"valueName,attr"`
				Expandable bool   `xml:"expandable,attr"`
			} `xml:"text"`
		} `xml:"elements"`
	} `xml:"policies>policy"`
}

type adml struct {
	Strings []struct {
		ID string `xml:"id,attr"`
	} `xml:"resources>stringTable>string"`
	Presentations []struct {
		ID      string `xml:"id,attr"`
		Decimal []struct {
			RefID   string `xml:"refId,attr"`
			Default string `xml:"defaultValue,attr"`
		} `xml:"decimalTextBox"`
		Text []struct {
			RefID   string `xml:"refId,attr"`
			Default string `xml:"defaultValue"`
		} `xml:"textBox"`
	} `xml:"resources>presentationTable>presentation"`
}

func readXML(t *testing.T, path string, v any) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return string(data)
}

func TestADMXCoversEveryKey(t *testing.T) {
	var x admx
	var l adml
	admxText := readXML(t, "../../packaging/windows/SyncGuard.admx", &x)
	readXML(t, "../../packaging/windows/en-US/SyncGuard.adml", &l)

	strs := map[string]bool{}
	for _, s := range l.Strings {
		strs[s.ID] = true
	}
	for _, m := range regexp.MustCompile(`\$\(string\.([A-Za-z0-9_]+)\)`).FindAllStringSubmatch(admxText, -1) {
		if !strs[m[1]] {
			t.Errorf("the ADMX names string %s, which the ADML lacks", m[1])
		}
	}
	type pres struct{ decimal, text map[string]string }
	presentations := map[string]pres{}
	for _, p := range l.Presentations {
		pr := pres{map[string]string{}, map[string]string{}}
		for _, d := range p.Decimal {
			pr.decimal[d.RefID] = d.Default
		}
		for _, tb := range p.Text {
			pr.text[tb.RefID] = tb.Default
		}
		presentations[p.ID] = pr
	}
	cats := map[string]bool{}
	for _, c := range x.Categories {
		cats[c.Name] = true
	}

	def := Default()
	seen := map[string]bool{}
	for _, p := range x.Policies {
		if p.Class != "Both" {
			t.Errorf("policy %s: class %q; every setting may be set per machine or per user", p.Name, p.Class)
		}
		if !cats[p.Parent.Ref] {
			t.Errorf("policy %s: category %q is not defined", p.Name, p.Parent.Ref)
		}
		section, ok := strings.CutPrefix(p.Key, RegistryPath+`\`)
		if !ok {
			t.Errorf("policy %s writes %s, outside %s", p.Name, p.Key, RegistryPath)
			continue
		}
		var pr pres
		if p.Presentation != "" {
			id := strings.TrimSuffix(strings.TrimPrefix(p.Presentation, "$(presentation."), ")")
			var found bool
			if pr, found = presentations[id]; !found {
				t.Errorf("policy %s: presentation %s is not in the ADML", p.Name, id)
			}
		}
		check := func(value string, kinds []Kind, form string, dflt string, hasDefault bool) {
			k, ok := lookupKey(section, value)
			if !ok {
				t.Errorf("policy %s writes %s\\%s, which is no key of the policy", p.Name, p.Key, value)
				return
			}
			seen[k.Name] = true
			kindOK := false
			for _, want := range kinds {
				kindOK = kindOK || k.Kind == want
			}
			if !kindOK {
				t.Errorf("policy %s writes %s as a %s, but %s is a %s", p.Name, value, form, k.Name, k.Kind)
			}
			if hasDefault && dflt != "" {
				want := fmt.Sprint(def.Value(k))
				if k.Kind == KindDuration {
					d, _ := time.ParseDuration(fmt.Sprint(def.Value(k)))
					want = fmt.Sprint(int(d.Seconds()))
				}
				if dflt != want {
					t.Errorf("policy %s shows %s as the default of %s, but it is %s", p.Name, dflt, k.Name, want)
				}
			}
		}
		if p.ValueName != "" {
			if p.Enabled == nil || p.Enabled.Decimal.Value != "1" || p.Disabled == nil || p.Disabled.Decimal.Value != "0" {
				t.Errorf("policy %s: an on/off policy must write 1 when enabled and 0 when disabled", p.Name)
			}
			check(p.ValueName, []Kind{KindBool, KindOptionalBool}, "switch", "", false)
		}
		for _, d := range p.Elements.Decimal {
			dflt, ok := pr.decimal[d.ID]
			if !ok {
				t.Errorf("policy %s: element %s has no box in the ADML", p.Name, d.ID)
			}
			check(d.ValueName, []Kind{KindInt, KindDuration}, "REG_DWORD", dflt, true)
		}
		for _, e := range p.Elements.Text {
			dflt, ok := pr.text[e.ID]
			if !ok {
				t.Errorf("policy %s: element %s has no box in the ADML", p.Name, e.ID)
			}
			check(e.ValueName, []Kind{KindString, KindFloat, KindList}, "REG_SZ", dflt, true)
		}
	}
	for _, k := range Keys() {
		if !seen[k.Name] {
			t.Errorf("no Group Policy sets %s", k.Name)
		}
	}
}
