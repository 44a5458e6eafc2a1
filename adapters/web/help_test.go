package web

import (
	"net/url"
	"strings"
	"testing"
)

func TestAVisitorReadsTheHelpArticlesAndSearchesThem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	res, body := get(t, c, e.srv.URL+"/help")
	if res.StatusCode != 200 {
		t.Fatalf("/help: %d", res.StatusCode)
	}
	for _, want := range []string{"Setting up two-factor authentication", "Resetting your password", "Updating your account details",
		"Testing your equipment", "How clinicians get paid", "pending payments from before 3 February"} {
		if !strings.Contains(body, want) {
			t.Errorf("/help does not list %q", want)
		}
	}
	res, body = get(t, c, e.srv.URL+"/help/two-factor-authentication")
	if res.StatusCode != 200 || !strings.Contains(body, "<h1 id=\"article-title\">Setting up two-factor authentication</h1>") ||
		!strings.Contains(body, "council tax bill") || !strings.Contains(body, `<a href="/tickets/new"`) {
		t.Fatalf("the article: %d\n%s", res.StatusCode, body)
	}
	res, body = get(t, c, e.srv.URL+"/help/search?q="+url.QueryEscape("lost my phone"))
	if res.StatusCode != 200 || !strings.Contains(body, `href="/help/two-factor-authentication"`) || !strings.Contains(body, "<mark>") {
		t.Fatalf("searching: %d\n%s", res.StatusCode, body)
	}
	_, body = get(t, c, e.srv.URL+"/help/search?q=zebra")
	if !strings.Contains(body, "No article matches “zebra”") {
		t.Errorf("a search that finds nothing says so and offers a way on:\n%s", body)
	}
	_, body = get(t, c, e.srv.URL+"/help/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
	if strings.Contains(body, "<script>alert") {
		t.Error("the search words are written into the page unescaped")
	}
}

func TestABadSearchIsRefusedBesideTheFieldWithTheWordsKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	long := strings.Repeat("payment ", 30)
	for _, q := range []string{long, "pay\x00ment"} {
		res, body := get(t, e.client(), e.srv.URL+"/help/search?q="+url.QueryEscape(q))
		if res.StatusCode != 422 || !strings.Contains(body, `id="q-error"`) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("search %.20q: %d, want 422 with the message beside the field\n%s", q, res.StatusCode, body)
		}
		if q == long && !strings.Contains(body, `value="`+long+`"`) {
			t.Errorf("the words searched for were not kept in the field")
		}
	}
}

func TestAnUnknownHelpArticleIsTheNotFoundPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, slug := range []string{"no-such-article", "..%2F..%2Fetc", "%00"} {
		res, body := get(t, e.client(), e.srv.URL+"/help/"+slug)
		if res.StatusCode != 404 || !strings.Contains(body, "Page not found") {
			t.Errorf("/help/%s: %d", slug, res.StatusCode)
		}
	}
}
