package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// ShutdownGrace is how long the process may take to stop after SIGINT or SIGTERM before it
// exits anyway: the projectors, the HTTP server and the jobs each stop within less, and
// whatever has not committed by then is delivered again on the next start.
const ShutdownGrace = 8 * time.Second

// StopSignal is the context's cause once SIGINT or SIGTERM arrives.
type StopSignal struct{ Signal syscall.Signal }

func (s StopSignal) Error() string { return "received " + SignalName(s.Signal) }

// Status is the shell's convention for a process ended by a signal: 128 + its number, so
// 130 after SIGINT and 143 after SIGTERM.
func (s StopSignal) Status() int { return 128 + int(s.Signal) }

// SignalName is the name a shell gives s: SIGINT, SIGTERM.
func SignalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// StopOnSignal cancels the command's context on the first SIGINT or SIGTERM, and exits if
// the command has not returned ShutdownGrace later, or at once on a second signal.
//
// Exit status: 0 when the command finished, or (serve, project) stopped cleanly on the
// signal; 128 + the signal (130, 143) when the signal cut the work short (an interrupted
// rebuild, import or export) or the shutdown did not finish within ShutdownGrace.
func StopOnSignal(cancel context.CancelCauseFunc) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		first := StopSignal{(<-sigs).(syscall.Signal)}
		fmt.Fprintf(os.Stderr, "ledgerdesk: %s: stopping (send it again to exit at once)\n", SignalName(first.Signal))
		cancel(first)
		select {
		case again := <-sigs:
			fmt.Fprintf(os.Stderr, "ledgerdesk: %s again: exiting now\n", SignalName(again.(syscall.Signal)))
			os.Exit(StopSignal{again.(syscall.Signal)}.Status())
		case <-time.After(ShutdownGrace):
			fmt.Fprintf(os.Stderr, "ledgerdesk: still stopping %s after %s: exiting anyway\n", ShutdownGrace, SignalName(first.Signal))
			os.Exit(first.Status())
		}
	}()
}

// ExitStatus is the status a run of a command ends with, given its error and the cause of
// its context: 0 when it finished, or stopped cleanly on a signal; the signal's status
// when the signal cut it short; an ExitError's own; 1 for any other error.
func ExitStatus(ctx context.Context, err error) int {
	var sig StopSignal
	if errors.As(context.Cause(ctx), &sig) {
		if err != nil {
			return sig.Status()
		}
		return 0 // serve and project stop cleanly when asked to
	}
	var exit ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return int(exit)
	}
	return 1
}
