package support

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands"
	support "ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/ticket"
	policies "ledgerdesk/policies/support"
	"ledgerdesk/projections"
	readmodel "ledgerdesk/projections/support"
)

func ticketsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "tickets", Short: "Support centre: the agents' ticket queue and the work on each ticket"}
	cmd.AddCommand(ticketsListCommand(), ticketsShowCommand(), ticketsOpenCommand(),
		ticketTextCommand("reply", "Post a public reply (the requester sees it)"),
		ticketTextCommand("note", "Add an internal note (the requester never sees it)"),
		ticketsAssignCommand(), ticketsPriorityCommand(), ticketsStatusCommand(), ticketsAttachCommand(),
		ticketsViewDocumentCommand(), ticketsVerifyCommand(), ticketsDestroyCommand(), ticketsCloseSolvedCommand())
	roleFlag(cmd)
	return cmd
}

func ticketsListCommand() *cobra.Command {
	var as, statuses, category, assignee string
	var unassigned, asJSON bool
	var older time.Duration
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "The queue: most urgent first, then oldest (default: tickets not yet solved); for a requester (--as), their own tickets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return reading(cmd, as, func(ctx context.Context, s session, call app.Call) error {
				if call.Actor.Role == authz.Patient || call.Actor.Role == authz.Clinician {
					return printMyTickets(ctx, cmd, s, call, asJSON)
				}
				f := readmodel.QueueFilter{Category: ticket.Category(category), Unassigned: unassigned, OlderThan: older, Limit: limit}
				for _, st := range strings.Split(statuses, ",") {
					if st = strings.TrimSpace(st); st != "" {
						f.Statuses = append(f.Statuses, ticket.Status(st))
					}
				}
				if assignee != "" {
					id, err := resolveAccount(ctx, s.svc, account.RealmSupport, assignee)
					if err != nil {
						return err
					}
					f.AssigneeID = id
				}
				items, err := s.a.TicketQueue(ctx, call, f)
				if err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(items)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "TICKET\tSTATUS\tPRIORITY\tCATEGORY\tAGE\tASSIGNEE\tSUBJECT")
				names := map[string]string{"": "-"}
				for _, it := range items {
					if _, ok := names[it.AssigneeID]; !ok {
						names[it.AssigneeID] = it.AssigneeID
						if a, err := s.a.SupportAccount(ctx, call, it.AssigneeID); err == nil {
							names[it.AssigneeID] = a.Account.Email
						}
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.TicketID, it.Status, it.Priority, it.Category, ageOf(it.Age), names[it.AssigneeID], it.Subject)
				}
				return w.Flush()
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().StringVar(&statuses, "status", "", "comma-separated statuses: new, open, pending, on_hold, solved, closed")
	cmd.Flags().StringVar(&category, "category", "", "login_trouble, blocked_ip, two_factor_reset, payments, equipment_test, account_details or other")
	cmd.Flags().StringVar(&assignee, "assignee", "", "only tickets assigned to this agent (id or email)")
	cmd.Flags().BoolVar(&unassigned, "unassigned", false, "only tickets nobody has taken")
	cmd.Flags().DurationVar(&older, "older-than", 0, "only tickets opened at least this long ago (e.g. 48h)")
	cmd.Flags().IntVar(&limit, "limit", readmodel.DefaultQueueLimit, "at most this many")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// printMyTickets lists a requester's own tickets, as they see them on the support site.
func printMyTickets(ctx context.Context, cmd *cobra.Command, s session, call app.Call, asJSON bool) error {
	mine, err := s.a.MyTickets(ctx, call)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(cmd.OutOrStdout()).Encode(mine)
	}
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TICKET\tSTATUS\tCATEGORY\tOPENED\tREPLIES\tSUBJECT")
	for _, t := range mine {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", t.TicketID, t.Status, t.Category, t.OpenedAt.Format("2006-01-02"), len(t.Replies), t.Subject)
	}
	return w.Flush()
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func ageOf(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	case d >= time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dm", int(d/time.Minute))
}

