package contacts

import "strings"

// Outlook's Private flag and User Fields 1-4 have no field of their own in Contact: the CSV
// reader keeps them in Other under the header Outlook wrote, which Outlook translates
// ("Privat", "Benutzer 1", "Utilisateur 1"). InterAction maps the Private flag to its
// private contact (hidden from the firm and from proxies) and User Fields 1-4 to its custom
// fields 1-4, so the rules compare them; these accessors read them whatever the language.

var otherAliases = map[string]string{
	"private": "private", "privat": "private", "privé": "private",
	"sensitivity": "sensitivity", "vertraulichkeit": "sensitivity", "critère de diffusion": "sensitivity",
	"user 1": "user 1", "benutzer 1": "user 1", "utilisateur 1": "user 1",
	"user 2": "user 2", "benutzer 2": "user 2", "utilisateur 2": "user 2",
	"user 3": "user 3", "benutzer 3": "user 3", "utilisateur 3": "user 3",
	"user 4": "user 4", "benutzer 4": "user 4", "utilisateur 4": "user 4",
}

// otherValue is the value of an Outlook column kept in Other, by its English name in
// lower case ("private", "user 1").
func otherValue(c *Contact, english string) string {
	for _, f := range c.Other {
		if otherAliases[strings.ToLower(strings.TrimSpace(f.Name))] == english {
			return strings.TrimSpace(f.Value)
		}
	}
	return ""
}

// CarriesOutlookFields reports whether the contact was read from a source that holds the
// Private flag and User Fields (an Outlook CSV export, or Outlook itself). A vCard has
// neither, so its contacts are never compared on them.
func CarriesOutlookFields(c *Contact) bool {
	return c.Source.Format == "outlook-csv" || c.Source.Format == "outlook"
}

// IsPrivate reports whether Outlook's Private flag is set: the "Private" column says true,
// or the "Sensitivity" column says private.
func IsPrivate(c *Contact) bool {
	switch strings.ToLower(otherValue(c, "private")) {
	case "true", "ein", "wahr", "vrai", "oui", "1":
		return true
	}
	switch strings.ToLower(otherValue(c, "sensitivity")) {
	case "private", "privat", "privé":
		return true
	}
	return false
}

// UserField is User Field n (1-4) as written.
func UserField(c *Contact, n int) string {
	if n < 1 || n > 4 {
		return ""
	}
	return otherValue(c, "user "+string(rune('0'+n)))
}
