package helparticles

import (
	"strings"
	"testing"
)

func TestTheStarterSetIsTheHelpPagesSixArticles(t *testing.T) {
	as, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"two-factor-authentication", "resetting-your-password", "updating-your-account-details",
		"testing-your-equipment", "how-clinicians-get-paid", "where-are-my-pending-payments"}
	if len(as) != len(want) {
		t.Fatalf("%d articles, want %d", len(as), len(want))
	}
	for i, a := range as {
		if a.Slug != want[i] || a.Title == "" || a.Summary == "" || !strings.Contains(a.HTML, "<p>") {
			t.Errorf("article %d: %q %q %q", i, a.Slug, a.Title, a.Summary)
		}
		if strings.Contains(a.HTML, "<h1") || strings.Contains(a.HTML, a.Summary) {
			t.Errorf("%s: the title and the summary are shown by the page, not repeated in the body", a.Slug)
		}
	}
}

func TestAnArticleCannotPutScriptOnThePage(t *testing.T) {
	src := "# Title\n\nSummary.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [data](data:text/html,hi) [ok](/help) [out](https://example.org)\n"
	a, err := Render("evil", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "onerror", "javascript:", "data:text"} {
		if strings.Contains(a.HTML, bad) {
			t.Errorf("rendered HTML holds %q:\n%s", bad, a.HTML)
		}
	}
	if !strings.Contains(a.HTML, `href="/help"`) || !strings.Contains(a.HTML, `href="https://example.org"`) {
		t.Errorf("ordinary links were lost:\n%s", a.HTML)
	}
}

func TestAnArticleNeedsATitleAndASummaryAndAPlainName(t *testing.T) {
	cases := map[string]struct{ slug, src, want string }{
		"no title":   {"a", "Just text.\n", "must open with"},
		"h2 title":   {"a", "## Title\n\nSummary.\n", "must open with"},
		"no summary": {"a", "# Title\n\n## Section\n", "summary paragraph"},
		"bad name":   {"Bad Name", "# Title\n\nSummary.\n", "lower-case"},
		"name ../":   {"../etc", "# Title\n\nSummary.\n", "lower-case"},
	}
	for name, c := range cases {
		if _, err := Render(c.slug, []byte(c.src)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", name, err, c.want)
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"# T\n\nS.\n", "# T\n\nS\n\n<script>x</script>", "# [a](javascript:x)\n\ns", "#\n\n", "# T\n\n\x00\x02\x03s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		a, err := Render("fuzz", []byte(src))
		if err != nil {
			return
		}
		if a.Title == "" || a.Summary == "" {
			t.Fatalf("accepted without a title or summary: %+v", a)
		}
		low := strings.ToLower(a.HTML)
		for _, bad := range []string{"<script", "javascript:", "onerror=", "onload="} {
			if strings.Contains(low, bad) {
				t.Fatalf("rendered %q into HTML holding %q: %s", src, bad, a.HTML)
			}
		}
		if strings.ContainsAny(a.Text, startMatch+stopMatch) {
			t.Fatalf("the search text holds the snippet markers: %q", a.Text)
		}
	})
}
