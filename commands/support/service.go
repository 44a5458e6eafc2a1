package support

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/codec"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support/attachment"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/modulus"
	"ledgerdesk/domain/ticket"
)

// AttachmentStore is where attachment bytes live: the port in package attachment
// (adapters/attachmentstore in production).
type AttachmentStore = attachment.Store

// SecretKeySize is the length of Config.SecretKey.
const SecretKeySize = 32

// Config assembles a Service.
type Config struct {
	Deps commands.Deps
	// DB holds the credentials and TOTP secret tables (migrations/004).
	DB          *pgxpool.Pool
	Attachments AttachmentStore
	// SecretKey (32 bytes, from the deployment's secret store) seals TOTP secrets and
	// derives reset tokens; separate keys are derived from it for each use.
	SecretKey []byte
	// Issuer names the site in authenticator apps; default "ledgerdesk".
	Issuer string
	// Now is the clock; nil means time.Now. Tests move it to expire links and documents.
	Now func() time.Time
	// Rand is the randomness for TOTP secrets; nil means crypto/rand.
	Rand io.Reader
	// Modulus is the UK modulus weight table bank details are checked against; nil (the
	// default: none is shipped) records every check as "could not be checked".
	Modulus *modulus.Table
}

// Service is the support centre's application service. Safe for concurrent use.
type Service struct {
	cfg       Config
	sealKey   []byte
	tokenKey  []byte
	accounts  commands.Aggregate[account.State, account.Command, account.Event]
	tickets   commands.Aggregate[ticket.State, ticket.Command, ticket.Event]
	dummyOnce sync.Once
	dummyHash string
}

// New checks cfg and derives the service's keys.
func New(cfg Config) (*Service, error) {
	if cfg.Deps.Store == nil || cfg.Deps.Codec == nil || cfg.DB == nil || cfg.Attachments == nil {
		return nil, fmt.Errorf("%w: needs Deps (Store and Codec), DB and Attachments", ErrConfig)
	}
	if len(cfg.SecretKey) != SecretKeySize {
		return nil, fmt.Errorf("%w: SecretKey has %d bytes, want %d", ErrConfig, len(cfg.SecretKey), SecretKeySize)
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "ledgerdesk"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	s := &Service{cfg: cfg}
	var err error
	if s.sealKey, err = totpSealKey(cfg.SecretKey); err != nil {
		return nil, err
	}
	if s.tokenKey, err = hkdf.Key(sha256.New, cfg.SecretKey, nil, "ledgerdesk support reset tokens v1", 32); err != nil {
		return nil, err
	}
	s.accounts = commands.Aggregate[account.State, account.Command, account.Event]{
		Decider: account.Decider,
		Stream:  func(c account.Command) string { return account.StreamID(accountIDOf(c)) },
	}
	s.tickets = commands.Aggregate[ticket.State, ticket.Command, ticket.Event]{
		Decider: ticket.Decider,
		Stream:  func(c ticket.Command) string { return ticket.StreamID(ticketIDOf(c)) },
	}
	return s, nil
}

// dummy is a hash to check a password against when there is no account or no password:
// a failed sign-in then takes as long either way, so timing does not reveal who has an
// account. Made on first use, since hashing is deliberately expensive.
func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		h, err := account.HashPassword("not a real password, only for timing")
		if err == nil {
			s.dummyHash = h
		}
	})
	return s.dummyHash
}

// Now is the service's clock, in UTC.
func (s *Service) Now() time.Time { return s.cfg.Now().UTC() }

// Codec is the codec events are read with.
func (s *Service) Codec() *codec.Codec { return s.cfg.Deps.Codec }

// Deps is the command layer the service runs on.
func (s *Service) Deps() commands.Deps { return s.cfg.Deps }

// checkMeta refuses a command without an id before anything is derived from it.
func checkMeta(meta commands.Metadata) error {
	if meta.CommandID.Version() != 7 {
		return fmt.Errorf("%w: command id: want a UUIDv7 (commands.NewCommandID)", commands.ErrInvalidMetadata)
	}
	return nil
}

// derivedID names something a command creates (an account, a ticket, an attachment) so
// that a retry of the command names the same thing.
func derivedID(meta commands.Metadata, purpose string) string {
	return commands.DerivedCommandID(meta.CommandID, "support:"+purpose).String()
}

