package authz

import "fmt"

// Action is one thing a person can ask the system to do or show.
type Action string

const (
	ReadAppointment         Action = "appointment.read"
	BookAppointment         Action = "appointment.book"
	RescheduleAppointment   Action = "appointment.reschedule"
	CancelAppointment       Action = "appointment.cancel"
	CompleteAppointment     Action = "appointment.complete"
	SubmitForm              Action = "appointment.submit_form"
	ReadInvoice             Action = "invoice.read"
	RaiseInvoice            Action = "invoice.raise"
	AddBillableItem         Action = "invoice.add_item"
	IssueInvoice            Action = "invoice.issue"
	RecordPayment           Action = "invoice.record_payment"
	VoidInvoice             Action = "invoice.void"
	ReadEarnings            Action = "earnings.read"
	ReadPayouts             Action = "payout.read"
	RunPayout               Action = "payout.run"
	ReadV1                  Action = "v1.read"
	TickOffV1               Action = "v1.tick_off"
	ReadTicket              Action = "ticket.read"
	OpenTicket              Action = "ticket.open"
	ReplyToTicket           Action = "ticket.reply"
	ReadInternalNotes       Action = "ticket.internal_notes.read"
	WriteInternalNote       Action = "ticket.internal_notes.write"
	ChangeTicketStatus      Action = "ticket.status.change"
	ReadIdentityDocument    Action = "ticket.identity_document.read"
	ReadProjectionStatus    Action = "projections.read"
	ManageTokens            Action = "tokens.manage"
	ReadOwnProfile          Action = "profile.read"
	ResetPasswordOnBehalfOf Action = "account.password.reset_on_behalf"
)

// Scope says how far a role's permission for an action reaches.
type Scope int

const (
	// Any record.
	Any Scope = iota + 1
	// OwnPatient: records whose patient is the actor.
	OwnPatient
	// OwnClinician: records whose clinician is the actor.
	OwnClinician
	// Self: records whose owner (requester, account holder) is the actor.
	Self
)

// Resource is what an action touches, as far as authorization cares: whose it is.
type Resource struct {
	PatientID   string
	ClinicianID string
	// OwnerID is the account that owns a record that is neither a patient's nor a
	// clinician's (a ticket's requester, a profile).
	OwnerID string
}

// rules is the whole policy. Auditors read everything and change nothing; only accounts
// runs payouts and ticks off V1 items; only agents see internal notes and identity
// documents (auditors included: those are the most sensitive things the practice holds,
// and every view is recorded).
var rules = map[Action]map[Role]Scope{
	ReadAppointment:       {Patient: OwnPatient, Clinician: OwnClinician, Accounts: Any, Auditor: Any, Admin: Any},
	BookAppointment:       {Patient: OwnPatient, Clinician: OwnClinician, Admin: Any},
	RescheduleAppointment: {Patient: OwnPatient, Clinician: OwnClinician, Admin: Any},
	CancelAppointment:     {Patient: OwnPatient, Clinician: OwnClinician, Admin: Any},
	CompleteAppointment:   {Clinician: OwnClinician, Admin: Any},
	SubmitForm:            {Clinician: OwnClinician},

	ReadInvoice:     {Patient: OwnPatient, Accounts: Any, Auditor: Any, Admin: Any},
	RaiseInvoice:    {Accounts: Any, Admin: Any},
	AddBillableItem: {Clinician: OwnClinician, Accounts: Any, Admin: Any},
	IssueInvoice:    {Accounts: Any, Admin: Any},
	RecordPayment:   {Patient: OwnPatient, Accounts: Any, Admin: Any},
	VoidInvoice:     {Accounts: Any, Admin: Any},

	ReadEarnings: {Clinician: OwnClinician, Accounts: Any, Auditor: Any, Admin: Any},
	ReadPayouts:  {Accounts: Any, Auditor: Any, Admin: Any},
	RunPayout:    {Accounts: Any},
	ReadV1:       {Accounts: Any, Auditor: Any, Admin: Any},
	TickOffV1:    {Accounts: Any},

	ReadTicket:           {Patient: Self, Clinician: Self, SupportAgent: Any, ITSupport: Any, Accounts: Self, Auditor: Any, Admin: Any},
	OpenTicket:           {Patient: Self, Clinician: Self, SupportAgent: Any, ITSupport: Any, Accounts: Self, Admin: Any},
	ReplyToTicket:        {Patient: Self, Clinician: Self, SupportAgent: Any, ITSupport: Any},
	ReadInternalNotes:    {SupportAgent: Any, ITSupport: Any},
	WriteInternalNote:    {SupportAgent: Any, ITSupport: Any},
	ChangeTicketStatus:   {Patient: Self, Clinician: Self, SupportAgent: Any, ITSupport: Any},
	ReadIdentityDocument: {SupportAgent: Any},

	ResetPasswordOnBehalfOf: {ITSupport: Any},
	ReadProjectionStatus:    {ITSupport: Any, Auditor: Any, Admin: Any},
	ManageTokens:            {Admin: Any},
	ReadOwnProfile:          {Patient: Any, Clinician: Any, SupportAgent: Any, ITSupport: Any, Accounts: Any, Auditor: Any, Admin: Any},
}

// Actions lists every action the policy knows.
func Actions() []Action {
	out := make([]Action, 0, len(rules))
	for a := range rules {
		out = append(out, a)
	}
	return out
}

// Allowed says whether role may take action on some record (ignoring whose): it is what a
// listing or a menu needs before it knows the records.
func Allowed(role Role, action Action) bool {
	_, ok := rules[action][role]
	return ok
}

// Authorize says whether actor may take action on res; the error wraps ErrForbidden (or
// ErrUnauthenticated) and says why in words.
func Authorize(actor Actor, action Action, res Resource) error {
	if err := actor.Valid(); err != nil {
		return err
	}
	scope, ok := rules[action][actor.Role]
	if !ok {
		return fmt.Errorf("%w: a %s may not %s", ErrForbidden, actor.Role, action)
	}
	var owner, whose string
	switch scope {
	case Any:
		return nil
	case OwnPatient:
		owner, whose = res.PatientID, "patient"
	case OwnClinician:
		owner, whose = res.ClinicianID, "clinician"
	case Self:
		owner, whose = res.OwnerID, "owner"
	}
	if owner == "" || owner != actor.Subject {
		return fmt.Errorf("%w: a %s may %s only where they are the %s", ErrForbidden, actor.Role, action, whose)
	}
	return nil
}
