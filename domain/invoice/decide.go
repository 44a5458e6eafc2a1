package invoice

import "fmt"

// Decide turns a command into events, or refuses it with no events.
func Decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case Raise:
		return raise(s, c)
	case AddBillableItem:
		return addItem(s, c)
	case Issue:
		return issue(s, c)
	case RecordPayment:
		return recordPayment(s, c)
	case Void:
		return void(s, c)
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnknownCommand, c)
	}
}

func raise(s State, c Raise) ([]Event, error) {
	if err := firstError(
		checkID("invoice id", c.InvoiceID),
		checkID("patient id", c.PatientID),
		checkTime("raised at", c.At),
	); err != nil {
		return nil, err
	}
	if s.Status != StatusNone {
		return nil, fmt.Errorf("%w: invoice %s already exists", ErrAlreadyRaised, s.ID)
	}
	return []Event{Raised{InvoiceID: c.InvoiceID, PatientID: c.PatientID, RaisedAt: c.At.UTC()}}, nil
}

func existing(s State, id string) error {
	if err := checkID("invoice id", id); err != nil {
		return err
	}
	if s.Status == StatusNone {
		return fmt.Errorf("%w: invoice %s", ErrNotRaised, id)
	}
	if id != s.ID {
		return fmt.Errorf("%w: field invoice id: %s, but this is invoice %s", ErrWrongInvoice, id, s.ID)
	}
	return nil
}

// addItem allows items only while the invoice is a draft: once it is issued the patient
// has been sent its total, which must not move under them (nor under what they pay).
func addItem(s State, c AddBillableItem) ([]Event, error) {
	if err := firstError(
		existing(s, c.InvoiceID),
		checkID("item id", c.ItemID),
		checkID("clinician id", c.ClinicianID),
		checkText("description", c.Description, MaxDescriptionLength),
		checkAmount("amount", c.Amount, MaxItemAmount),
		checkTime("added at", c.At),
	); err != nil {
		return nil, err
	}
	switch {
	case s.Status == StatusVoided:
		return nil, fmt.Errorf("%w: invoice %s cannot take new items", ErrInvoiceVoided, s.ID)
	case s.Status != StatusDraft:
		return nil, fmt.Errorf("%w: invoice %s is %s, and items go only on a draft; raise the item on a new invoice", ErrAlreadyIssued, s.ID, s.Status)
	case s.HasItem(c.ItemID):
		return nil, fmt.Errorf("%w: field item id: %s", ErrDuplicateItem, c.ItemID)
	case len(s.Items) >= MaxItems:
		return nil, fmt.Errorf("%w: invoice %s already has the maximum of %d items", ErrInvalidInput, s.ID, MaxItems)
	}
	return []Event{BillableItemAdded{
		InvoiceID:   s.ID,
		PatientID:   s.PatientID,
		ItemID:      c.ItemID,
		ClinicianID: c.ClinicianID,
		Description: c.Description,
		Amount:      canonical(c.Amount),
		AddedAt:     c.At.UTC(),
	}}, nil
}

func issue(s State, c Issue) ([]Event, error) {
	if err := firstError(existing(s, c.InvoiceID), checkTime("issued at", c.At)); err != nil {
		return nil, err
	}
	switch s.Status {
	case StatusVoided:
		return nil, fmt.Errorf("%w: invoice %s cannot be issued", ErrInvoiceVoided, s.ID)
	case StatusIssued, StatusPaid:
		return nil, fmt.Errorf("%w: invoice %s", ErrAlreadyIssued, s.ID)
	}
	if len(s.Items) == 0 {
		return nil, fmt.Errorf("%w: add at least one item before issuing invoice %s", ErrNoItems, s.ID)
	}
	return []Event{Issued{InvoiceID: s.ID, PatientID: s.PatientID, Total: s.Total, IssuedAt: c.At.UTC()}}, nil
}

// recordPayment emits PaidInFull in the same decision as the payment that completes the
// total, so no reader can ever see the last payment without the release it triggers.
func recordPayment(s State, c RecordPayment) ([]Event, error) {
	if err := firstError(
		existing(s, c.InvoiceID),
		checkID("payment id", c.PaymentID),
		checkAmount("amount", c.Amount, MaxPaymentAmount),
		checkTime("paid at", c.At),
	); err != nil {
		return nil, err
	}
	switch s.Status {
	case StatusVoided:
		return nil, fmt.Errorf("%w: invoice %s cannot be paid", ErrInvoiceVoided, s.ID)
	case StatusDraft:
		return nil, fmt.Errorf("%w: invoice %s is still a draft", ErrNotIssued, s.ID)
	}
	if prev, ok := s.Payments[c.PaymentID]; ok {
		return nil, fmt.Errorf("%w: field payment id: %s (£%s) is already on invoice %s", ErrDuplicatePayment, c.PaymentID, prev, s.ID)
	}
	outstanding := s.Outstanding()
	if c.Amount.Cmp(outstanding) > 0 {
		return nil, fmt.Errorf("%w: field amount: £%s paid but only £%s is outstanding on invoice %s", ErrOverpayment, c.Amount, outstanding, s.ID)
	}
	paid := canonical(s.Paid.Add(c.Amount))
	left := canonical(outstanding.Sub(c.Amount))
	at := c.At.UTC()
	evs := []Event{PaymentRecorded{
		InvoiceID:   s.ID,
		PatientID:   s.PatientID,
		PaymentID:   c.PaymentID,
		Amount:      canonical(c.Amount),
		PaidTotal:   paid,
		Outstanding: left,
		PaidAt:      at,
	}}
	if left.IsZero() {
		items := make([]PaidItem, len(s.Items))
		for i, it := range s.Items {
			items[i] = PaidItem{ItemID: it.ID, ClinicianID: it.ClinicianID, Amount: it.Amount}
		}
		evs = append(evs, PaidInFull{InvoiceID: s.ID, PatientID: s.PatientID, Total: s.Total, Items: items, PaidAt: at})
	}
	return evs, nil
}

func void(s State, c Void) ([]Event, error) {
	if err := firstError(
		existing(s, c.InvoiceID),
		checkText("reason", c.Reason, MaxReasonLength),
		checkTime("voided at", c.At),
	); err != nil {
		return nil, err
	}
	if s.Status == StatusVoided {
		return nil, fmt.Errorf("%w: invoice %s is already voided", ErrInvoiceVoided, s.ID)
	}
	if !s.Paid.IsZero() {
		return nil, fmt.Errorf("%w: £%s paid on invoice %s; refund before voiding", ErrPaymentsExist, s.Paid, s.ID)
	}
	return []Event{Voided{InvoiceID: s.ID, PatientID: s.PatientID, Reason: c.Reason, VoidedAt: c.At.UTC()}}, nil
}
