package contact_test

import (
	"errors"
	"strings"
	"testing"

	"ledgerdesk/domain/contact"
)

type parseCase struct {
	in   string
	want string // normalised; "" means rejected
}

func runParse(t *testing.T, name string, parse func(string) (string, error), kind error, cases []parseCase) {
	t.Helper()
	for _, c := range cases {
		got, err := parse(c.in)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s(%q) = %q, want rejection", name, c.in, got)
				continue
			}
			if !errors.Is(err, kind) || !errors.Is(err, contact.ErrInvalid) {
				t.Errorf("%s(%q) error %v does not match %v and ErrInvalid", name, c.in, err, kind)
			}
			var fe *contact.FieldError
			if !errors.As(err, &fe) || fe.Field == "" || fe.Reason == "" {
				t.Errorf("%s(%q) error %v is not a *FieldError with field and reason", name, c.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s(%q) rejected: %v", name, c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s(%q) = %q, want %q", name, c.in, got, c.want)
		}
	}
}

func TestParseEmail(t *testing.T) {
	runParse(t, "ParseEmail", contact.ParseEmail, contact.ErrInvalidEmail, []parseCase{
		{"jo.bloggs@example.co.uk", "jo.bloggs@example.co.uk"},
		{"  Jo.Bloggs@Example.CO.UK ", "jo.bloggs@example.co.uk"},
		{"jo+tickets@nhs.net", "jo+tickets@nhs.net"},
		{"o'brien@example.ie", "o'brien@example.ie"},
		{"a@b-c.io", "a@b-c.io"},
		{strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com"},
		{"", ""},
		{"   ", ""},
		{"jo", ""},
		{"jo@", ""},
		{"@example.com", ""},
		{"jo@localhost", ""},
		{"jo@@example.com", ""},
		{"jo@a@example.com", ""},
		{"Jo Bloggs <jo@example.com>", ""},
		{"<jo@example.com>", ""},
		{`"jo"@example.com`, ""},
		{`"jo bloggs"@example.com`, ""},
		{"jo@example.com (work)", ""},
		{"jo@[192.0.2.1]", ""},
		{"jo@192.0.2.1", ""},
		{"jo@example.c", ""},
		{"jo@-example.com", ""},
		{"jo@example-.com", ""},
		{"jo@exa_mple.com", ""},
		{"jo@example..com", ""},
		{"jo@.example.com", ""},
		{"jo@example.com.", ""},
		{".jo@example.com", ""},
		{"jo.@example.com", ""},
		{"j..o@example.com", ""},
		{"jö@example.com", ""},
		{"jo@exämple.com", ""},
		{"jo bloggs@example.com", ""},
		{"jo@example.com, al@example.com", ""},
		{strings.Repeat("a", 65) + "@example.com", ""},
		{"a@" + strings.Repeat("b", 64) + ".com", ""},
		{"a@" + strings.Repeat(strings.Repeat("b", 60)+".", 5) + "com", ""},
	})
}

func TestParsePhone(t *testing.T) {
	runParse(t, "ParsePhone", contact.ParsePhone, contact.ErrInvalidPhone, []parseCase{
		{"07700 900123", "+447700900123"},
		{"07700900123", "+447700900123"},
		{"+44 7700 900123", "+447700900123"},
		{"+447700900123", "+447700900123"},
		{"+44 (0)7700 900123", "+447700900123"},
		{"(020) 7946 0000", "+442079460000"},
		{"020-7946-0000", "+442079460000"},
		{"0300 123 4567", "+443001234567"},
		{"01632 960001", "+441632960001"},
		{"016977 4567", "+44169774567"},
		{"0800 123 456", "+44800123456"},
		{"", ""},
		{"7700 900123", ""},
		{"+44 07700 900123", ""},
		{"+1 202 555 0100", ""},
		{"0044 7700 900123", ""},
		{"07700 90012", ""},
		{"07700 9001234", ""},
		{"0207946000", ""},
		{"04700 900123", ""},
		{"06700 900123", ""},
		{"07700.900.123", ""},
		{"07700 900123 ext 2", ""},
		{"0+7700900123", ""},
		{strings.Repeat("0", 40), ""},
	})
}

func TestParseName(t *testing.T) {
	runParse(t, "ParseName", contact.ParseName, contact.ErrInvalidName, []parseCase{
		{"Jo Bloggs", "Jo Bloggs"},
		{"  Jo   Bloggs ", "Jo Bloggs"},
		{"Siobhán O'Brien-Ní Bhriain", "Siobhán O'Brien-Ní Bhriain"},
		{"李小龍", "李小龍"},
		{"Dr Smith Ltd 2", "Dr Smith Ltd 2"},
		{strings.Repeat("a", contact.MaxNameLength), strings.Repeat("a", contact.MaxNameLength)},
		{"", ""},
		{"   ", ""},
		{"123", ""},
		{"-- ''", ""},
		{"Jo\nBloggs", ""},
		{"Jo\x00Bloggs", ""},
		{"Jo\u200bBloggs", ""},
		{"Jo\u202eBloggs", ""},
		{"Jo\xffBloggs", ""},
		{strings.Repeat("a", contact.MaxNameLength+1), ""},
	})
}

func TestParseIP(t *testing.T) {
	runParse(t, "ParseIP", contact.ParseIP, contact.ErrInvalidIP, []parseCase{
		{"203.0.113.7", "203.0.113.7"},
		{" 203.0.113.7\n", "203.0.113.7"},
		{"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"127.0.0.1", "127.0.0.1"},
		{"", ""},
		{"203.0.113", ""},
		{"203.0.113.256", ""},
		{"203.000.113.7", ""},
		{"203.0.113.7/24", ""},
		{"203.0.113.7:443", ""},
		{"fe80::1%eth0", ""},
		{"0.0.0.0", ""},
		{"::", ""},
		{"224.0.0.1", ""},
		{"ff02::1", ""},
		{"example.com", ""},
		{strings.Repeat("1", 80), ""},
	})
}

func TestParseSortCodeAndAccountNumber(t *testing.T) {
	runParse(t, "ParseSortCode", contact.ParseSortCode, contact.ErrInvalidSortCode, []parseCase{
		{"12-34-56", "123456"},
		{"123456", "123456"},
		{" 12-34-56 ", "123456"},
		{"", ""},
		{"12 34 56", ""},
		{"12-3456", ""},
		{"1234567", ""},
		{"12-34-5a", ""},
		{"١٢٣٤٥٦", ""},
	})
	runParse(t, "ParseAccountNumber", contact.ParseAccountNumber, contact.ErrInvalidAccountNumber, []parseCase{
		{"12345678", "12345678"},
		{"00012345", "00012345"},
		{"", ""},
		{"1234567", ""},
		{"123456789", ""},
		{"1234 5678", ""},
		{"1234567a", ""},
	})
	if got := contact.FormatSortCode("123456"); got != "12-34-56" {
		t.Errorf("FormatSortCode = %q", got)
	}
}

func TestParsePostcode(t *testing.T) {
	runParse(t, "ParsePostcode", contact.ParsePostcode, contact.ErrInvalidPostcode, []parseCase{
		{"SW1A 1AA", "SW1A 1AA"},
		{"sw1a1aa", "SW1A 1AA"},
		{" ec1a  1bb ", "EC1A 1BB"},
		{"W1A 0AX", "W1A 0AX"},
		{"M1 1AE", "M1 1AE"},
		{"B33 8TH", "B33 8TH"},
		{"CR2 6XH", "CR2 6XH"},
		{"DN55 1PT", "DN55 1PT"},
		{"GIR 0AA", "GIR 0AA"},
		{"", ""},
		{"SW1A", ""},
		{"SW1A 1A", ""},
		{"QW1A 1AA", ""},
		{"SW1A 1CA", ""},
		{"12345", ""},
		{"ſw1a 1aa", ""},
		{"SW1A-1AA", ""},
		{"SW1A 1AA X", ""},
	})
}

func TestParseAddress(t *testing.T) {
	got, err := contact.ParseAddress(contact.Address{Line1: " Flat 2 ", Line2: "", Line3: "10  Downing Street", Town: "London", Postcode: "sw1a2aa"})
	if err != nil {
		t.Fatal(err)
	}
	want := contact.Address{Line1: "Flat 2", Line2: "10 Downing Street", Town: "London", Postcode: "SW1A 2AA"}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for name, c := range map[string]struct {
		a     contact.Address
		field string
		kind  error
	}{
		"no first line":  {contact.Address{Town: "London", Postcode: "SW1A 2AA"}, "address_line1", contact.ErrInvalidAddress},
		"no town":        {contact.Address{Line1: "1 High St", Postcode: "SW1A 2AA"}, "town", contact.ErrInvalidAddress},
		"no postcode":    {contact.Address{Line1: "1 High St", Town: "London"}, "postcode", contact.ErrInvalidPostcode},
		"bad postcode":   {contact.Address{Line1: "1 High St", Town: "London", Postcode: "London"}, "postcode", contact.ErrInvalidPostcode},
		"control char":   {contact.Address{Line1: "1 High St", Line2: "a\tb", Town: "London", Postcode: "SW1A 2AA"}, "address_line2", contact.ErrInvalidAddress},
		"line too long":  {contact.Address{Line1: strings.Repeat("x", contact.MaxAddressLine+1), Town: "London", Postcode: "SW1A 2AA"}, "address_line1", contact.ErrInvalidAddress},
		"line3 too long": {contact.Address{Line1: "1", Line3: strings.Repeat("x", contact.MaxAddressLine+1), Town: "London", Postcode: "SW1A 2AA"}, "address_line3", contact.ErrInvalidAddress},
	} {
		_, err := contact.ParseAddress(c.a)
		var fe *contact.FieldError
		if !errors.Is(err, c.kind) || !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: got %v, want %v on field %s", name, err, c.kind, c.field)
		}
	}
}

// An error names the field and the reason but never echoes the value: values are personal
// data and errors are logged.
func TestErrorsNameFieldAndNeverEchoTheValue(t *testing.T) {
	_, err := contact.ParseEmail("Secret Person <secret.person@example.com>")
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	if !strings.Contains(msg, "field email") || strings.Contains(msg, "secret") {
		t.Fatalf("message %q", msg)
	}
}

func TestInFieldRenamesTheField(t *testing.T) {
	_, err := contact.ParseName("")
	err = contact.InField("account_name", err)
	var fe *contact.FieldError
	if !errors.As(err, &fe) || fe.Field != "account_name" || !errors.Is(err, contact.ErrInvalidName) {
		t.Fatalf("got %v", err)
	}
	other := errors.New("other")
	if contact.InField("x", other) != other {
		t.Fatal("InField changed a foreign error")
	}
}
