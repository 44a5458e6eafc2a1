package payout

import (
	"fmt"
	"slices"

	"ledgerdesk/domain/money"
)

// Decide turns a command into events, or refuses it with no events.
func Decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case Start:
		return start(s, c)
	case AddLine:
		return addLine(s, c)
	case Finalise:
		return finalise(s, c)
	case Export:
		return export(s, c)
	case MarkSubmitted:
		return markSubmitted(s, c)
	case MarkSettled:
		return markSettled(s, c)
	case FailLine:
		return failLine(s, c)
	case Abandon:
		return abandon(s, c)
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnknownCommand, c)
	}
}

// inStatus checks the command is addressed to this run and that the run is exactly at the
// step the command needs, saying whether it is too early or too late.
func inStatus(s State, id string, want Status) error {
	if err := checkID("payout id", id); err != nil {
		return err
	}
	switch {
	case s.Status == StatusNone:
		return fmt.Errorf("%w: payout %s", ErrNotStarted, id)
	case id != s.ID:
		return fmt.Errorf("%w: field payout id: %s, but this is payout %s", ErrWrongPayout, id, s.ID)
	case s.Status == StatusAbandoned:
		return fmt.Errorf("%w: payout %s", ErrAbandoned, s.ID)
	case s.Status == want:
		return nil
	case s.Status.rank() < want.rank():
		return fmt.Errorf("%w: payout %s is %s", map[Status]error{
			StatusFinalised: ErrNotFinalised, StatusExported: ErrNotExported, StatusSubmitted: ErrNotSubmitted,
		}[want], s.ID, s.Status)
	default:
		return fmt.Errorf("%w: payout %s is %s", map[Status]error{
			StatusDrafting: ErrAlreadyFinalised, StatusFinalised: ErrAlreadyExported, StatusExported: ErrAlreadySubmitted, StatusSubmitted: ErrAlreadySettled,
		}[want], s.ID, s.Status)
	}
}

func start(s State, c Start) ([]Event, error) {
	if err := firstError(
		checkID("payout id", c.PayoutID),
		checkDate("cutoff", c.Cutoff),
		checkID("requested by", c.RequestedBy),
		checkTime("started at", c.At),
	); err != nil {
		return nil, err
	}
	if s.Status != StatusNone {
		return nil, fmt.Errorf("%w: payout %s", ErrAlreadyStarted, s.ID)
	}
	return []Event{Started{PayoutID: c.PayoutID, Cutoff: c.Cutoff, RequestedBy: c.RequestedBy, StartedAt: c.At.UTC()}}, nil
}

func addLine(s State, c AddLine) ([]Event, error) {
	if err := firstError(
		inStatus(s, c.PayoutID, StatusDrafting),
		checkID("clinician id", c.ClinicianID),
		checkEarningIDs(c.EarningIDs),
		checkAmount("amount", c.Amount),
		checkTime("added at", c.At),
	); err != nil {
		return nil, err
	}
	payee, err := normalisePayee(c.Payee)
	if err != nil {
		return nil, err
	}
	if s.lineIndex(c.ClinicianID) >= 0 {
		return nil, fmt.Errorf("%w: clinician %s in payout %s", ErrDuplicateLine, c.ClinicianID, s.ID)
	}
	if len(s.Lines) >= MaxLines {
		return nil, fmt.Errorf("%w: payout %s already has the maximum of %d lines", ErrInvalidInput, s.ID, MaxLines)
	}
	for _, l := range s.Lines {
		for _, id := range c.EarningIDs {
			if slices.Contains(l.EarningIDs, id) {
				return nil, fmt.Errorf("%w: earning %s is on clinician %s's line", ErrEarningInTwoLines, id, l.ClinicianID)
			}
		}
	}
	return []Event{LineAdded{
		PayoutID:      s.ID,
		ClinicianID:   c.ClinicianID,
		EarningIDs:    slices.Clone(c.EarningIDs),
		Amount:        canonical(c.Amount),
		PayeeName:     payee.Name,
		SortCode:      payee.SortCode,
		AccountNumber: payee.AccountNumber,
		AddedAt:       c.At.UTC(),
	}}, nil
}

