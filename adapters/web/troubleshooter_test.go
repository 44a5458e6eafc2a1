package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ledgerdesk/adapters/web/webtest"
)

// Every branch of the help page's "Trouble logging in" ends in the action for that case.
var troubleBranches = []struct {
	name    string
	answers []string // the answers' labels, in order
	end     string   // the end's heading
	action  string   // a link the end must offer
}{
	{"login screen not visible", []string{"No, the login screen does not appear"}, "Your address has been blocked", "/tickets/new?category=blocked_ip"},
	{"cannot log in", []string{"Yes, I can see the login screen", "No, my password is not accepted"}, "Reset your password", "/help/resetting-your-password"},
	{"blank screen", []string{"Yes, I can see the login screen", "Yes, I can log in", "I see a blank screen"}, "Check your browser and connection", "/help/testing-your-equipment"},
	{"still stuck", []string{"Yes, I can see the login screen", "Yes, I can log in", "Something else goes wrong"}, "Ask IT support to look into it", "/tickets/new?category=login_trouble"},
	{"solved", []string{"Yes, I can see the login screen", "Yes, I can log in", "Everything works now"}, "Glad it works", "/help"},
}

func TestEveryTroubleshooterBranchEndsInItsAction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for _, b := range troubleBranches {
		step := "start"
		for _, label := range b.answers {
			s, ok := troubleSteps[step]
			if !ok || s.End {
				t.Fatalf("%s: no question at step %q", b.name, step)
			}
			next := ""
			for _, a := range s.Answers {
				if a.Label == label {
					next = a.Next
				}
			}
			_, body := get(t, c, e.srv.URL+"/help/trouble-logging-in?step="+step)
			if !strings.Contains(body, label) {
				t.Fatalf("%s: step %s does not offer %q", b.name, step, label)
			}
			step = next
		}
		res, body := get(t, c, e.srv.URL+"/help/trouble-logging-in?step="+step)
		if res.StatusCode != 200 || !strings.Contains(body, "<h1>"+b.end+"</h1>") || !strings.Contains(body, `href="`+b.action+`"`) {
			t.Errorf("%s: ends at %q (%d) without %q or the link %s", b.name, step, res.StatusCode, b.end, b.action)
		}
		if step == "blocked" && !strings.Contains(body, "127.0.0.1") {
			t.Errorf("the blocked end does not show the address the server sees")
		}
	}
	if res, _ := get(t, c, e.srv.URL+"/help/trouble-logging-in?step=nowhere"); res.StatusCode != 404 {
		t.Errorf("an unknown step: %d, want 404", res.StatusCode)
	}
}

func TestInTheBrowserEveryTroubleshooterBranchEndsInItsAction(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	for wi, w := range webtest.Widths {
		ctx := b.Tab(t, w)
		for _, br := range troubleBranches {
			visit(t, ctx, e.srv.URL+"/help/trouble-logging-in", "Trouble logging in")
			for _, label := range br.answers {
				choose := fmt.Sprintf(`[...document.querySelectorAll('main label')].find(l => l.textContent.trim() === %q).click()`, label)
				webtest.Get(t, ctx, "choosing "+label, chromedp.Evaluate[bool](choose+"; true"))
				webtest.Do(t, ctx, "continuing", chromedp.Click(chromedp.CSS("main button[type=submit]")))
				webtest.WaitFor(t, ctx, "the next step after "+label, `document.readyState === 'complete' && !document.querySelector('input[name=step]:checked')`)
			}
			webtest.WaitFor(t, ctx, "the end "+br.end, h1Is(br.end))
			webtest.WaitFor(t, ctx, "the action "+br.action, `!!document.querySelector('main a[href="`+br.action+`"]')`)
			if wi == 0 || br.end == "Your address has been blocked" {
				look(t, ctx, w, "troubleshooter-"+strings.ReplaceAll(br.name, " ", "-"))
			}
		}
		visit(t, ctx, e.srv.URL+"/help/trouble-logging-in", "Trouble logging in")
		look(t, ctx, w, "troubleshooter-start")
	}
}
