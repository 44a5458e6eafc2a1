// Package helparticles is the help library (app.HelpLibrary) on PostgreSQL: articles are
// written in Markdown, rendered with goldmark, sanitised with bluemonday, and searched with
// PostgreSQL's full-text search. A starter set written from the practice's help page ships
// in the binary (Starter) and Sync writes it to the database at start-up.
package helparticles

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/app"
)

// Library reads and searches the articles in the database.
type Library struct{ db *pgxpool.Pool }

// New is the library on db (migrated).
func New(db *pgxpool.Pool) *Library { return &Library{db: db} }

var _ app.HelpLibrary = (*Library)(nil)

// Sync makes the database hold exactly these articles: new and changed ones are written,
// ones no longer given are removed, unchanged ones are left alone. It is one transaction,
// so a reader never sees half a set.
func (l *Library) Sync(ctx context.Context, articles []Article) error {
	return pgx.BeginFunc(ctx, l.db, func(tx pgx.Tx) error {
		slugs := make([]string, 0, len(articles))
		for i, a := range articles {
			slugs = append(slugs, a.Slug)
			if _, err := tx.Exec(ctx, `
				INSERT INTO help_articles (slug, title, summary, body_html, body_text, position, content_sha)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (slug) DO UPDATE SET title = excluded.title, summary = excluded.summary,
					body_html = excluded.body_html, body_text = excluded.body_text, position = excluded.position,
					content_sha = excluded.content_sha, updated_at = now()
				WHERE help_articles.content_sha IS DISTINCT FROM excluded.content_sha OR help_articles.position <> excluded.position`,
				a.Slug, a.Title, a.Summary, a.HTML, a.Text, i, a.sha[:]); err != nil {
				return fmt.Errorf("help article %s: %w", a.Slug, err)
			}
		}
		_, err := tx.Exec(ctx, `DELETE FROM help_articles WHERE NOT (slug = ANY($1))`, slugs)
		return err
	})
}

// HelpArticles lists the articles in reading order, without their bodies.
func (l *Library) HelpArticles(ctx context.Context) ([]app.HelpArticle, error) {
	rows, err := l.db.Query(ctx, `SELECT slug, title, summary, updated_at FROM help_articles ORDER BY position, slug`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (app.HelpArticle, error) {
		var a app.HelpArticle
		err := r.Scan(&a.Slug, &a.Title, &a.Summary, &a.UpdatedAt)
		return a, err
	})
}

// HelpArticle reads one article with its body.
func (l *Library) HelpArticle(ctx context.Context, slug string) (app.HelpArticle, error) {
	var a app.HelpArticle
	err := l.db.QueryRow(ctx, `SELECT slug, title, summary, body_html, updated_at FROM help_articles WHERE slug = $1`, slug).
		Scan(&a.Slug, &a.Title, &a.Summary, &a.HTML, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("%w: %s", app.ErrNoHelpArticle, slug)
	}
	return a, err
}

// Markers ts_headline puts around the words that matched: control characters that no
// article's text holds (Render drops them), so splitting on them is exact.
const (
	startMatch = "\x02"
	stopMatch  = "\x03"
)

// SearchHelp ranks the articles against the words, as a web search box reads them
// (websearch_to_tsquery: quotes for phrases, "or", a leading minus to exclude), and cuts
// the passage that matched out of each. Articles holding every word come first; when none
// does, articles holding any of them are found instead, as a person typing a question
// expects ("forgot password email" finds the article that says "forgotten").
func (l *Library) SearchHelp(ctx context.Context, words string, limit int) ([]app.HelpHit, error) {
	hits, err := l.search(ctx, `websearch_to_tsquery('english', $1)`, words, limit)
	if err != nil || len(hits) > 0 {
		return hits, err
	}
	return l.search(ctx, `replace(websearch_to_tsquery('english', $1)::text, ' & ', ' | ')::tsquery`, words, limit)
}

func (l *Library) search(ctx context.Context, query, words string, limit int) ([]app.HelpHit, error) {
	rows, err := l.db.Query(ctx, `
		SELECT slug, title, ts_headline('english', body_text, q,
			'StartSel=`+startMatch+`, StopSel=`+stopMatch+`, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
		FROM help_articles, (SELECT `+query+` AS q) AS query
		WHERE search @@ q
		ORDER BY ts_rank(search, q) DESC, position
		LIMIT $2`, words, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (app.HelpHit, error) {
		var h app.HelpHit
		var headline string
		if err := r.Scan(&h.Slug, &h.Title, &headline); err != nil {
			return h, err
		}
		h.Snippet = splitHeadline(headline)
		return h, nil
	})
}

func splitHeadline(s string) []app.SnippetPart {
	var out []app.SnippetPart
	for s != "" {
		i := strings.Index(s, startMatch)
		if i < 0 {
			out = append(out, app.SnippetPart{Text: s})
			break
		}
		if i > 0 {
			out = append(out, app.SnippetPart{Text: s[:i]})
		}
		s = s[i+len(startMatch):]
		j := strings.Index(s, stopMatch)
		if j < 0 {
			out = append(out, app.SnippetPart{Text: s, Match: true})
			break
		}
		out = append(out, app.SnippetPart{Text: s[:j], Match: true})
		s = s[j+len(stopMatch):]
	}
	return out
}
