package web

import (
	"errors"
	"regexp"
	"strings"

	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/ticket"
)

// categoryOrder is the order the form offers the categories in: the help page's own
// troubles first.
var categoryOrder = []ticket.Category{ticket.CategoryLoginTrouble, ticket.CategoryBlockedIP, ticket.CategoryTwoFactorReset,
	ticket.CategoryAccountDetails, ticket.CategoryEquipmentTest, ticket.CategoryPayments, ticket.CategoryOther}

var categoryLabels = map[ticket.Category]string{
	ticket.CategoryLoginTrouble:   "Trouble logging in",
	ticket.CategoryBlockedIP:      "I cannot see the login screen (blocked IP address)",
	ticket.CategoryTwoFactorReset: "Two-factor authentication reset",
	ticket.CategoryAccountDetails: "My account details",
	ticket.CategoryEquipmentTest:  "Testing my equipment",
	ticket.CategoryPayments:       "Payments",
	ticket.CategoryOther:          "Something else",
}

func categoryLabel(c ticket.Category) string {
	if l, ok := categoryLabels[c]; ok {
		return l
	}
	return string(c)
}

var statusLabels = map[ticket.Status]string{
	ticket.StatusNew:     "New",
	ticket.StatusOpen:    "Open",
	ticket.StatusPending: "Waiting for your reply",
	ticket.StatusOnHold:  "On hold",
	ticket.StatusSolved:  "Solved",
	ticket.StatusClosed:  "Closed",
}

func statusLabel(s ticket.Status) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// formField is one input of a form: its id, and its label as the messages name it.
type formField struct{ id, label string }

// ticketFields maps the ticket decider's field names to the open-a-ticket form's inputs.
var ticketFields = map[string]formField{
	"category": {"category", "What your ticket is about"},
	"subject":  {"subject", "Subject"},
	"body":     {"body", "Description"},
	"ip":       {"ip", "IP address"},
}

// fieldPattern finds the field a failed check names ("…: field subject: is empty").
var fieldPattern = regexp.MustCompile(`field ([a-z_]+): (.+)$`)

// formErrors turns a refusal that names one of fields into the message beside it; nil
// when the error is about no field of this form.
func formErrors(err error, fields map[string]formField) fieldErrors {
	var name, reason string
	var fe *contact.FieldError
	if errors.As(err, &fe) {
		name, reason = fe.Field, fe.Reason
	} else if m := fieldPattern.FindStringSubmatch(err.Error()); m != nil {
		name, reason = m[1], m[2]
	}
	f, ok := fields[name]
	if !ok {
		return nil
	}
	switch reason {
	case "is empty", "is required":
		return fieldErrors{{f.id, "Enter " + article(f.label) + "."}}
	}
	return fieldErrors{{f.id, f.label + " " + strings.TrimSuffix(reason, ".") + "."}}
}

func article(label string) string {
	l := strings.ToLower(label)
	if strings.HasPrefix(l, "ip") {
		return "the " + "IP address"
	}
	if l != "" && strings.ContainsRune("aeiou", rune(l[0])) {
		return "an " + l
	}
	return "a " + l
}
