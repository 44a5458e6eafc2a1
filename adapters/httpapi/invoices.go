package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
	"ledgerdesk/projections/invoices"
)

// InvoiceRef names an invoice in a command's path.
type InvoiceRef struct {
	CommandHeaders
	ID string `path:"id" maxLength:"128"`
}

// InvoiceList is a page of invoices.
type InvoiceList struct {
	Invoices []invoices.Invoice `json:"invoices"`
}

type raiseInput struct {
	CommandHeaders
	Body struct {
		InvoiceID string `json:"invoice_id,omitempty" maxLength:"128" doc:"Optional: the client's id for the invoice; a new UUID otherwise"`
		PatientID string `json:"patient_id" minLength:"1" maxLength:"128"`
	}
}

type addItemInput struct {
	InvoiceRef
	Body struct {
		ItemID      string `json:"item_id,omitempty" maxLength:"128"`
		ClinicianID string `json:"clinician_id" minLength:"1" maxLength:"128"`
		Description string `json:"description" maxLength:"2000"`
		Amount      string `json:"amount" pattern:"^[0-9]+(\\.[0-9]{1,2})?$" doc:"GBP"`
	}
}

type paymentInput struct {
	InvoiceRef
	Body struct {
		PaymentID string `json:"payment_id" minLength:"1" maxLength:"128" doc:"The payment provider's reference"`
		Amount    string `json:"amount" pattern:"^[0-9]+(\\.[0-9]{1,2})?$" doc:"GBP"`
	}
}

type voidInput struct {
	InvoiceRef
	Body struct {
		Reason string `json:"reason" maxLength:"2000"`
	}
}

func (a *API) registerInvoices() {
	const tag = "invoices"
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/invoices", "raise-invoice", "Open a draft invoice for a patient", tag, http.StatusCreated),
		func(ctx context.Context, in *raiseInput) (*commandOutput, error) {
			id := in.Body.InvoiceID
			if id == "" {
				id = uuid.Must(uuid.NewV7()).String()
			}
			return a.runCommand(ctx, id, in.CommandHeaders, invoice.Raise{InvoiceID: id, PatientID: in.Body.PatientID, At: a.now()})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/invoices/{id}/items", "add-billable-item", "Put a clinician's billable item on the invoice", tag, http.StatusOK),
		func(ctx context.Context, in *addItemInput) (*commandOutput, error) {
			amt, err := money.Parse(in.Body.Amount)
			if err != nil {
				return nil, problemFor(err)
			}
			item := in.Body.ItemID
			if item == "" {
				item = uuid.Must(uuid.NewV7()).String()
			}
			return a.runCommand(ctx, in.ID, in.CommandHeaders, invoice.AddBillableItem{
				InvoiceID: in.ID, ItemID: item, ClinicianID: in.Body.ClinicianID, Description: in.Body.Description, Amount: amt, At: a.now()})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/invoices/{id}/issue", "issue-invoice", "Send the invoice to the patient", tag, http.StatusOK),
		func(ctx context.Context, in *InvoiceRef) (*commandOutput, error) {
			return a.runCommand(ctx, in.ID, in.CommandHeaders, invoice.Issue{InvoiceID: in.ID, At: a.now()})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/invoices/{id}/payments", "record-payment", "Record money received from the patient", tag, http.StatusOK),
		func(ctx context.Context, in *paymentInput) (*commandOutput, error) {
			amt, err := money.Parse(in.Body.Amount)
			if err != nil {
				return nil, problemFor(err)
			}
			return a.runCommand(ctx, in.ID, in.CommandHeaders, invoice.RecordPayment{InvoiceID: in.ID, PaymentID: in.Body.PaymentID, Amount: amt, At: a.now()})
		})
	huma.Register(a.huma, op(http.MethodPost, "/api/v1/invoices/{id}/void", "void-invoice", "Cancel an invoice nobody has paid towards", tag, http.StatusOK),
		func(ctx context.Context, in *voidInput) (*commandOutput, error) {
			return a.runCommand(ctx, in.ID, in.CommandHeaders, invoice.Void{InvoiceID: in.ID, Reason: in.Body.Reason, At: a.now()})
		})

	type listInput struct {
		Status    string `query:"status" enum:"draft,issued,paid,voided," doc:"Only invoices in this status"`
		PatientID string `query:"patient_id" maxLength:"128"`
		Limit     int    `query:"limit" minimum:"0" maximum:"10000"`
	}
	type listOutput struct{ Body InvoiceList }
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/invoices", "list-invoices", "Invoices, newest first (a patient sees only their own)", tag, http.StatusOK),
		func(ctx context.Context, in *listInput) (*listOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			list, err := a.cfg.App.Invoices(ctx, call, invoices.Filter{Status: in.Status, PatientID: in.PatientID, Limit: in.Limit})
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			out := &listOutput{}
			out.Body.Invoices = list
			if list == nil {
				out.Body.Invoices = []invoices.Invoice{}
			}
			return out, nil
		})
	type getInput struct {
		ID string `path:"id" maxLength:"128"`
	}
	type getOutput struct {
		ETag string `header:"ETag"`
		Body invoices.Invoice
	}
	huma.Register(a.huma, op(http.MethodGet, "/api/v1/invoices/{id}", "get-invoice", "One invoice with its items and payments", tag, http.StatusOK),
		func(ctx context.Context, in *getInput) (*getOutput, error) {
			call, err := callOf(ctx, nil)
			if err != nil {
				return nil, err
			}
			inv, err := a.cfg.App.Invoice(ctx, call, in.ID)
			if err != nil {
				return nil, a.queryError(ctx, err)
			}
			return &getOutput{ETag: etag(uint64(inv.Version)), Body: inv}, nil
		})
}
