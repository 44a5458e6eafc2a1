package pain001

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// Parse reads a payout file that Write produced. It checks the declared transaction counts and
// control sums against the lines and runs Validate on the result, so a File it returns can be
// written again unchanged. CreatedAt comes back in UTC, to the second.
func Parse(r io.Reader) (File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return File{}, fmt.Errorf("pain001: read payout file: %w", err)
	}
	if len(data) > MaxFileBytes {
		return File{}, fmt.Errorf("%w: larger than %d bytes", ErrMalformed, MaxFileBytes)
	}
	var doc document
	dec := xml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return File{}, fmt.Errorf("%w: not a pain.001.001.09 document: %v", ErrMalformed, err)
	}
	if err := onlyTrailingWhitespace(dec); err != nil {
		return File{}, err
	}
	f, err := fromDocument(doc)
	if err != nil {
		return File{}, err
	}
	if err := Validate(f); err != nil {
		return File{}, err
	}
	return f, nil
}

func onlyTrailingWhitespace(dec *xml.Decoder) error {
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: after the document: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return fmt.Errorf("%w: text after the end of the document", ErrMalformed)
			}
		default:
			return fmt.Errorf("%w: content after the end of the document", ErrMalformed)
		}
	}
}

func fromDocument(doc document) (File, error) {
	gh := doc.Initn.GrpHdr
	if len(doc.Initn.PmtInf) != 1 {
		return File{}, fmt.Errorf("%w: %d payment information blocks; a payout file has exactly one", ErrMalformed, len(doc.Initn.PmtInf))
	}
	pi := doc.Initn.PmtInf[0]
	if pi.PmtMtd != PaymentMethod {
		return File{}, fmt.Errorf("%w: payment method %q, want %s", ErrMalformed, pi.PmtMtd, PaymentMethod)
	}
	if gh.InitgPty.Nm != pi.Dbtr.Nm {
		return File{}, fmt.Errorf("%w: the initiating party is not the debtor", ErrMalformed)
	}
	created, err := time.Parse(time.RFC3339, strings.TrimSpace(gh.CreDtTm))
	if err != nil {
		return File{}, fmt.Errorf("%w: creation time %q is not an ISO date-time with a time zone", ErrInvalidDate, gh.CreDtTm)
	}
	if pi.ReqdExctnDt.Dt == "" {
		return File{}, fmt.Errorf("%w: no requested execution date (ReqdExctnDt/Dt)", ErrMalformed)
	}
	exec, err := ledger.ParseDate(strings.TrimSpace(pi.ReqdExctnDt.Dt))
	if err != nil {
		return File{}, fmt.Errorf("%w: requested execution date: %v", ErrInvalidDate, err)
	}
	debtor, err := fromParty("", "debtor", &pi.Dbtr, pi.DbtrAcct, pi.DbtrAgt)
	if err != nil {
		return File{}, err
	}
	if n := len(pi.CdtTrfTxInf); n > MaxLines {
		return File{}, fmt.Errorf("%w: %d lines; one file carries at most %d", ErrTooManyLines, n, MaxLines)
	}
	f := File{
		MessageID:              gh.MsgID,
		CreatedAt:              created.UTC().Truncate(time.Second),
		Debtor:                 debtor,
		RequestedExecutionDate: exec,
		PaymentInfoID:          pi.PmtInfID,
		Lines:                  make([]Line, 0, len(pi.CdtTrfTxInf)),
	}
	for i, tx := range pi.CdtTrfTxInf {
		l, err := fromTransaction(i+1, tx)
		if err != nil {
			return File{}, err
		}
		f.Lines = append(f.Lines, l)
	}
	total := f.Total()
	for _, c := range []struct{ where, count, sum string }{
		{"group header", gh.NbOfTxs, gh.CtrlSum},
		{"payment information", pi.NbOfTxs, pi.CtrlSum},
	} {
		if err := checkControls(c.where, c.count, c.sum, len(f.Lines), total); err != nil {
			return File{}, err
		}
	}
	return f, nil
}

