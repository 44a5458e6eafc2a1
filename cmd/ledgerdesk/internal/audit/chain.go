package audit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/adapters/postgres"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

// errNoChain says the event store keeps no hash chain.
var errNoChain = errors.New("the hash chain covers the Postgres event store only (LEDGERDESK_EVENTSTORE is not postgres)")

// chainOf is the tamper-evidence chain of the Postgres event store; KurrentDB keeps its
// own log and is not covered.
func chainOf(d *wiring.Runtime) (*postgres.Chain, error) {
	if _, ok := d.Store.(*postgres.Store); !ok {
		return nil, errNoChain
	}
	return postgres.NewChain(d.DB), nil
}

// RunChainSealer seals new events into the chain every second until ctx ends: serve and
// project run it beside the projectors (any number of processes may; they take turns).
//
// On KurrentDB there is no chain to seal, and that is a deployment's choice, not a wiring
// error: it says so once in the log and waits for ctx, so serve and project run on.
func RunChainSealer(ctx context.Context, d *wiring.Runtime) error {
	chain, err := chainOf(d)
	if errors.Is(err, errNoChain) {
		d.Log.Info("event chain not sealed", "why", err)
		<-ctx.Done()
		return nil
	}
	if err != nil {
		return err
	}
	if err := chain.Run(ctx, time.Second, d.Log); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

func auditSealCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "seal",
		Short: "Extend the tamper-evidence chain over every event committed so far",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				chain, err := chainOf(d)
				if err != nil {
					return err
				}
				n, err := chain.Seal(ctx)
				if err != nil {
					return err
				}
				head, err := chain.Head(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "sealed %d new event(s); head is link %d, hash %s\n", n, head.Seq, head.Hash)
				return nil
			})
		},
	}
}

func auditVerifyCommand() *cobra.Command {
	var noSeal bool
	var expect string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Recompute the events' hash chain and name the first event that does not match; exit status 2 if one does not",
		Long: "verify first seals the events committed since the last seal, then recomputes every link. It prints the " +
			"head (link number and hash): write it down, and pass it as --expect SEQ:HASH next time to prove the chain " +
			"up to there was not rewritten as a whole.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var want *postgres.ChainLink
			if expect != "" {
				seqText, hashText, ok := strings.Cut(expect, ":")
				seq, err := strconv.ParseInt(seqText, 10, 64)
				if !ok || err != nil || seq <= 0 {
					return fmt.Errorf("--expect %q: want SEQ:HASH, e.g. 1042:3fa9…", expect)
				}
				h, err := postgres.ParseChainHash(hashText)
				if err != nil {
					return fmt.Errorf("--expect: %w", err)
				}
				want = &postgres.ChainLink{Seq: seq, Hash: h}
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				chain, err := chainOf(d)
				if err != nil {
					return err
				}
				if !noSeal {
					if _, err := chain.Seal(ctx); err != nil {
						return err
					}
				}
				bar := cli.EventBar("verifying", -1)
				rep, err := chain.Verify(ctx, func(done, total int64) {
					bar.SetTotal(total)
					bar.Set(done)
				})
				cli.EndBar(bar)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if rep.Break != nil {
					fmt.Fprintf(out, "TAMPERED: %v\n", rep.Break)
					fmt.Fprintf(out, "links checked before it: %d\n", rep.Checked)
					return cli.ExitError(2)
				}
				if want != nil {
					got, err := chain.Link(ctx, want.Seq)
					if err != nil {
						return err
					}
					if got.Hash != want.Hash {
						fmt.Fprintf(out, "TAMPERED: link %d has hash %s, but %s was written down: the chain was rewritten up to there\n", want.Seq, got.Hash, want.Hash)
						return cli.ExitError(2)
					}
				}
				fmt.Fprintf(out, "chain intact: %d event(s) verified; head is link %d (event %s), hash %s\n", rep.Checked, rep.Head.Seq, rep.Head.EventID, rep.Head.Hash)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&noSeal, "no-seal", false, "verify what is sealed without sealing newer events first")
	cmd.Flags().StringVar(&expect, "expect", "", "SEQ:HASH of a head written down earlier, which the chain must still hold")
	return cmd
}