func ticketsShowCommand() *cobra.Command {
	var as string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show TICKET",
		Short: "A ticket for agents: conversation, internal notes, documents and the full audit timeline (for a requester, --as: as they see it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return reading(cmd, as, func(ctx context.Context, s session, call app.Call) error {
				if call.Actor.Role == authz.Patient || call.Actor.Role == authz.Clinician {
					return printRequesterTicket(ctx, cmd, s, call, args[0], asJSON)
				}
				t, err := s.a.TicketForAgent(ctx, call, args[0])
				if err != nil {
					return err
				}
				tl, err := s.a.TicketTimeline(ctx, call, t.TicketID)
				if err != nil {
					return err
				}
				// For a two-factor reset, the portal accounts the documents are to be compared
				// with: those sharing the requester's email.
				var candidates []readmodel.AccountRow
				if t.Category == ticket.CategoryTwoFactorReset {
					if req, err := s.a.SupportAccount(ctx, call, t.RequesterAccountID); err == nil {
						rows, err := s.a.AccountsWithEmail(ctx, call, req.Account.Email)
						if err != nil {
							return err
						}
						for _, r := range rows {
							if r.Realm == account.RealmPortal {
								candidates = append(candidates, r)
							}
						}
					}
				}
				out := cmd.OutOrStdout()
				if asJSON {
					return json.NewEncoder(out).Encode(map[string]any{"ticket": t, "timeline": tl, "portal_accounts": candidates})
				}
				printTicket(out, t, tl, candidates)
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// printRequesterTicket shows a ticket as its requester sees it: the public replies, no
// internal notes.
func printRequesterTicket(ctx context.Context, cmd *cobra.Command, s session, call app.Call, ticketID string, asJSON bool) error {
	t, err := s.a.TicketForRequester(ctx, call, ticketID)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if asJSON {
		return json.NewEncoder(out).Encode(t)
	}
	fmt.Fprintf(out, "%s  [%s] %s, opened %s\nsubject: %s\n\n%s\n", t.TicketID, t.Category, t.Status, t.OpenedAt.Format(time.RFC3339), t.Subject, t.Body)
	for _, r := range t.Replies {
		from := "you"
		if r.FromSupport {
			from = "support"
		}
		fmt.Fprintf(out, "\n%s, %s:\n%s\n", from, r.At.Format("2006-01-02 15:04"), r.Body)
	}
	return nil
}

func printTicket(out interface{ Write([]byte) (int, error) }, t readmodel.AgentTicket, tl []readmodel.TimelineEntry, candidates []readmodel.AccountRow) {
	fmt.Fprintf(out, "%s  [%s] %s, priority %s, assigned to %s\n", t.TicketID, t.Category, t.Status, t.Priority, orElse(t.AssigneeID, "nobody"))
	fmt.Fprintf(out, "requester %s, opened %s (%s ago)\n", t.RequesterAccountID, t.OpenedAt.Format(time.RFC3339), ageOf(t.Age))
	if t.IP != "" {
		fmt.Fprintf(out, "IP address: %s\n", t.IP)
	}
	fmt.Fprintf(out, "subject: %s\n\n%s\n", t.Subject, t.Body)
	if t.Identity != "" {
		fmt.Fprintf(out, "\nidentity: %s %s %s\n", t.Identity, t.PortalAccountID, t.IdentityReason)
	}
	if len(t.Attachments) > 0 {
		fmt.Fprintln(out, "\ndocuments:")
		for _, a := range t.Attachments {
			state := fmt.Sprintf("viewed %d times", a.Views)
			if a.DestroyedAt != nil {
				state = "destroyed " + a.DestroyedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(out, "  %s  %s  %s  %d bytes  %s\n", a.AttachmentID, a.Kind, a.ContentType, a.Size, state)
		}
	}
	for _, c := range candidates {
		fmt.Fprintf(out, "\nportal account to compare with: %s  %s, %s (two-factor %s)\n", c.AccountID, c.Name, addressOf(c), onOff(c.TwoFactorEnabled))
	}
	fmt.Fprintln(out, "\ntimeline:")
	for _, e := range tl {
		mark := " "
		if e.Internal {
			mark = "*"
		}
		fmt.Fprintf(out, "%s %s  %-36s  %s\n", mark, e.At.Format("2006-01-02 15:04"), e.Actor, e.Summary)
		if e.Detail != "" {
			fmt.Fprintf(out, "      %s\n", strings.ReplaceAll(e.Detail, "\n", "\n      "))
		}
	}
	fmt.Fprintln(out, "(* internal: never shown to the requester)")
}

func ticketsOpenCommand() *cobra.Command {
	var as, category, subject, body, ip string
	cmd := &cobra.Command{
		Use:   "open --as REQUESTER --category CATEGORY --subject TEXT --body TEXT",
		Short: "Open a ticket for a support-site account",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				id, err := s.a.OpenTicket(ctx, call, support.NewTicket{Category: ticket.Category(category), Subject: subject, Body: body, IP: ip})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), id)
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().StringVar(&category, "category", "other", "login_trouble, blocked_ip, two_factor_reset, payments, equipment_test, account_details or other")
	cmd.Flags().StringVar(&subject, "subject", "", "subject")
	cmd.Flags().StringVar(&body, "body", "", "what the problem is")
	cmd.Flags().StringVar(&ip, "ip", "", "the IP address (required for blocked_ip)")
	return cmd
}

// ticketTextCommand is reply or note: TICKET MESSAGE.
func ticketTextCommand(name, short string) *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:   name + " TICKET MESSAGE",
		Short: short,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				var err error
				if name == "note" {
					err = s.a.AddTicketNote(ctx, call, args[0], args[1])
				} else {
					err = s.a.ReplyToTicket(ctx, call, args[0], args[1])
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s added to %s\n", name, args[0])
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	return cmd
}

// agentCommand is a TICKET VALUE command run as an agent.
func agentCommand(use, short string, run func(ctx context.Context, s session, call app.Call, ticketID, value string) (string, error)) *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				msg, err := run(ctx, s, call, args[0], args[1])
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), msg)
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	return cmd
}

