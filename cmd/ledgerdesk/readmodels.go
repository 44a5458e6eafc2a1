package main

import (
	"ledgerdesk/projections"
	"ledgerdesk/projections/appointments"
)

// readModels is every projection and policy the projectors run. Each area adds its own
// through the functions below, each in the file of that area.
func readModels(d *deps) []projections.Projection {
	cmds, err := d.commandDeps()
	if err != nil {
		d.log.Error("building the codec", "err", err)
		return nil
	}
	ps := []projections.Projection{appointments.New(cmds.Codec)}
	ps = append(ps, paymentsReadModels(d, cmds)...)
	ps = append(ps, v1ReadModels(d, cmds)...)
	ps = append(ps, supportReadModels(d, cmds)...)
	return ps
}
