package main

import "github.com/spf13/cobra"

// auditCommands are the auditors' tools (audit ..., privacy ...).
func auditCommands() []*cobra.Command { return nil }
