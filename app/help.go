package app

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"ledgerdesk/domain/check"
)

// HelpLibrary is the support centre's help articles: a port, because where they live and
// how they are searched (PostgreSQL's full-text search today) is an outside thing.
type HelpLibrary interface {
	// HelpArticles lists every article, in reading order, without its body.
	HelpArticles(ctx context.Context) ([]HelpArticle, error)
	// HelpArticle is one article with its body; ErrNoHelpArticle when there is none.
	HelpArticle(ctx context.Context, slug string) (HelpArticle, error)
	// SearchHelp finds the articles that match words, best first.
	SearchHelp(ctx context.Context, words string, limit int) ([]HelpHit, error)
}

// HelpArticle is one article. HTML is its body, already sanitised by the library.
type HelpArticle struct {
	Slug      string
	Title     string
	Summary   string
	HTML      string
	UpdatedAt time.Time
}

// HelpHit is an article that matched a search, with the passage that matched.
type HelpHit struct {
	Slug    string
	Title   string
	Snippet []SnippetPart
}

// SnippetPart is a run of a search result's passage; Match marks the words searched for.
type SnippetPart struct {
	Text  string
	Match bool
}

// ErrNoHelpArticle: no article has that name.
var ErrNoHelpArticle = errors.New("no such help article")

// MaxHelpSearch is the longest search accepted, in characters.
const MaxHelpSearch = 200

// HelpSearchLimit is how many results a search returns.
const HelpSearchLimit = 20

// Anyone may read the help, signed in or not.
var readHelp = declare(query("help.read", withVisitor(everyone)))

var errNoHelpLibrary = errors.New("the help articles are not available here")

// HelpArticles lists the articles.
func (a *App) HelpArticles(ctx context.Context, call Call) ([]HelpArticle, error) {
	return run(ctx, a, call, readHelp, func(ctx context.Context, _ *Request) ([]HelpArticle, error) {
		if a.cfg.Help == nil {
			return nil, errNoHelpLibrary
		}
		return a.cfg.Help.HelpArticles(ctx)
	})
}

// HelpArticle reads one article.
func (a *App) HelpArticle(ctx context.Context, call Call, slug string) (HelpArticle, error) {
	return run(ctx, a, call, readHelp, func(ctx context.Context, _ *Request) (HelpArticle, error) {
		if a.cfg.Help == nil {
			return HelpArticle{}, errNoHelpLibrary
		}
		if reason := check.IDReason(slug, 100); reason != "" {
			return HelpArticle{}, ErrNoHelpArticle
		}
		return a.cfg.Help.HelpArticle(ctx, slug)
	})
}

// SearchHelp searches the articles for words (an empty search finds nothing).
func (a *App) SearchHelp(ctx context.Context, call Call, words string) ([]HelpHit, error) {
	return run(ctx, a, call, readHelp, func(ctx context.Context, _ *Request) ([]HelpHit, error) {
		if a.cfg.Help == nil {
			return nil, errNoHelpLibrary
		}
		words = strings.TrimSpace(words)
		switch {
		case !utf8.ValidString(words) || strings.ContainsRune(words, 0):
			return nil, check.Failf(nil, "q", "the search must be text")
		case utf8.RuneCountInString(words) > MaxHelpSearch:
			return nil, check.Failf(nil, "q", "at most %d characters", MaxHelpSearch)
		case words == "":
			return nil, nil
		}
		return a.cfg.Help.SearchHelp(ctx, words, HelpSearchLimit)
	})
}