func ticketsAssignCommand() *cobra.Command {
	return agentCommand("assign TICKET AGENT", "Hand a ticket to an agent (id or email; an agent may take it themselves)",
		func(ctx context.Context, s session, call app.Call, id, agent string) (string, error) {
			agentID, err := resolveAccount(ctx, s.svc, account.RealmSupport, agent)
			if err != nil {
				return "", err
			}
			return "assigned to " + agentID, s.a.TicketStep(ctx, call, "ticket.assign", id, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
				return svc.Assign(ctx, id, agentID, meta)
			})
		})
}

func ticketsPriorityCommand() *cobra.Command {
	return agentCommand("priority TICKET low|normal|high|urgent", "Change a ticket's priority",
		func(ctx context.Context, s session, call app.Call, id, p string) (string, error) {
			return "priority " + p, s.a.TicketStep(ctx, call, "ticket.set_priority", id, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
				return svc.SetPriority(ctx, id, ticket.Priority(p), meta)
			})
		})
}

func ticketsStatusCommand() *cobra.Command {
	return agentCommand("status TICKET STATUS", "Move a ticket on: new → open → pending → on_hold → solved → closed (reopen within 7 days of solved)",
		func(ctx context.Context, s session, call app.Call, id, to string) (string, error) {
			return "status " + to, s.a.ChangeTicketStatus(ctx, call, id, ticket.Status(to))
		})
}

