package httpapi

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/domain/check"
)

// refuseUnstorableParams answers 400, naming the parameter, for a path or query parameter
// that is not text at all: invalid UTF-8 or a control character (a `%00` in a path). Such
// a value can name no record, and PostgreSQL cannot even be asked about it (it refuses a
// NUL in text), so without this a lookup by it failed as an internal error. Ids in bodies
// are checked by the domain (check.ID) before anything is read or appended.
func (a *API) refuseUnstorableParams(ctx huma.Context, next func(huma.Context)) {
	for _, p := range ctx.Operation().Parameters {
		var v string
		switch p.In {
		case "path":
			v = ctx.Param(p.Name)
		case "query":
			v = ctx.Query(p.Name)
		default:
			continue
		}
		if r := check.TextReason(v); r != "" {
			loc := p.In + "." + p.Name
			huma.WriteErr(a.huma, ctx, http.StatusBadRequest, "invalid input: field "+loc+": "+r,
				&huma.ErrorDetail{Message: r, Location: loc})
			return
		}
	}
	next(ctx)
}
