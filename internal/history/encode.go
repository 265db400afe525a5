package history

import (
	"encoding/json"

	"github.com/syncguard/syncguard/internal/contacts"
)

// The stored form of a contact version: the same fields as contacts.Contact under short
// names, with empty ones left out. The public JSON (scan, diff) keeps its long, always
// present names for scripts; in the database those names were a third of every version.

type sValue struct {
	V string   `json:"v"`
	T []string `json:"t,omitempty"`
}

type sAddress struct {
	T  []string `json:"t,omitempty"`
	PB string   `json:"pb,omitempty"`
	X  string   `json:"x,omitempty"`
	S  string   `json:"s,omitempty"`
	C  string   `json:"c,omitempty"`
	R  string   `json:"r,omitempty"`
	P  string   `json:"p,omitempty"`
	Co string   `json:"co,omitempty"`
	L  string   `json:"l,omitempty"`
}

type sField struct {
	N string `json:"n"`
	P string `json:"p,omitempty"`
	V string `json:"v"`
}

type sContact struct {
	UID string        `json:"u,omitempty"`
	FN  string        `json:"fn,omitempty"`
	N   contacts.Name `json:"n,omitempty"` // its own fields are short and omitempty already
	Nk  string        `json:"nk,omitempty"`
	O   string        `json:"o,omitempty"`
	D   string        `json:"d,omitempty"`
	Ti  string        `json:"ti,omitempty"`
	E   []sValue      `json:"e,omitempty"`
	Ph  []sValue      `json:"ph,omitempty"`
	A   []sAddress    `json:"a,omitempty"`
	W   []sValue      `json:"w,omitempty"`
	Ca  []string      `json:"ca,omitempty"`
	No  string        `json:"no,omitempty"`
	M   string        `json:"m,omitempty"`
	B   string        `json:"b,omitempty"`
	An  string        `json:"an,omitempty"`
	X   []sField      `json:"x,omitempty"`
	SF  string        `json:"sf,omitempty"`
	SL  int           `json:"sl,omitempty"`
	SFo string        `json:"so,omitempty"`
}

func toS(vs []contacts.Value) []sValue {
	if len(vs) == 0 {
		return nil
	}
	out := make([]sValue, len(vs))
	for i, v := range vs {
		out[i] = sValue{v.Value, v.Types}
	}
	return out
}

func fromS(vs []sValue) []contacts.Value {
	if len(vs) == 0 {
		return nil
	}
	out := make([]contacts.Value, len(vs))
	for i, v := range vs {
		out[i] = contacts.Value{Value: v.V, Types: v.T}
	}
	return out
}

func encodeContact(c *contacts.Contact) ([]byte, error) {
	s := sContact{UID: c.UID, FN: c.Name, N: c.StructuredName, Nk: c.Nickname, O: c.Organization, D: c.Department,
		Ti: c.Title, E: toS(c.Emails), Ph: toS(c.Phones), W: toS(c.URLs), Ca: c.Categories, No: c.Note, M: c.Mileage,
		B: c.Birthday, An: c.Anniversary, SF: c.Source.File, SL: c.Source.Line, SFo: c.Source.Format}
	for _, a := range c.Addresses {
		s.A = append(s.A, sAddress{a.Types, a.POBox, a.Extended, a.Street, a.City, a.Region, a.PostalCode, a.Country, a.Label})
	}
	for _, f := range c.Other {
		s.X = append(s.X, sField{f.Name, f.Params, f.Value})
	}
	return json.Marshal(&s)
}

func decodeContact(data []byte) (*contacts.Contact, error) {
	var s sContact
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	c := &contacts.Contact{UID: s.UID, Name: s.FN, StructuredName: s.N, Nickname: s.Nk, Organization: s.O,
		Department: s.D, Title: s.Ti, Emails: fromS(s.E), Phones: fromS(s.Ph), URLs: fromS(s.W), Categories: s.Ca,
		Note: s.No, Mileage: s.M, Birthday: s.B, Anniversary: s.An,
		Source: contacts.Source{File: s.SF, Line: s.SL, Format: s.SFo}}
	for _, a := range s.A {
		c.Addresses = append(c.Addresses, contacts.Address{Types: a.T, POBox: a.PB, Extended: a.X, Street: a.S,
			City: a.C, Region: a.R, PostalCode: a.P, Country: a.Co, Label: a.L})
	}
	for _, f := range s.X {
		c.Other = append(c.Other, contacts.Field{Name: f.N, Params: f.P, Value: f.V})
	}
	return c, nil
}