func ticketsAttachCommand() *cobra.Command {
	var as, kind, expires string
	cmd := &cobra.Command{
		Use:   "attach TICKET FILE --kind KIND",
		Short: "Attach a photo or scan (JPEG, PNG, WebP or PDF, at most 10 MiB), encrypted at rest",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			content, err := readFile(args[1])
			if err != nil {
				return err
			}
			var exp *ledger.Date
			if expires != "" {
				dt, err := ledger.ParseDate(expires)
				if err != nil {
					return fmt.Errorf("%w: field expires_on: %v", ticket.ErrInvalidInput, err)
				}
				exp = &dt
			}
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				var id string
				err := s.a.TicketStep(ctx, call, "ticket.attach", args[0], func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					var err error
					id, err = svc.Attach(ctx, support.Attachment{TicketID: args[0], Kind: ticket.DocumentKind(kind), Content: content, ExpiresOn: exp}, meta)
					return err
				})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), id)
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().StringVar(&kind, "kind", "other", "uk_driving_licence, passport, utility_bill, council_tax_bill, student_card or other")
	cmd.Flags().StringVar(&expires, "expires-on", "", "expiry date printed on the document, YYYY-MM-DD (required for a student card)")
	return cmd
}

// readFile reads a file, refusing one far over the attachment limit without reading
// it all (the limit itself is enforced, with its own error, by the service).
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > 2*ticket.MaxAttachmentBytes {
		return nil, fmt.Errorf("%w: field file: %d bytes, at most %d MiB", ticket.ErrAttachmentTooLarge, st.Size(), ticket.MaxAttachmentBytes>>20)
	}
	return os.ReadFile(path)
}

func ticketsViewDocumentCommand() *cobra.Command {
	var as, out string
	cmd := &cobra.Command{
		Use:   "view-document TICKET ATTACHMENT --out FILE",
		Short: "Open a document (the assigned agent only; the view is recorded)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("%w: --out FILE: where to write the document", ticket.ErrInvalidInput)
			}
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				var doc support.Document
				err := s.a.TicketStep(ctx, call, "ticket.identity_document.read", args[0], func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					var err error
					doc, err = svc.ViewDocument(ctx, args[0], args[1], meta)
					return err
				})
				if err != nil {
					return err
				}
				if err := os.WriteFile(out, doc.Content, 0o600); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s (%s, %d bytes) written to %s; delete it when you are done\n", doc.Kind, doc.ContentType, len(doc.Content), out)
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().StringVar(&out, "out", "", "file to write the document to (created readable by you only)")
	return cmd
}

func ticketsVerifyCommand() *cobra.Command {
	var as, portal, reject string
	cmd := &cobra.Command{
		Use:   "verify-identity TICKET (--portal-account ID|EMAIL | --reject REASON)",
		Short: "Decide a two-factor reset: the documents match the portal account (its two-factor is then reset), or why not",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (portal == "") == (reject == "") {
				return fmt.Errorf("%w: give either --portal-account (verified) or --reject REASON", ticket.ErrInvalidInput)
			}
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				var err error
				v := support.Verification{TicketID: args[0], Decision: ticket.DecisionRejected, Reason: reject}
				if portal != "" {
					if v.PortalAccountID, err = resolveAccount(ctx, s.svc, account.RealmPortal, portal); err != nil {
						return err
					}
					v.Decision = ticket.DecisionVerified
				}
				if err := s.a.TicketStep(ctx, call, "ticket.verify_identity", v.TicketID, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					return svc.VerifyIdentity(ctx, v, meta)
				}); err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if v.Decision == ticket.DecisionRejected {
					fmt.Fprintln(out, "identity rejected; the requester is told why")
					return nil
				}
				fmt.Fprintln(out, "identity verified")
				_, pols := wiring.SupportProjections(s.svc, s.d)
				if err := s.settle(ctx, pols[:1]); err != nil {
					fmt.Fprintf(out, "the two-factor reset will happen when the projectors run (%v)\n", err)
					return nil
				}
				if a, err := s.svc.Account(ctx, v.PortalAccountID); err == nil && !a.TwoFactorEnabled() {
					fmt.Fprintf(out, "two-factor reset on portal account %s\n", v.PortalAccountID)
				}
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().StringVar(&portal, "portal-account", "", "the portal account (id or email) whose name and address the documents match")
	cmd.Flags().StringVar(&reject, "reject", "", "why the documents are not enough (the requester sees this)")
	return cmd
}

