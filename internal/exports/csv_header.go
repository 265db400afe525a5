package exports

import (
	"regexp"
	"strings"
	"unicode"
)

// The header table of the CSV reader. Outlook translates its CSV header into its own
// language, Google and Thunderbird use headers of their own, so a column is found by its
// folded name (headerKey) in one table of synonyms.
//
// The German names are those of Microsoft Exchange's importer for German Outlook CSV files
// (Microsoft.Exchange.Transport.Sync.Common.ImportContacts, language de-DE, code page 1252),
// which agrees with the headers people post from German Outlook 2010-2021. Older German
// Outlook versions wrote some address columns differently ("Land geschäftlich",
// "Region privat", "Weitere Region"); those are accepted too. Where a name comes from
// elsewhere and is less certain, the table says so. The French names (fr-FR, code page
// 1252) come from the same list; French Outlook names both the name prefix and the job
// title "Titre", which mapHeader tells apart by position.

// colKind says what a column holds.
type colKind uint8

const (
	colNone colKind = iota
	colPrefix
	colGiven
	colAdditional
	colFamily
	colSuffix
	colDisplay
	colNickname
	colCompany
	colDepartment
	colJobTitle
	colNotes
	colMileage
	colCategories // Outlook's Categories: split on the file's list separator
	colGroups     // Google's Group Membership / Labels: split on " ::: "
	colBirthday
	colAnniversary
	colBirthYear // Thunderbird splits the birthday into three columns
	colBirthMonth
	colBirthDay
	colURL
	colEmail
	colPhone
	colAddr
	colGoogle // one of Google's numbered columns ("Phone 1 - Value")
)

// addrPart is the part of an address an address column holds.
type addrPart uint8

const (
	partStreet addrPart = iota
	partCity
	partRegion
	partPostal
	partCountry
	partPOBox
)

// column is what the table knows about one header name.
type column struct {
	kind  colKind
	types []string // for e-mails, phones, URLs and addresses
	part  addrPart // for addresses
	slot  string   // for addresses: which address ("business", "home", "other")
	addr  int      // for addresses: the slot's index in the file's plan (set by mapHeader)
	// program names the program whose header this name is typical of, for telling the
	// format; "" when the name is shared.
	program Format
}

// headerKey folds a header cell for lookup: lower case, letters and digits only, so that
// "E-mail 2 Address", "E-Mail 2: Adresse" and " e-mail 2 address " each find their entry.
func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var csvColumns = map[string]column{}

func def(c column, names ...string) {
	for _, n := range names {
		k := headerKey(n)
		if _, dup := csvColumns[k]; dup {
			panic("exports: header name defined twice: " + n) // a table mistake, caught by any test
		}
		csvColumns[k] = c
	}
}

var (
	typesWork  = []string{"work"}
	typesHome  = []string{"home"}
	typesOther = []string{"other"}
)

