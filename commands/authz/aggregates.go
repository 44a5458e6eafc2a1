package authz

import (
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/invoice"
)

// Appointments guards the appointment aggregate.
var Appointments = Guard[appointment.State, appointment.Command, appointment.Event]{
	Decider: appointment.Decider,
	Stream: func(c appointment.Command) string {
		switch c := c.(type) {
		case appointment.Book:
			return appointment.StreamID(c.AppointmentID)
		case appointment.Reschedule:
			return appointment.StreamID(c.AppointmentID)
		case appointment.Cancel:
			return appointment.StreamID(c.AppointmentID)
		case appointment.Complete:
			return appointment.StreamID(c.AppointmentID)
		case appointment.SubmitForm:
			return appointment.StreamID(c.AppointmentID)
		}
		return ""
	},
	Action: func(c appointment.Command) Action {
		switch c.(type) {
		case appointment.Book:
			return BookAppointment
		case appointment.Reschedule:
			return RescheduleAppointment
		case appointment.Cancel:
			return CancelAppointment
		case appointment.Complete:
			return CompleteAppointment
		case appointment.SubmitForm:
			return SubmitForm
		}
		return ""
	},
	Resource: func(s appointment.State, c appointment.Command) Resource {
		if b, ok := c.(appointment.Book); ok && s.ID == "" {
			return Resource{PatientID: b.PatientID, ClinicianID: b.ClinicianID}
		}
		return AppointmentResource(s)
	},
}

// AppointmentResource is whose appointment it is.
func AppointmentResource(s appointment.State) Resource {
	return Resource{PatientID: s.PatientID, ClinicianID: s.ClinicianID}
}

// Invoices guards the invoice aggregate.
var Invoices = Guard[invoice.State, invoice.Command, invoice.Event]{
	Decider: invoice.Decider,
	Stream: func(c invoice.Command) string {
		switch c := c.(type) {
		case invoice.Raise:
			return invoice.StreamID(c.InvoiceID)
		case invoice.AddBillableItem:
			return invoice.StreamID(c.InvoiceID)
		case invoice.Issue:
			return invoice.StreamID(c.InvoiceID)
		case invoice.RecordPayment:
			return invoice.StreamID(c.InvoiceID)
		case invoice.Void:
			return invoice.StreamID(c.InvoiceID)
		}
		return ""
	},
	Action: func(c invoice.Command) Action {
		switch c.(type) {
		case invoice.Raise:
			return RaiseInvoice
		case invoice.AddBillableItem:
			return AddBillableItem
		case invoice.Issue:
			return IssueInvoice
		case invoice.RecordPayment:
			return RecordPayment
		case invoice.Void:
			return VoidInvoice
		}
		return ""
	},
	Resource: func(s invoice.State, c invoice.Command) Resource {
		switch c := c.(type) {
		case invoice.Raise:
			if s.ID == "" {
				return Resource{PatientID: c.PatientID}
			}
		case invoice.AddBillableItem:
			// The clinician raising the item is the one it pays.
			return Resource{PatientID: s.PatientID, ClinicianID: c.ClinicianID}
		}
		return InvoiceResource(s)
	},
}

// InvoiceResource is whose invoice it is.
func InvoiceResource(s invoice.State) Resource { return Resource{PatientID: s.PatientID} }
