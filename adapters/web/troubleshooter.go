package web

import "net/http"

// The "Trouble logging in" troubleshooter from the help page, as a page per step: each
// question is a plain GET form, so it works without JavaScript, every step has an address
// (the back button works), and every branch ends in the action that fixes that case.

// troubleStep is one step: a question with its answers, or an end with what to do.
type troubleStep struct {
	ID       string
	Title    string
	Question string
	Answers  []troubleAnswer
	// End is set on a step that ends the walk-through: its Title says what is wrong.
	End bool
}

type troubleAnswer struct {
	Label string
	Next  string
}

// troubleSteps are the help page's four cases. The ends' texts live in the template,
// which needs the visitor's address and links.
var troubleSteps = map[string]troubleStep{
	"start": {ID: "start", Title: "Trouble logging in", Question: "Go to the Psychiatry-UK login screen. Can you see it?",
		Answers: []troubleAnswer{{"Yes, I can see the login screen", "sign-in"}, {"No, the login screen does not appear", "blocked"}}},
	"sign-in": {ID: "sign-in", Title: "Trouble logging in", Question: "Can you log in with your email address and password?",
		Answers: []troubleAnswer{{"Yes, I can log in", "after-sign-in"}, {"No, my password is not accepted", "reset"}}},
	"after-sign-in": {ID: "after-sign-in", Title: "Trouble logging in", Question: "What happens after you log in?",
		Answers: []troubleAnswer{{"I see a blank screen", "check"}, {"Everything works now", "solved"}, {"Something else goes wrong", "stuck"}}},
	"blocked": {ID: "blocked", Title: "Your address has been blocked", End: true},
	"reset":   {ID: "reset", Title: "Reset your password", End: true},
	"check":   {ID: "check", Title: "Check your browser and connection", End: true},
	"stuck":   {ID: "stuck", Title: "Ask IT support to look into it", End: true},
	"solved":  {ID: "solved", Title: "Glad it works", End: true},
}

// troubleData is a step and what its end needs.
type troubleData struct {
	Step troubleStep
	IP   string
}

func (s *Site) troubleshooter(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("step")
	if id == "" {
		id = "start"
	}
	step, ok := troubleSteps[id]
	if !ok {
		s.notFound(w, r)
		return
	}
	d := troubleData{Step: step}
	if id == "blocked" {
		w.Header().Set("Cache-Control", "no-store") // it shows the visitor's address
		d.IP = requestOf(r.Context()).ip
	}
	s.render(w, r, http.StatusOK, "troubleshooter", view{Title: step.Title, Nav: "help", Data: d})
}
