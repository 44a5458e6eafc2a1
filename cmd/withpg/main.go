// Command withpg runs a command with DATABASE_URL pointing at a PostgreSQL server: the one
// DATABASE_URL already names, else a local server, else a throwaway cluster it starts and
// stops. `make test` runs `go test` through it so every test package shares one server.
// LEDGERDESK_THROWAWAY_PG=1 skips the first two: a throwaway cluster even where a local
// server answers.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"ledgerdesk/adapters/postgres/pgserver"
	"ledgerdesk/adapters/postgres/pgtest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: withpg COMMAND [ARGS...]")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.MkdirTemp("", "ledgerdesk-pg-")
	if err != nil {
		log.Error("withpg", "err", err)
		return 1
	}
	defer os.RemoveAll(dir)
	srv, err := pgserver.Resolve(ctx, pgserver.Options{URL: os.Getenv("DATABASE_URL"), DataDir: dir, Logger: log,
		ForceThrowaway: os.Getenv(pgserver.ForceThrowawayEnv) == "1"})
	if err != nil {
		log.Error("withpg: no PostgreSQL", "err", err)
		return 1
	}
	defer func() {
		if err := pgtest.DropTemplates(context.Background(), srv.URL); err != nil {
			log.Warn("withpg: dropping test templates", "err", err)
		}
		if err := srv.Stop(); err != nil {
			log.Warn("withpg: stopping PostgreSQL", "err", err)
		}
	}()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "DATABASE_URL="+srv.URL)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		log.Error("withpg", "err", err)
		return 1
	}
	return 0
}
