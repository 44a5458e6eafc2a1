package pain001

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"
)

// dateTimeLayout is xs:dateTime to the second in UTC: banks differ on fractional seconds, and
// a creation stamp finer than a second tells them nothing.
const dateTimeLayout = "2006-01-02T15:04:05Z"

// Write validates f and writes it to w as a pain.001.001.09 document. The same File always
// gives the same bytes. If f is invalid nothing is written.
func Write(w io.Writer, f File) error {
	if err := Validate(f); err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(toDocument(f)); err != nil {
		return fmt.Errorf("pain001: encode payout file %q: %w", f.MessageID, err)
	}
	buf.WriteByte('\n')
	// One write, so a validation or encoding failure never leaves half a file behind.
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("pain001: write payout file %q: %w", f.MessageID, err)
	}
	return nil
}

func toDocument(f File) document {
	count := strconv.Itoa(len(f.Lines))
	total := f.Total().String()
	txs := make([]transaction, len(f.Lines))
	for i, l := range f.Lines {
		tx := transaction{
			PmtID:    paymentID{InstrID: l.InstructionID, EndToEndID: l.EndToEndID},
			Amt:      amount{InstdAmt: &currencyAmount{Ccy: Currency, Value: l.Amount.String()}},
			CdtrAgt:  toAgent(l.Creditor),
			Cdtr:     &party{Nm: l.Creditor.Name},
			CdtrAcct: toAccount(l.Creditor),
		}
		if l.RemittanceInfo != "" {
			tx.RmtInf = &remittance{Ustrd: []string{l.RemittanceInfo}}
		}
		txs[i] = tx
	}
	return document{Initn: initiation{
		GrpHdr: groupHeader{
			MsgID:    f.MessageID,
			CreDtTm:  f.CreatedAt.UTC().Truncate(time.Second).Format(dateTimeLayout),
			NbOfTxs:  count,
			CtrlSum:  total,
			InitgPty: party{Nm: f.Debtor.Name},
		},
		PmtInf: []paymentInstruction{{
			PmtInfID:    f.PaymentInfoID,
			PmtMtd:      PaymentMethod,
			NbOfTxs:     count,
			CtrlSum:     total,
			ReqdExctnDt: dateChoice{Dt: f.RequestedExecutionDate.String()},
			Dbtr:        party{Nm: f.Debtor.Name},
			DbtrAcct:    toAccount(f.Debtor),
			DbtrAgt:     toAgent(f.Debtor),
			CdtTrfTxInf: txs,
		}},
	}}
}

func toAccount(p Party) *cashAccount {
	return &cashAccount{ID: accountID{Othr: &genericAccount{
		ID:      p.SortCode + p.AccountNumber,
		SchmeNm: &codeOrName{Prtry: AccountScheme},
	}}}
}

func toAgent(p Party) *agent {
	return &agent{FinInstnID: financialInstitution{ClrSysMmbID: &clearingMember{
		ClrSysID: &codeOrName{Cd: ClearingSystemCode},
		MmbID:    p.SortCode,
	}}}
}