func (s *Service) loadAccount(ctx context.Context, id string) (account.State, error) {
	if id == "" {
		return account.State{}, fmt.Errorf("%w: field account_id: is required", account.ErrInvalidInput)
	}
	st, _, err := s.accounts.Load(ctx, s.cfg.Deps, account.StreamID(id))
	return st, err
}

func (s *Service) loadTicket(ctx context.Context, id string) (ticket.State, error) {
	if id == "" {
		return ticket.State{}, fmt.Errorf("%w: field ticket_id: is required", ticket.ErrInvalidInput)
	}
	st, _, err := s.tickets.Load(ctx, s.cfg.Deps, ticket.StreamID(id))
	return st, err
}

// actor loads the account of the person acting.
func (s *Service) actor(ctx context.Context, meta commands.Metadata) (account.State, error) {
	if err := checkMeta(meta); err != nil {
		return account.State{}, err
	}
	if meta.Actor == "" {
		return account.State{}, fmt.Errorf("%w: metadata names no actor", ErrUnknownActor)
	}
	a, err := s.loadAccount(ctx, meta.Actor)
	if err != nil {
		return a, err
	}
	if !a.Registered() {
		return a, fmt.Errorf("%w: %s", ErrUnknownActor, meta.Actor)
	}
	return a, nil
}

// IsAgent reports whether an account is a support agent (IT support included).
func IsAgent(a account.State) bool {
	return a.Realm == account.RealmSupport && a.Role == account.RoleAgent
}

// agent loads the actor and requires a support agent.
func (s *Service) agent(ctx context.Context, meta commands.Metadata) (account.State, error) {
	a, err := s.actor(ctx, meta)
	if err != nil {
		return a, err
	}
	if !IsAgent(a) {
		return a, fmt.Errorf("%w: this account is a %s %s account", ticket.ErrAgentsOnly, a.Realm, a.Role)
	}
	return a, nil
}

// holder loads the actor and requires it to be the account acted on.
func (s *Service) holder(ctx context.Context, accountID string, meta commands.Metadata) (account.State, error) {
	a, err := s.actor(ctx, meta)
	if err != nil {
		return a, err
	}
	if a.ID != accountID {
		return a, fmt.Errorf("%w: you can change only your own account", account.ErrNotAccountOwner)
	}
	return a, nil
}

func (s *Service) execAccount(ctx context.Context, c account.Command, meta commands.Metadata) (commands.Result[account.Event], error) {
	return s.accounts.Execute(ctx, s.cfg.Deps, c, meta)
}

func (s *Service) execTicket(ctx context.Context, c ticket.Command, meta commands.Metadata) (commands.Result[ticket.Event], error) {
	return s.tickets.Execute(ctx, s.cfg.Deps, c, meta)
}

func accountIDOf(c account.Command) string {
	switch c := c.(type) {
	case account.Register:
		return c.AccountID
	case account.UpdateProfile:
		return c.AccountID
	case account.SetPostalAddress:
		return c.AccountID
	case account.ChangePassword:
		return c.AccountID
	case account.RequestPasswordReset:
		return c.AccountID
	case account.CompletePasswordReset:
		return c.AccountID
	case account.EnrolTwoFactor:
		return c.AccountID
	case account.ResetTwoFactor:
		return c.AccountID
	case account.BlockIP:
		return c.AccountID
	case account.UnblockIP:
		return c.AccountID
	case account.GrantSupportAccess:
		return c.AccountID
	case account.RevokeSupportAccess:
		return c.AccountID
	case account.ChangePasswordAsSupport:
		return c.AccountID
	case account.StartLogInAs:
		return c.AccountID
	case account.RecordSupportAction:
		return c.AccountID
	case account.SetPayeeBankDetails:
		return c.AccountID
	case account.IssueRecoveryCodes:
		return c.AccountID
	case account.UseRecoveryCode:
		return c.AccountID
	}
	return ""
}

func ticketIDOf(c ticket.Command) string {
	switch c := c.(type) {
	case ticket.Open:
		return c.TicketID
	case ticket.PublicReply:
		return c.TicketID
	case ticket.InternalNote:
		return c.TicketID
	case ticket.Assign:
		return c.TicketID
	case ticket.SetPriority:
		return c.TicketID
	case ticket.ChangeStatus:
		return c.TicketID
	case ticket.AttachDocument:
		return c.TicketID
	case ticket.ViewDocument:
		return c.TicketID
	case ticket.VerifyIdentity:
		return c.TicketID
	case ticket.DestroyExpiredDocuments:
		return c.TicketID
	case ticket.CloseSolved:
		return c.TicketID
	}
	return ""
}