func init() {
	ol, tb, gg := FormatOutlookCSV, FormatThunderbirdCSV, FormatGoogleCSV

	// Names. Outlook's "Title" is the name prefix (Mr., Dr.), not the job title.
	def(column{kind: colPrefix, program: ol}, "Title", "Anrede")
	def(column{kind: colPrefix, program: gg}, "Name Prefix")
	def(column{kind: colGiven}, "First Name", "Vorname", "Prénom")
	def(column{kind: colGiven, program: gg}, "Given Name")
	def(column{kind: colAdditional}, "Middle Name", "Weitere Vornamen", "Deuxième prénom")
	def(column{kind: colAdditional, program: gg}, "Additional Name")
	def(column{kind: colFamily}, "Last Name", "Nachname")
	def(column{kind: colFamily, program: ol}, "Nom") // French Outlook: "Nom" is the last name
	def(column{kind: colFamily, program: gg}, "Family Name")
	def(column{kind: colSuffix}, "Suffix", "Suffixe")
	def(column{kind: colSuffix, program: gg}, "Name Suffix")
	def(column{kind: colDisplay, program: tb}, "Display Name")
	def(column{kind: colDisplay}, "Name", "Full Name")
	def(column{kind: colNickname}, "Nickname")

	def(column{kind: colCompany}, "Company", "Firma", "Organization", "Société")
	def(column{kind: colCompany, program: gg}, "Organization Name")
	def(column{kind: colDepartment}, "Department", "Abteilung", "Service")
	def(column{kind: colDepartment, program: gg}, "Organization Department")
	def(column{kind: colJobTitle}, "Job Title", "Position")
	def(column{kind: colJobTitle, program: ol}, "Titre") // or the prefix: see mapHeader
	def(column{kind: colJobTitle, program: gg}, "Organization Title")

	def(column{kind: colNotes}, "Notes", "Notizen")
	// Mileage is what InterAction reads; German Outlook calls it "Reisekilometer".
	// "Kilometerstand" is accepted as well: it has been reported for older German versions,
	// which we could not confirm.
	def(column{kind: colMileage, program: ol}, "Mileage", "Reisekilometer", "Kilometerstand", "Kilométrage")
	def(column{kind: colCategories, program: ol}, "Categories", "Kategorien", "Catégories")
	def(column{kind: colGroups, program: gg}, "Group Membership", "Labels")
	def(column{kind: colBirthday}, "Birthday", "Geburtstag", "Anniversaire")
	def(column{kind: colAnniversary}, "Anniversary", "Jahrestag", "Anniversaire de mariage ou fête")
	def(column{kind: colURL, types: typesWork}, "Web Page", "Webseite", "Web Page 1", "Website", "Page Web")
	def(column{kind: colURL, types: typesHome}, "Web Page 2")

	def(column{kind: colEmail, types: []string{"internet", "pref"}, program: ol}, "E-mail Address", "E-Mail-Adresse", "Adresse de messagerie")
	def(column{kind: colEmail, types: []string{"internet"}, program: ol}, "E-mail 2 Address", "E-Mail 2: Adresse", "Adresse de messagerie 2")
	def(column{kind: colEmail, types: []string{"internet"}, program: ol}, "E-mail 3 Address", "E-Mail 3: Adresse", "Adresse de messagerie 3")
	def(column{kind: colEmail, types: []string{"internet", "pref"}, program: tb}, "Primary Email")
	def(column{kind: colEmail, types: []string{"internet"}, program: tb}, "Secondary Email")
	// A hand-made or unknown program's CSV.
	def(column{kind: colEmail, types: []string{"internet"}}, "E-mail")

	phones := []struct {
		types   []string
		program Format
		names   []string
	}{
		{[]string{"work", "voice"}, ol, []string{"Business Phone", "Telefon geschäftlich", "Téléphone (bureau)"}},
		{[]string{"work", "voice"}, ol, []string{"Business Phone 2", "Telefon geschäftlich 2", "Téléphone 2 (bureau)"}},
		{[]string{"work", "fax"}, ol, []string{"Business Fax", "Fax geschäftlich", "Télécopie (bureau)"}},
		{[]string{"home", "voice"}, ol, []string{"Home Phone", "Telefon privat", "Téléphone (domicile)"}},
		{[]string{"home", "voice"}, ol, []string{"Home Phone 2", "Telefon privat 2", "Téléphone 2 (domicile)"}},
		{[]string{"home", "fax"}, ol, []string{"Home Fax", "Fax privat", "Télécopie (domicile)"}},
		{[]string{"cell", "voice"}, ol, []string{"Mobile Phone", "Mobiltelefon", "Tél. mobile"}},
		{[]string{"pager"}, "", []string{"Pager"}},
		{[]string{"pager"}, ol, []string{"Récepteur de radiomessagerie"}},
		{[]string{"car"}, ol, []string{"Car Phone", "Autotelefon", "Téléphone (voiture)"}},
		{[]string{"work", "main"}, ol, []string{"Company Main Phone", "Telefon Firma", "Téléphone société"}},
		{[]string{"pref"}, ol, []string{"Primary Phone", "Haupttelefon", "Téléphone principal"}},
		{[]string{"other", "voice"}, ol, []string{"Other Phone", "Weiteres Telefon", "Téléphone (autre)"}},
		{[]string{"other", "fax"}, ol, []string{"Other Fax", "Weiteres Fax", "Télécopie (autre)"}},
		{[]string{"assistant"}, ol, []string{"Assistant's Phone", "Telefon Assistent", "Téléphone de l'assistant(e)"}},
		{[]string{"callback"}, ol, []string{"Callback", "Rückmeldung", "Rappel"}},
		// German Outlook names Radio Phone "Mobiltelefon 2" (so says Exchange's importer);
		// "Funkruf" appears in one third-party mapping and is accepted as well.
		{[]string{"radio"}, ol, []string{"Radio Phone", "Mobiltelefon 2", "Funkruf", "Radio téléphone"}},
		{[]string{"isdn"}, ol, []string{"ISDN", "RNIS"}},
		{[]string{"telex"}, ol, []string{"Telex", "Télex"}},
		{[]string{"tty"}, ol, []string{"TTY/TDD Phone", "Telefon für Hörbehinderte", "Téléphone TDD/TTY"}},
		{[]string{"work", "voice"}, tb, []string{"Work Phone"}},
		{[]string{"fax"}, tb, []string{"Fax Number"}},
		{[]string{"pager"}, tb, []string{"Pager Number"}},
		{[]string{"cell", "voice"}, tb, []string{"Mobile Number"}},
		{[]string{"voice"}, "", []string{"Phone", "Phone Number", "Telephone"}},
		{[]string{"cell", "voice"}, "", []string{"Mobile", "Cell Phone"}},
	}
	for _, p := range phones {
		def(column{kind: colPhone, types: p.types, program: p.program}, p.names...)
	}

	addr := func(slot string, types []string, part addrPart, program Format, names ...string) {
		def(column{kind: colAddr, types: types, part: part, slot: slot, program: program}, names...)
	}
	addr("business", typesWork, partStreet, ol, "Business Street", "Straße geschäftlich", "Rue (bureau)")
	addr("business", typesWork, partStreet, ol, "Business Street 2", "Straße geschäftlich 2", "Rue (bureau) 2")
	addr("business", typesWork, partStreet, ol, "Business Street 3", "Straße geschäftlich 3", "Rue (bureau) 3")
	addr("business", typesWork, partCity, ol, "Business City", "Ort geschäftlich", "Ville (bureau)")
	addr("business", typesWork, partRegion, ol, "Business State", "Region geschäftlich", "Dép/Région (bureau)")
	addr("business", typesWork, partPostal, ol, "Business Postal Code", "Postleitzahl geschäftlich", "Code postal (bureau)")
	addr("business", typesWork, partCountry, ol, "Business Country/Region", "Business Country", "Land/Region geschäftlich", "Land geschäftlich", "Pays/Région (bureau)")
	addr("business", typesWork, partPOBox, ol, "Business Address PO Box", "Postfach geschäftlich", "B.P. professionnelle")
	addr("business", typesWork, partStreet, tb, "Work Address", "Work Address 2")
	addr("business", typesWork, partCity, tb, "Work City")
	addr("business", typesWork, partRegion, tb, "Work State")
	addr("business", typesWork, partPostal, tb, "Work ZipCode")
	addr("business", typesWork, partCountry, tb, "Work Country")

	addr("home", typesHome, partStreet, ol, "Home Street", "Straße privat", "Rue (domicile)")
	addr("home", typesHome, partStreet, ol, "Home Street 2", "Straße privat 2", "Rue (domicile) 2")
	addr("home", typesHome, partStreet, ol, "Home Street 3", "Straße privat 3", "Rue (domicile) 3")
	addr("home", typesHome, partCity, "", "Home City", "Ort privat", "Ville (domicile)")
	addr("home", typesHome, partRegion, "", "Home State", "Bundesland/Kanton privat", "Region privat", "Dép/Région (domicile)")
	addr("home", typesHome, partPostal, ol, "Home Postal Code", "Postleitzahl privat", "Code postal (domicile)")
	addr("home", typesHome, partCountry, ol, "Home Country/Region", "Land/Region privat", "Land privat", "Pays/Région (domicile)")
	addr("home", typesHome, partPOBox, ol, "Home Address PO Box", "Postfach privat", "Boîte postale du domicile")
	addr("home", typesHome, partStreet, tb, "Home Address", "Home Address 2")
	addr("home", typesHome, partPostal, tb, "Home ZipCode")
	addr("home", typesHome, partCountry, "", "Home Country")

	addr("other", typesOther, partStreet, ol, "Other Street", "Weitere Straße", "Rue (autre)")
	addr("other", typesOther, partStreet, ol, "Other Street 2", "Weitere Straße 2", "Rue (autre) 2")
	addr("other", typesOther, partStreet, ol, "Other Street 3", "Weitere Straße 3", "Rue (autre) 3")
	addr("other", typesOther, partCity, ol, "Other City", "Weiterer Ort", "Ville (autre)")
	addr("other", typesOther, partRegion, ol, "Other State", "Weiteres/r Bundesland/Kanton", "Weitere Region", "Dép/Région (autre)")
	addr("other", typesOther, partPostal, ol, "Other Postal Code", "Weitere Postleitzahl", "Code postal (autre)")
	addr("other", typesOther, partCountry, ol, "Other Country/Region", "Other Country", "Weiteres/e Land/Region", "Weiteres Land", "Pays/Région (autre)")
	addr("other", typesOther, partPOBox, ol, "Other Address PO Box", "Weiteres Postfach", "Autre boîte postale")
}

