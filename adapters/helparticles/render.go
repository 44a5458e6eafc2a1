package helparticles

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

//go:embed articles/*.md
var starter embed.FS

// Article is an article rendered from Markdown.
type Article struct {
	Slug    string
	Title   string // the first heading
	Summary string // the first paragraph, as text
	HTML    string // the rest, sanitised
	Text    string // all of it as plain text, for the search
	sha     [sha256.Size]byte
}

// markdown is CommonMark with GitHub's tables and strikethrough. Raw HTML in an article is
// not rendered (goldmark's default), and the output goes through bluemonday as well: an
// article is content, and whoever writes it must not be able to put script on the page.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

// policy is bluemonday's policy for user content, with links kept to this site or https.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("https", "mailto")
	p.RequireNoReferrerOnLinks(true)
	return p
}()

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Render reads one article: slug names it, source is its Markdown, which must open with a
// "# Title" heading followed by a paragraph that summarises it.
func Render(slug string, source []byte) (Article, error) {
	if !slugPattern.MatchString(slug) || len(slug) > 100 {
		return Article{}, fmt.Errorf("help article %q: a name is lower-case letters and digits joined by single hyphens", slug)
	}
	source = bytes.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, source)
	doc := markdown.Parser().Parse(text.NewReader(source))
	a := Article{Slug: slug}
	first := doc.FirstChild()
	h, ok := first.(*ast.Heading)
	if !ok || h.Level != 1 {
		return Article{}, fmt.Errorf("help article %s: it must open with a \"# Title\" line", slug)
	}
	a.Title = strings.TrimSpace(plain(h, source))
	if a.Title == "" {
		return Article{}, fmt.Errorf("help article %s: its title is empty", slug)
	}
	p, ok := h.NextSibling().(*ast.Paragraph)
	if ok {
		a.Summary = strings.TrimSpace(plain(p, source))
	}
	if a.Summary == "" {
		return Article{}, fmt.Errorf("help article %s: the title must be followed by a summary paragraph", slug)
	}
	// The page shows the title and the summary itself; the body is what follows them.
	doc.RemoveChild(doc, h)
	doc.RemoveChild(doc, p)
	var out bytes.Buffer
	if err := markdown.Renderer().Render(&out, source, doc); err != nil {
		return Article{}, fmt.Errorf("help article %s: %w", slug, err)
	}
	a.HTML = policy.Sanitize(out.String())
	a.Text = a.Title + "\n" + a.Summary + "\n" + plain(doc, source)
	a.sha = sha256.Sum256(source)
	return a, nil
}

// plain is the text of a node and its children, blocks separated by newlines.
func plain(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if c.Type() == ast.TypeBlock {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(source))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			for ch := t.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if tx, ok := ch.(*ast.Text); ok {
					b.Write(tx.Segment.Value(source))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// Starter is the shipped set, in reading order: its files are named NN-slug.md.
func Starter() ([]Article, error) {
	names, err := fs.Glob(starter, "articles/*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Article
	for _, n := range names {
		src, err := starter.ReadFile(n)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(path.Base(n), ".md")
		_, slug, ok := strings.Cut(base, "-")
		if !ok {
			return nil, fmt.Errorf("help article file %s: name it NN-slug.md", n)
		}
		a, err := Render(slug, src)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
