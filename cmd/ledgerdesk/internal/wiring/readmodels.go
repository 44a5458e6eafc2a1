package main

import (
	"ledgerdesk/projections"
	"ledgerdesk/projections/appointments"
)

// readModels is every projection and policy the projectors run. Each area adds its own
// through the functions below, each in the file of that area.
//
// A wiring error is returned, never logged and skipped: a projector that started without
// some of its projections would look healthy while it left read models behind.
func readModels(d *deps) ([]projections.Projection, error) {
	a, err := d.application()
	if err != nil {
		return nil, err
	}
	cmds := a.Commands()
	ps := []projections.Projection{appointments.New(cmds.Codec)}
	ps = append(ps, paymentsReadModels(a)...)
	ps = append(ps, v1ReadModels(d, cmds)...)
	support, err := supportReadModels(d, cmds)
	if err != nil {
		return nil, err
	}
	return append(ps, support...), nil
}