func ticketsDestroyCommand() *cobra.Command {
	var retention string
	cmd := &cobra.Command{
		Use:   "destroy-expired-documents",
		Short: "Destroy the identity documents of tickets closed longer ago than the retention period (LEDGERDESK_ID_RETENTION, default 30d)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			period := wiring.Settings(cmd).IDRetention
			if retention != "" {
				p, err := policies.ParseRetention(retention)
				if err != nil {
					return fmt.Errorf("--retention: %w", err)
				}
				period = p
			}
			return withSupport(cmd, func(ctx context.Context, s session) error {
				call, err := operator(cmd, authz.Admin)
				if err != nil {
					return err
				}
				return s.destroyExpired(ctx, cmd, call, period)
			})
		},
	}
	cmd.Flags().StringVar(&retention, "retention", "", "override LEDGERDESK_ID_RETENTION: 30d, 720h…")
	return cmd
}

// destroyExpired runs one sweep on up-to-date read models and lets the destruction policy
// delete the bytes before it returns.
func (s session) destroyExpired(ctx context.Context, cmd *cobra.Command, call app.Call, period time.Duration) error {
	rms, pols := wiring.SupportProjections(s.svc, s.d)
	if err := s.settle(ctx, rms[:1]); err != nil {
		return err
	}
	var res policies.SweepResult
	swept := false
	err := s.a.TicketStep(ctx, call, "ticket.destroy_expired_documents", "", func(ctx context.Context, svc *support.Service, _ commands.Metadata) error {
		var err error
		swept = true
		res, err = policies.Retention{Service: svc, DB: s.d.DB, Period: period, Logger: s.d.Log}.Sweep(ctx)
		return err
	})
	if swept {
		fmt.Fprintf(cmd.OutOrStdout(), "destroyed %d identity documents on %d tickets closed more than %v ago\n", res.Documents, res.Tickets, period)
	}
	if err != nil {
		return err
	}
	if res.Documents > 0 {
		return s.settle(ctx, []projections.Projection{pols[1]})
	}
	return nil
}

func ticketsCloseSolvedCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "close-solved",
		Short: "Close the tickets solved more than 7 days ago (as policy:ticket_autoclose; serve does this every hour)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSupport(cmd, func(ctx context.Context, s session) error {
				call, err := operator(cmd, authz.Admin)
				if err != nil {
					return err
				}
				return s.closeSolved(ctx, cmd, call)
			})
		},
	}
}

// closeSolved runs one auto-close sweep on an up-to-date tickets read model, once the
// operator is allowed to: the closes are recorded under the sweep's system actor, as when
// serve runs it.
func (s session) closeSolved(ctx context.Context, cmd *cobra.Command, call app.Call) error {
	rms, _ := wiring.SupportProjections(s.svc, s.d)
	if err := s.settle(ctx, rms[:1]); err != nil {
		return err
	}
	var res policies.AutoCloseResult
	swept := false
	err := s.a.TicketStep(ctx, call, "ticket.close_solved", "", func(ctx context.Context, _ *support.Service, _ commands.Metadata) error {
		var err error
		swept = true
		res, err = policies.AutoClose{App: s.a, DB: s.d.DB, Logger: s.d.Log}.Sweep(ctx)
		return err
	})
	if swept {
		fmt.Fprintf(cmd.OutOrStdout(), "closed %d tickets solved more than 7 days ago\n", res.Closed)
	}
	return err
}
