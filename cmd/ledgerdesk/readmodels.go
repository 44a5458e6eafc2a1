package main

import (
	"ledgerdesk/projections"
	"ledgerdesk/projections/appointments"
)

// loadReadModels is every projection and policy the projectors run. Each area adds its own
// through the functions below, each in the file of that area. It fails when the command
// layer cannot be built (a malformed LEDGERDESK_MASTER_KEY): a projector with none of its
// read models is a wiring error, not an idle one.
func loadReadModels(d *deps) ([]projections.Projection, error) {
	cmds, err := d.commandDeps()
	if err != nil {
		return nil, err
	}
	ps := []projections.Projection{appointments.New(cmds.Codec)}
	ps = append(ps, paymentsReadModels(d, cmds)...)
	ps = append(ps, v1ReadModels(d, cmds)...)
	ps = append(ps, supportReadModels(d, cmds)...)
	return ps, nil
}

// readModels is loadReadModels for callers that have already built the command layer
// (d.commandDeps succeeded, so it cannot fail); it logs the error otherwise and returns
// none. Anything that runs or compares read models uses loadReadModels.
func readModels(d *deps) []projections.Projection {
	ps, err := loadReadModels(d)
	if err != nil {
		d.log.Error("building the codec", "err", err)
	}
	return ps
}
