package web

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"ledgerdesk/domain/ticket"
	psupport "ledgerdesk/projections/support"
)

// queueData is the queue page: its filters as chosen, their choices and the tickets.
type queueData struct {
	Status, Category, Assignee, Priority, Age string
	Statuses, Categories, Assignees           []option
	Priorities, Ages                          []option
	Rows                                      []queueRow
	// Agents are who a ticket can be assigned to from the queue, the caller first.
	Agents []option
	// QueueURL is this page with its filters, for the refresh link and the htmx poll.
	QueueURL template.URL
	Refresh  int // seconds between polls
	Now      time.Time
}

type queueRow struct {
	psupport.QueueItem
	CategoryLabel, StatusLabel, PriorityLabel, AssigneeName, AgeText string
	Mine                                                             bool
}

// staffQueue is the queue, most urgent first: the whole page, or (for htmx's poll, or
// ?fragment=1) just the table, so it refreshes without a reload; without JavaScript the
// Refresh link reloads it with the same filters.
//
// TODO(issue 15, item 7): filter and sort by SLA state (warning, breached) once the SLA
// clocks are in the read model; until then there is no SLA column rather than a made-up one.
func (s *Site) staffQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	me, _ := actor(r)
	call := s.call(r)
	d := queueData{Status: q.Get("status"), Category: q.Get("category"), Assignee: q.Get("assignee"), Priority: q.Get("priority"), Age: q.Get("age"),
		Refresh: int(s.staffRefresh().Seconds()), Now: s.cfg.Now()}
	agents, names, err := s.agentNames(r.Context(), call)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := psupport.QueueFilter{Now: d.Now}
	var errs fieldErrors
	if d.Status != "" {
		if st, err := ticket.ParseStatus(d.Status); err != nil {
			errs = append(errs, fieldError{"status", "Choose a status from the list."})
		} else {
			f.Statuses = []ticket.Status{st}
		}
	}
	if d.Category != "" {
		if c, err := ticket.ParseCategory(d.Category); err != nil {
			errs = append(errs, fieldError{"category", "Choose a category from the list."})
		} else {
			f.Category = c
		}
	}
	if d.Priority != "" {
		if p, err := ticket.ParsePriority(d.Priority); err != nil {
			errs = append(errs, fieldError{"priority", "Choose a priority from the list."})
		} else {
			f.Priority = p
		}
	}
	switch d.Assignee {
	case "":
	case "me":
		f.AssigneeID = me.Subject
	case "none":
		f.Unassigned = true
	default:
		if _, ok := names[d.Assignee]; !ok {
			errs = append(errs, fieldError{"assignee", "Choose someone from the list."})
		} else {
			f.AssigneeID = d.Assignee
		}
	}
	if d.Age != "" {
		found := false
		for _, a := range ages {
			if a.value == d.Age {
				f.OlderThan, found = a.d, true
			}
		}
		if !found {
			errs = append(errs, fieldError{"age", "Choose an age from the list."})
		}
	}

	sv, sl := []string{""}, []string{"Still to do (not yet solved)"}
	for _, st := range allStatuses {
		sv, sl = append(sv, string(st)), append(sl, staffStatusLabels[st])
	}
	d.Statuses = selectOptions(sv, sl, d.Status)
	cv, cl := []string{""}, []string{"Any category"}
	for _, c := range categoryOrder {
		cv, cl = append(cv, string(c)), append(cl, categoryLabel(c))
	}
	d.Categories = selectOptions(cv, cl, d.Category)
	av, al := []string{"", "me", "none"}, []string{"Anyone or no one", "Me", "No one (unassigned)"}
	for _, a := range agents {
		if a.AccountID != me.Subject {
			av, al = append(av, a.AccountID), append(al, a.Name)
		}
	}
	d.Assignees = selectOptions(av, al, d.Assignee)
	d.Agents = []option{{Value: "me", Label: "Me"}}
	for _, a := range agents {
		if a.AccountID != me.Subject {
			d.Agents = append(d.Agents, option{Value: a.AccountID, Label: a.Name})
		}
	}
	pv, pl := []string{""}, []string{"Any priority"}
	for _, p := range priorityOrder {
		pv, pl = append(pv, string(p)), append(pl, priorityLabels[p])
	}
	d.Priorities = selectOptions(pv, pl, d.Priority)
	gv, gl := []string{""}, []string{"Any age"}
	for _, a := range ages {
		gv, gl = append(gv, a.value), append(gl, a.label)
	}
	d.Ages = selectOptions(gv, gl, d.Age)
	keep := url.Values{}
	for _, k := range []string{"status", "category", "assignee", "priority", "age"} {
		if v := q.Get(k); v != "" && !errs.Has(k) {
			keep.Set(k, v)
		}
	}
	d.QueueURL = template.URL("/staff/queue")
	if len(keep) > 0 {
		// Encoded by url.Values: safe as a URL.
		d.QueueURL = template.URL("/staff/queue?" + keep.Encode()) //nolint:gosec
	}

	status := http.StatusOK
	if errs != nil {
		status = http.StatusUnprocessableEntity
	} else {
		items, err := s.cfg.App.TicketQueue(r.Context(), call, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, it := range items {
			row := queueRow{QueueItem: it, CategoryLabel: categoryLabel(it.Category), StatusLabel: staffStatusLabels[it.Status],
				PriorityLabel: priorityLabels[it.Priority], AgeText: ageText(it.Age), Mine: it.AssigneeID == me.Subject}
			if it.AssigneeID != "" {
				row.AssigneeName = names[it.AssigneeID]
				if row.AssigneeName == "" {
					row.AssigneeName = "another agent"
				}
			}
			d.Rows = append(d.Rows, row)
		}
	}
	v := view{Title: "Ticket queue", Nav: "staff", Errors: errs, Data: d}
	if r.Header.Get("HX-Request") == "true" || q.Get("fragment") == "1" {
		s.renderFragment(w, r, "staff_queue", "queuetable", v)
		return
	}
	switch q.Get("done") {
	case "assigned":
		v.Notice = "The ticket is assigned."
	}
	s.render(w, r, status, "staff_queue", v)
}

func (s *Site) staffRefresh() time.Duration {
	if s.cfg.StaffRefresh > 0 {
		return s.cfg.StaffRefresh
	}
	return 15 * time.Second
}
