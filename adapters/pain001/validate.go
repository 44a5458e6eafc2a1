package pain001

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"ledgerdesk/domain/ledger"
)

// maxReported caps the problems Validate lists, so a file with thousands of bad lines still
// gives a readable message.
const maxReported = 20

// maxTotal is the first amount that no longer fits the schema's 18 total digits at 2 decimals.
var maxTotal = decimal.New(1, 16)

// Validate lists every reason f cannot be written as a payout file. It returns nil when Write
// would succeed.
func Validate(f File) error {
	var v problems
	v.add(checkText("", "message id", f.MessageID, MaxIDLength, true))
	v.add(checkText("", "payment information id", f.PaymentInfoID, MaxIDLength, true))
	v.add(checkCreatedAt(f.CreatedAt))
	v.add(checkExecutionDate(f.RequestedExecutionDate, f.CreatedAt))
	v.party("", "debtor", f.Debtor)

	switch {
	case len(f.Lines) == 0:
		v.add(fmt.Errorf("%w: a payout file needs at least one payment line", ErrNoLines))
	case len(f.Lines) > MaxLines:
		v.add(fmt.Errorf("%w: %d lines; one file carries at most %d", ErrTooManyLines, len(f.Lines), MaxLines))
	}
	endToEnd := map[string]int{}
	instruction := map[string]int{}
	for i, l := range f.Lines {
		n := i + 1
		where := fmt.Sprintf("line %d: ", n)
		if err := checkText(where, "end-to-end id", l.EndToEndID, MaxIDLength, true); err != nil {
			v.add(err)
		} else {
			where = fmt.Sprintf("line %d (end-to-end id %q): ", n, l.EndToEndID)
			if first, dup := endToEnd[l.EndToEndID]; dup {
				v.add(fmt.Errorf("%w: %send-to-end id is already used by line %d", ErrDuplicateID, where, first))
			} else {
				endToEnd[l.EndToEndID] = n
			}
		}
		if err := checkText(where, "instruction id", l.InstructionID, MaxIDLength, false); err != nil {
			v.add(err)
		} else if l.InstructionID != "" {
			if first, dup := instruction[l.InstructionID]; dup {
				v.add(fmt.Errorf("%w: %sinstruction id %q is already used by line %d", ErrDuplicateID, where, l.InstructionID, first))
			} else {
				instruction[l.InstructionID] = n
			}
		}
		v.party(where, "creditor", l.Creditor)
		d := l.Amount.Decimal()
		switch {
		case !l.Amount.IsPositive():
			v.add(fmt.Errorf("%w: %samount £%s must be more than zero", ErrInvalidAmount, where, l.Amount))
		case !d.Equal(d.Truncate(2)):
			v.add(fmt.Errorf("%w: %samount %s has more than 2 decimal places", ErrInvalidAmount, where, d))
		}
		v.add(checkText(where, "remittance information", l.RemittanceInfo, MaxTextLength, false))
	}
	if total := f.Total(); total.Decimal().Cmp(maxTotal) >= 0 {
		v.add(fmt.Errorf("%w: the file's total £%s is larger than the bank file can carry", ErrInvalidAmount, total))
	}
	return v.err()
}

func checkCreatedAt(t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("%w: creation time is not set", ErrMissingField)
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return fmt.Errorf("%w: creation time %v is outside the years 0001 to 9999", ErrInvalidDate, t)
	}
	return nil
}

func checkExecutionDate(d ledger.Date, created time.Time) error {
	if d.IsZero() {
		return fmt.Errorf("%w: requested execution date is not set", ErrMissingField)
	}
	if d.Year < 1 || d.Year > 9999 || ledger.DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) != d {
		return fmt.Errorf("%w: requested execution date %s is not a real calendar date", ErrInvalidDate, d)
	}
	if created.IsZero() {
		return nil // reported by checkCreatedAt
	}
	if c := ledger.LondonDate(created); d.Before(c) {
		return fmt.Errorf("%w: requested execution date %s is before the file was created (%s in London)", ErrInvalidDate, d, c)
	}
	return nil
}

// problems collects validation failures in the order they were found.
type problems struct {
	list  []error
	extra int
}

func (p *problems) add(err error) {
	if err == nil {
		return
	}
	if len(p.list) < maxReported {
		p.list = append(p.list, err)
		return
	}
	p.extra++
}

// party checks a name and UK bank details; account details are described, never echoed,
// because error messages end up in logs.
func (p *problems) party(where, who string, pt Party) {
	p.add(checkText(where, who+" name", pt.Name, MaxTextLength, true))
	switch {
	case pt.SortCode == "":
		p.add(fmt.Errorf("%w: %s%s sort code is empty", ErrMissingField, where, who))
	case !checkDigits(pt.SortCode, 6):
		p.add(fmt.Errorf("%w: %s%s sort code must be exactly 6 digits with no dashes or spaces (such as 123456)", ErrInvalidSortCode, where, who))
	}
	switch {
	case pt.AccountNumber == "":
		p.add(fmt.Errorf("%w: %s%s account number is empty", ErrMissingField, where, who))
	case !checkDigits(pt.AccountNumber, 8):
		p.add(fmt.Errorf("%w: %s%s account number must be exactly 8 digits", ErrInvalidAccountNumber, where, who))
	}
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	list := p.list
	if p.extra > 0 {
		list = append(list, fmt.Errorf("and %d more problems", p.extra))
	}
	return errors.Join(list...)
}