func fromTransaction(n int, tx transaction) (Line, error) {
	where := fmt.Sprintf("line %d: ", n)
	if tx.Amt.InstdAmt == nil {
		return Line{}, fmt.Errorf("%w: %sno instructed amount (Amt/InstdAmt)", ErrMalformed, where)
	}
	if tx.Amt.InstdAmt.Ccy != Currency {
		return Line{}, fmt.Errorf("%w: %scurrency %q; payouts are in %s", ErrInvalidAmount, where, tx.Amt.InstdAmt.Ccy, Currency)
	}
	amt, err := money.Parse(strings.TrimSpace(tx.Amt.InstdAmt.Value))
	if err != nil {
		return Line{}, fmt.Errorf("%w: %samount: %v", ErrInvalidAmount, where, err)
	}
	creditor, err := fromParty(where, "creditor", tx.Cdtr, tx.CdtrAcct, tx.CdtrAgt)
	if err != nil {
		return Line{}, err
	}
	var remit string
	if tx.RmtInf != nil {
		switch len(tx.RmtInf.Ustrd) {
		case 0:
		case 1:
			remit = tx.RmtInf.Ustrd[0]
		default:
			return Line{}, fmt.Errorf("%w: %s%d remittance texts; a payout line has at most one", ErrMalformed, where, len(tx.RmtInf.Ustrd))
		}
	}
	return Line{
		EndToEndID:     tx.PmtID.EndToEndID,
		InstructionID:  tx.PmtID.InstrID,
		Creditor:       creditor,
		Amount:         amt,
		RemittanceInfo: remit,
	}, nil
}

// fromParty undoes toAccount and toAgent, insisting that the bank's sort code and the one in
// the account id agree: if they differ we cannot tell which account was meant.
func fromParty(where, who string, p *party, acct *cashAccount, agt *agent) (Party, error) {
	if p == nil {
		return Party{}, fmt.Errorf("%w: %sno %s", ErrMalformed, where, who)
	}
	if acct == nil || acct.ID.Othr == nil {
		return Party{}, fmt.Errorf("%w: %sno %s account (Othr)", ErrMalformed, where, who)
	}
	o := acct.ID.Othr
	if o.SchmeNm == nil || o.SchmeNm.Prtry != AccountScheme {
		return Party{}, fmt.Errorf("%w: %s%s account is not in the %s scheme", ErrMalformed, where, who, AccountScheme)
	}
	if len(o.ID) != 14 {
		return Party{}, fmt.Errorf("%w: %s%s account id must be 14 digits (sort code then account number)", ErrMalformed, where, who)
	}
	if agt == nil || agt.FinInstnID.ClrSysMmbID == nil {
		return Party{}, fmt.Errorf("%w: %sno %s bank sort code (ClrSysMmbId)", ErrMalformed, where, who)
	}
	m := agt.FinInstnID.ClrSysMmbID
	if m.ClrSysID == nil || m.ClrSysID.Cd != ClearingSystemCode {
		return Party{}, fmt.Errorf("%w: %s%s bank is not identified in the %s clearing system", ErrMalformed, where, who, ClearingSystemCode)
	}
	if m.MmbID != o.ID[:6] {
		return Party{}, fmt.Errorf("%w: %s%s bank sort code differs from the sort code in the account id", ErrMalformed, where, who)
	}
	return Party{Name: p.Nm, SortCode: o.ID[:6], AccountNumber: o.ID[6:]}, nil
}

func checkControls(where, count, sum string, lines int, total money.Amount) error {
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n < 0 {
		return fmt.Errorf("%w: %s number of transactions %q is not a count", ErrMalformed, where, count)
	}
	if n != lines {
		return fmt.Errorf("%w: %s says %d transactions but the file has %d", ErrControlMismatch, where, n, lines)
	}
	if sum == "" {
		return fmt.Errorf("%w: %s has no control sum", ErrMalformed, where)
	}
	s, err := money.Parse(strings.TrimSpace(sum))
	if err != nil {
		return fmt.Errorf("%w: %s control sum: %v", ErrMalformed, where, err)
	}
	if !s.Equal(total) {
		return fmt.Errorf("%w: %s control sum is £%s but the lines add up to £%s", ErrControlMismatch, where, s, total)
	}
	return nil
}