// outlookColumnEnglish translates the German names of the Outlook columns SyncGuard keeps
// in Contact.Other (they have no field of their own) to the English header, so that a
// restore file written from a German export still fills them. Names from the same
// Exchange list as above.
var outlookColumnEnglish = map[string]string{
	"Konto": "Account", "Name Assistent": "Assistant's Name", "Abrechnungsinformation": "Billing Information",
	"Kinder": "Children", "E-Mail-Typ": "E-mail Type", "E-Mail: Angezeigter Name": "E-mail Display Name",
	"E-Mail 2: Typ": "E-mail 2 Type", "E-Mail 2: Angezeigter Name": "E-mail 2 Display Name",
	"E-Mail 3: Typ": "E-mail 3 Type", "E-Mail 3: Angezeigter Name": "E-mail 3 Display Name",
	"Geschlecht": "Gender", "Regierungsnr.": "Government ID Number", "Hobby": "Hobby", "Initialen": "Initials",
	"Internet-Frei/Gebucht": "Internet Free Busy", "Ort": "Location", "Name des/der Vorgesetzten": "Manager's Name",
	"Büro": "Office Location", "Priorität": "Priority", "Privat": "Private", "Beruf": "Profession", "Vertraulichkeit": "Sensitivity",
	"Partner": "Spouse", "Benutzer 1": "User 1", "Benutzer 2": "User 2", "Benutzer 3": "User 3", "Benutzer 4": "User 4",

	"Compte": "Account", "Nom de l'assistant(e)": "Assistant's Name", "Informations facturation": "Billing Information",
	"Enfants": "Children", "Type de messagerie": "E-mail Type", "Nom complet de l'adresse de messagerie": "E-mail Display Name",
	"Type de messagerie 2": "E-mail 2 Type", "Nom complet de l'adresse de messagerie 2": "E-mail 2 Display Name",
	"Type de messagerie 3": "E-mail 3 Type", "Nom complet de l'adresse de messagerie 3": "E-mail 3 Display Name",
	"Sexe": "Gender", "Code gouvernement": "Government ID Number", "Passe-temps": "Hobby", "Initiales": "Initials",
	"Disponibilité Internet": "Internet Free Busy", "Emplacement": "Location", "Responsable": "Manager's Name",
	"Bureau": "Office Location", "Priorité": "Priority", "Critère de diffusion": "Sensitivity", "Conjoint(e)": "Spouse",
	"Utilisateur 1": "User 1", "Utilisateur 2": "User 2", "Utilisateur 3": "User 3", "Utilisateur 4": "User 4",
}

