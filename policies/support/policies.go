package support

import (
	"context"
	"log/slog"

	"ledgerdesk/codec"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/commands"
	support "ledgerdesk/commands/support"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// Policy names; each is also the consumer name of its checkpoint.
const (
	TwoFactorResetName      = "support_two_factor_reset"
	DocumentDestructionName = "support_document_destruction"
)

// TwoFactorReset resets a portal account's two-factor when an agent verifies the
// requester's identity on a two-factor reset ticket.
type TwoFactorReset struct {
	svc *support.Service
	log *slog.Logger
}

// NewTwoFactorReset runs the reset through svc; log may be nil.
func NewTwoFactorReset(svc *support.Service, log *slog.Logger) *TwoFactorReset {
	return &TwoFactorReset{svc: svc, log: orDiscard(log)}
}

func (*TwoFactorReset) Name() string                        { return TwoFactorResetName }
func (*TwoFactorReset) Setup(context.Context, pgx.Tx) error { return nil }

func (p *TwoFactorReset) Apply(ctx context.Context, _ projections.Writer, e eventstore.RecordedEvent) error {
	if eventstore.Category(e.StreamID) != ticket.StreamCategory || e.Type != (ticket.IdentityVerified{}).EventType() {
		return nil
	}
	ev, err := p.svc.Codec().Decode(ctx, e.Type, e.Data)
	if err != nil {
		return err
	}
	v, ok := ev.(ticket.IdentityVerified)
	if !ok {
		return nil
	}
	if v.PortalAccountID == "" {
		// Recorded without naming a portal account: nothing to reset, and a retry would
		// not change that. An agent resets it by verifying again on a new ticket.
		p.log.WarnContext(ctx, "identity verified without a portal account: no two-factor reset", "ticket", v.TicketID, "event", e.ID)
		return nil
	}
	done, err := p.svc.ResetTwoFactor(ctx, support.TwoFactorReset{PortalAccountID: v.PortalAccountID, TicketID: v.TicketID, AgentID: v.AgentID},
		policyMeta(e, TwoFactorResetName))
	if err != nil {
		return err
	}
	p.log.InfoContext(ctx, "two-factor reset after identity verification", "ticket", v.TicketID, "portal_account", v.PortalAccountID, "reset_now", done)
	return nil
}

// DocumentDestruction deletes the bytes of each destroyed document.
type DocumentDestruction struct {
	svc *support.Service
	log *slog.Logger
}

// NewDocumentDestruction deletes through svc's attachment store; log may be nil.
func NewDocumentDestruction(svc *support.Service, log *slog.Logger) *DocumentDestruction {
	return &DocumentDestruction{svc: svc, log: orDiscard(log)}
}

func (*DocumentDestruction) Name() string                        { return DocumentDestructionName }
func (*DocumentDestruction) Setup(context.Context, pgx.Tx) error { return nil }

func (p *DocumentDestruction) Apply(ctx context.Context, _ projections.Writer, e eventstore.RecordedEvent) error {
	if eventstore.Category(e.StreamID) != ticket.StreamCategory || e.Type != (ticket.DocumentDestroyed{}).EventType() {
		return nil
	}
	ev, err := p.svc.Codec().Decode(ctx, e.Type, e.Data)
	if err != nil {
		return err
	}
	d, ok := ev.(ticket.DocumentDestroyed)
	if !ok {
		return nil
	}
	if err := p.svc.DestroyDocumentBytes(ctx, d.TicketID, d.AttachmentID); err != nil {
		return err
	}
	p.log.InfoContext(ctx, "identity document bytes destroyed", "ticket", d.TicketID, "attachment", d.AttachmentID)
	return nil
}

// policyMeta is the metadata of the command a policy issues for event e: an id derived
// from the event (a redelivery repeats it harmlessly), the original request's correlation
// id, and the event as the cause.
func policyMeta(e eventstore.RecordedEvent, policy string) commands.Metadata {
	m := commands.Metadata{CommandID: commands.DerivedCommandID(e.ID, policy), CausationID: e.ID, Actor: "policy:" + policy}
	if em, err := codec.ParseMetadata(e.Metadata); err == nil {
		m.CorrelationID = em.CorrelationID
	}
	return m
}

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// Policies are both policies, for a runner.
func Policies(svc *support.Service, log *slog.Logger) []projections.Projection {
	return []projections.Projection{NewTwoFactorReset(svc, log), NewDocumentDestruction(svc, log)}
}
