package payouts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"

	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/domain/check"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
)

// ExportRequest asks for a run's bank file.
type ExportRequest struct {
	PayoutID string
	// Debtor is the practice's own account, which the bank debits.
	Debtor Party
	// ExecutionDate is the day the bank should pay; zero means the day of the export
	// (Europe/London).
	ExecutionDate ledger.Date
	By            string
	At            time.Time
	CorrelationID uuid.UUID
}

// ExportReport describes the file written.
type ExportReport struct {
	PayoutID  string       `json:"payout_id"`
	MessageID string       `json:"message_id"`
	SHA256    string       `json:"sha256"`
	Lines     int          `json:"lines"`
	Total     money.Amount `json:"total"`
	Bytes     int          `json:"bytes"`
	// Again says the run had already been exported and this is the very same file.
	Again bool `json:"again"`
}

// exportView is the payout run plus the moment it was exported, which the file's creation
// time must repeat for a re-export to be byte-identical.
type exportView struct {
	payout.State
	exportedAt time.Time
}

var exportFold = decider.Decider[exportView, payout.Command, payout.Event]{
	Initial: func() exportView { return exportView{State: payout.Decider.Initial()} },
	Evolve: func(s exportView, e payout.Event) exportView {
		s.State = payout.Evolve(s.State, e)
		if x, ok := e.(payout.Exported); ok {
			s.exportedAt = x.ExportedAt
		}
		return s
	},
}

// Export writes the run's bank file to w, in bank's format, and records it on the run
// (message id and SHA-256). The file is a function of the recorded run and the request, so exporting an
// exported run again with the same debtor gives the same bytes and records nothing new;
// a different file for the same run is refused (payout.ErrAlreadyExported), because the
// bank must only ever see one. The record is made before anything is written to w: a
// failed write is repaired by exporting again.
func Export(ctx context.Context, deps commands.Deps, bank BankFileWriter, req ExportRequest, w io.Writer) (ExportReport, error) {
	if bank == nil {
		return ExportReport{}, fmt.Errorf("%w: an export needs a bank-file writer", ErrInvalidInput)
	}
	if err := check.First(
		check.ID(ErrInvalidInput, "payout id", req.PayoutID, check.MaxIDLength),
		check.ID(ErrInvalidInput, "by", req.By, check.MaxIDLength),
		check.Time(ErrInvalidInput, "at", req.At),
	); err != nil {
		return ExportReport{}, err
	}
	v, _, err := commands.Load(ctx, deps, exportFold, payout.StreamID(req.PayoutID))
	if err != nil {
		return ExportReport{}, err
	}
	switch v.Status {
	case payout.StatusNone:
		return ExportReport{}, fmt.Errorf("%w: payout %s", payout.ErrNotStarted, req.PayoutID)
	case payout.StatusAbandoned:
		return ExportReport{}, fmt.Errorf("%w: payout %s", payout.ErrAbandoned, req.PayoutID)
	case payout.StatusDrafting:
		return ExportReport{}, fmt.Errorf("%w: payout %s is still being drafted; run it again to finish it", payout.ErrNotFinalised, req.PayoutID)
	}
	again := v.MessageID != ""
	if !again && v.Status != payout.StatusFinalised {
		return ExportReport{}, fmt.Errorf("%w: payout %s is %s", payout.ErrNotFinalised, req.PayoutID, v.Status)
	}
	created := req.At
	if again {
		created = v.exportedAt
	}
	if err := CheckExecutionDate(req.ExecutionDate, created); err != nil {
		return ExportReport{}, fmt.Errorf("payout %s: %w", req.PayoutID, err)
	}
	f, err := bankFile(v.State, req, created)
	if err != nil {
		return ExportReport{}, err
	}
	var buf bytes.Buffer
	if err := bank.Write(&buf, f); err != nil {
		return ExportReport{}, fmt.Errorf("payout %s: %w", req.PayoutID, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	rep := ExportReport{PayoutID: req.PayoutID, MessageID: f.MessageID, SHA256: hex.EncodeToString(sum[:]), Lines: len(f.Lines),
		Total: f.Total(), Bytes: buf.Len(), Again: again}
	meta := commands.Metadata{CommandID: commands.NewCommandID(), CorrelationID: req.CorrelationID, Actor: req.By}
	if _, err := commands.Execute(ctx, deps, payout.Decider, payout.StreamID(req.PayoutID), payout.Command(payout.Export{
		PayoutID: req.PayoutID, MessageID: rep.MessageID, SHA256: rep.SHA256, At: created,
	}), meta); err != nil {
		return rep, err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return rep, fmt.Errorf("writing the bank file of payout %s: %w (it is recorded: export again to write it)", req.PayoutID, err)
	}
	return rep, nil
}

// bankFile lays the run out as a bank file, one credit transfer per line.
func bankFile(run payout.State, req ExportRequest, created time.Time) (BankFile, error) {
	key := fileKey(run.ID)
	exec := req.ExecutionDate
	if exec.IsZero() {
		exec = ledger.LondonDate(created)
	}
	f := BankFile{
		MessageID:              MessageID(run.ID),
		CreatedAt:              created,
		Debtor:                 req.Debtor,
		RequestedExecutionDate: exec,
		PaymentInfoID:          "PI" + key,
	}
	// Every line, failed or not: the file is the one that was sent, whatever the bank
	// later did with its lines, so that exporting again reproduces it byte for byte.
	for i, l := range run.Lines {
		if l.Payee.Name == codec.Erased || l.Payee.SortCode == codec.Erased || l.Payee.AccountNumber == codec.Erased {
			return BankFile{}, fmt.Errorf("%w: clinician %s on payout %s", ErrPayeeErased, l.ClinicianID, run.ID)
		}
		f.Lines = append(f.Lines, BankLine{
			EndToEndID:     key[:24] + "-" + strconv.Itoa(i+1),
			Creditor:       Party{Name: l.Payee.Name, SortCode: l.Payee.SortCode, AccountNumber: l.Payee.AccountNumber},
			Amount:         l.Amount,
			RemittanceInfo: fmt.Sprintf("Payout for work to %s: %d item(s)", run.Cutoff, len(l.EarningIDs)),
		})
	}
	return f, nil
}

// CheckExecutionDate refuses a requested execution date before the day (in London) a bank
// file made at createdAt is created: the bank would reject the file. Zero means "the day of
// the export", always fine. A run that will be exported is checked with this before anything
// is recorded, so a bad date leaves nothing behind.
func CheckExecutionDate(exec ledger.Date, createdAt time.Time) error {
	if exec.IsZero() {
		return nil
	}
	if err := check.Date(ErrInvalidInput, "execution date", exec); err != nil {
		return err
	}
	if c := ledger.LondonDate(createdAt); exec.Before(c) {
		return check.Failf(ErrInvalidInput, "execution date", "%s is before the bank file's creation date, %s (London): the bank cannot pay on a day already past", exec, c)
	}
	return nil
}

// CheckDebtor says what is wrong with the practice's own account as bank's files would
// carry it, so a run can be refused before it starts rather than after it is drafted.
func CheckDebtor(bank BankFileWriter, p Party) error {
	f := BankFile{
		MessageID: "CHECK", PaymentInfoID: "CHECK", CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		RequestedExecutionDate: ledger.Date{Year: 2025, Month: 1, Day: 1}, Debtor: p,
		Lines: []BankLine{{EndToEndID: "CHECK", Amount: money.FromPence(1),
			Creditor: Party{Name: "Check", SortCode: "000000", AccountNumber: "00000000"}}},
	}
	return bank.Validate(f)
}