// outlookDefaults are the values Outlook writes into every row of some columns whatever
// the contact holds ("Normal" priority, "Unspecified" gender). They say nothing about the
// contact, so they are not kept in Contact.Other. Keyed by headerKey. The German values
// are our best knowledge ("Normal" is certain, the others less so); a wrong guess only
// means the value is kept in Other, never that data is lost.
var outlookDefaults = map[string][]string{
	"gender": {"unspecified"}, "geschlecht": {"nicht angegeben", "unbekannt"},
	"priority": {"normal"}, "priorität": {"normal"},
	"sensitivity": {"normal"}, "vertraulichkeit": {"normal"},
	"private": {"false"}, "privat": {"false", "aus", "falsch"},
	"emailtype": {"smtp"}, "email2type": {"smtp"}, "email3type": {"smtp"},
	"emailtyp": {"smtp"}, "email2typ": {"smtp"}, "email3typ": {"smtp"},
	"typedemessagerie": {"smtp"}, "typedemessagerie2": {"smtp"}, "typedemessagerie3": {"smtp"},
	"priorité": {"normal", "normale"}, "critèredediffusion": {"normal", "normale"},
	"sexe": {"non spécifié", "unspecified"},
}

// googleMulti matches Google's numbered columns: "E-mail 1 - Value", "Phone 2 - Type",
// "Address 1 - City", "Organization 1 - Name", "Website 1 - Value", and the "- Label" of
// the newer export.
var googleMulti = regexp.MustCompile(`^(e-mail|email|phone|address|organization|website) (\d+) - (.+)$`)

// thunderbirdBirth are Thunderbird's three birthday columns, matched as written because
// "Birth Day" folds to the same key as Outlook's "Birthday".
var thunderbirdBirth = map[string]colKind{"birth year": colBirthYear, "birth month": colBirthMonth, "birth day": colBirthDay}
