package web

import (
	_ "embed"
	"fmt"
	"html/template"
	"regexp"
	"strings"
)

//go:embed content/faq.txt
var faqText string

// faqEntry is one question and its answer, as blocks of HTML.
type faqEntry struct {
	ID       string
	Question string
	Answer   []template.HTML
}

var faqEntries = mustParseFAQ(faqText)

func mustParseFAQ(s string) []faqEntry {
	es, err := parseFAQ(s)
	if err != nil {
		panic(err) // the file is embedded: a mistake in it is caught by the tests
	}
	return es
}

// parseFAQ reads content/faq.txt (its header says the format). Text is escaped; the only
// markup it makes is paragraphs, lists and links to this site's own paths.
func parseFAQ(s string) ([]faqEntry, error) {
	var out []faqEntry
	var block []string
	flush := func() error {
		if len(block) == 0 {
			return nil
		}
		if len(out) == 0 {
			return fmt.Errorf("web: faq: text before the first question: %q", block[0])
		}
		e := &out[len(out)-1]
		e.Answer = append(e.Answer, renderBlock(block))
		block = nil
		return nil
	}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, " \r")
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "? "):
			if err := flush(); err != nil {
				return nil, err
			}
			q := strings.TrimSpace(line[2:])
			out = append(out, faqEntry{ID: fmt.Sprintf("q%d", len(out)+1), Question: q})
		case line == "":
			if err := flush(); err != nil {
				return nil, err
			}
		default:
			block = append(block, line)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	for _, e := range out {
		if len(e.Answer) == 0 {
			return nil, fmt.Errorf("web: faq: %q has no answer", e.Question)
		}
	}
	return out, nil
}

var linkPattern = regexp.MustCompile(`\[([^\]]+)\]\((/[A-Za-z0-9/_?=&;-]*)\)`)

func inline(s string) string {
	return linkPattern.ReplaceAllString(template.HTMLEscapeString(s), `<a href="$2">$1</a>`)
}

func renderBlock(lines []string) template.HTML {
	list := func(tag, prefix string) (template.HTML, bool) {
		var b strings.Builder
		b.WriteString("<" + tag + ">")
		for _, l := range lines {
			if !strings.HasPrefix(l, prefix) {
				return "", false
			}
			b.WriteString("<li>" + inline(strings.TrimPrefix(l, prefix)) + "</li>")
		}
		b.WriteString("</" + tag + ">")
		return template.HTML(b.String()), true
	}
	if h, ok := list("ol", "1. "); ok {
		return h
	}
	if h, ok := list("ul", "- "); ok {
		return h
	}
	return template.HTML("<p>" + inline(strings.Join(lines, " ")) + "</p>")
}