func finalise(s State, c Finalise) ([]Event, error) {
	if err := firstError(inStatus(s, c.PayoutID, StatusDrafting), checkTime("finalised at", c.At)); err != nil {
		return nil, err
	}
	if len(s.Lines) == 0 {
		return nil, fmt.Errorf("%w: add at least one clinician's line before finalising payout %s", ErrNoLines, s.ID)
	}
	return []Event{Finalised{PayoutID: s.ID, Total: s.Total, LineCount: len(s.Lines), FinalisedAt: c.At.UTC()}}, nil
}

// export of the very file already recorded decides nothing, so a writer that crashed after
// writing but before recording can simply run again; a different file is refused, because
// the bank must only ever see one.
func export(s State, c Export) ([]Event, error) {
	if err := firstError(checkMessageID(c.MessageID), checkSHA256(c.SHA256), checkTime("exported at", c.At)); err != nil {
		return nil, err
	}
	if s.MessageID != "" && s.Status != StatusAbandoned && c.PayoutID == s.ID {
		if c.MessageID == s.MessageID && c.SHA256 == s.SHA256 {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: payout %s was exported as message %s", ErrAlreadyExported, s.ID, s.MessageID)
	}
	if err := inStatus(s, c.PayoutID, StatusFinalised); err != nil {
		return nil, err
	}
	return []Event{Exported{PayoutID: s.ID, MessageID: c.MessageID, SHA256: c.SHA256, ExportedAt: c.At.UTC()}}, nil
}

func markSubmitted(s State, c MarkSubmitted) ([]Event, error) {
	if err := firstError(inStatus(s, c.PayoutID, StatusExported), checkTime("submitted at", c.At)); err != nil {
		return nil, err
	}
	return []Event{Submitted{PayoutID: s.ID, SubmittedAt: c.At.UTC()}}, nil
}

func markSettled(s State, c MarkSettled) ([]Event, error) {
	if err := firstError(inStatus(s, c.PayoutID, StatusSubmitted), checkTime("settled at", c.At)); err != nil {
		return nil, err
	}
	lines := []SettledLine{}
	total := money.FromPence(0)
	for _, l := range s.Lines {
		if l.Failed {
			continue
		}
		lines = append(lines, SettledLine{ClinicianID: l.ClinicianID, EarningIDs: slices.Clone(l.EarningIDs), Amount: l.Amount})
		total = total.Add(l.Amount)
	}
	return []Event{Settled{PayoutID: s.ID, Lines: lines, Total: canonical(total), SettledAt: c.At.UTC()}}, nil
}

func failLine(s State, c FailLine) ([]Event, error) {
	if err := firstError(
		inStatus(s, c.PayoutID, StatusSubmitted),
		checkID("clinician id", c.ClinicianID),
		checkText("reason", c.Reason, MaxReasonLength),
		checkTime("failed at", c.At),
	); err != nil {
		return nil, err
	}
	l, ok := s.Line(c.ClinicianID)
	if !ok {
		return nil, fmt.Errorf("%w: clinician %s in payout %s", ErrNoSuchLine, c.ClinicianID, s.ID)
	}
	if l.Failed {
		return nil, fmt.Errorf("%w: clinician %s in payout %s (%s)", ErrLineAlreadyFailed, c.ClinicianID, s.ID, l.FailReason)
	}
	return []Event{LineFailed{PayoutID: s.ID, ClinicianID: l.ClinicianID, EarningIDs: slices.Clone(l.EarningIDs), Amount: l.Amount,
		Reason: c.Reason, FailedAt: c.At.UTC()}}, nil
}

// abandon is allowed until the bank has the file: after submission only the bank's answer
// (settled, or a failed line) can release the earnings.
func abandon(s State, c Abandon) ([]Event, error) {
	if err := firstError(
		checkID("payout id", c.PayoutID),
		checkText("reason", c.Reason, MaxReasonLength),
		checkTime("abandoned at", c.At),
	); err != nil {
		return nil, err
	}
	if err := inStatus(s, c.PayoutID, s.Status); err != nil { // a live run, addressed by its id
		return nil, err
	}
	if s.Status.rank() >= StatusSubmitted.rank() {
		return nil, fmt.Errorf("%w: payout %s is %s; wait for the bank to settle or fail its lines", ErrAlreadySubmitted, s.ID, s.Status)
	}
	ids := make([]string, len(s.Lines))
	for i, l := range s.Lines {
		ids[i] = l.ClinicianID
	}
	return []Event{Abandoned{PayoutID: s.ID, ClinicianIDs: ids, Reason: c.Reason, AbandonedAt: c.At.UTC()}}, nil
}
