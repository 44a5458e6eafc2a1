package helparticles_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/helparticles"
	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/app"
)

func library(t *testing.T) (*helparticles.Library, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.NewPool(t)
	lib := helparticles.New(pool)
	as, err := helparticles.Starter()
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Sync(context.Background(), as); err != nil {
		t.Fatal(err)
	}
	return lib, pool
}

func TestSearchFindsTheArticleThatAnswersAndMarksTheWords(t *testing.T) {
	lib, _ := library(t)
	ctx := context.Background()
	cases := map[string]string{
		"passport":                "two-factor-authentication",
		"lost my phone":           "two-factor-authentication",
		"forgot password email":   "resetting-your-password",
		"microphone camera":       "testing-your-equipment",
		"post-consultation form":  "how-clinicians-get-paid",
		"V1 pending payments":     "where-are-my-pending-payments",
		`"council tax bill"`:      "two-factor-authentication",
		"change my phone number":  "updating-your-account-details",
		"camera chrome -password": "testing-your-equipment",
	}
	for words, want := range cases {
		hits, err := lib.SearchHelp(ctx, words, 5)
		if err != nil {
			t.Fatalf("%q: %v", words, err)
		}
		if len(hits) == 0 || hits[0].Slug != want {
			t.Errorf("%q: first hit %v, want %s", words, slugs(hits), want)
			continue
		}
		marked := false
		for _, p := range hits[0].Snippet {
			marked = marked || p.Match
		}
		if !marked {
			t.Errorf("%q: the passage marks none of the words: %+v", words, hits[0].Snippet)
		}
	}
	if hits, err := lib.SearchHelp(ctx, "zebra xylophone", 5); err != nil || len(hits) != 0 {
		t.Errorf("words found nowhere: %v %v", slugs(hits), err)
	}
	for _, odd := range []string{`"`, `&|!:*()`, `-`, `or or or`, `'; DROP TABLE help_articles; --`} {
		if _, err := lib.SearchHelp(ctx, odd, 5); err != nil {
			t.Errorf("search %q: %v", odd, err)
		}
	}
}

func slugs(hs []app.HelpHit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Slug)
	}
	return out
}

func TestSyncWritesExactlyTheGivenArticles(t *testing.T) {
	lib, pool := library(t)
	ctx := context.Background()
	list, err := lib.HelpArticles(ctx)
	if err != nil || len(list) != 6 || list[0].Slug != "two-factor-authentication" {
		t.Fatalf("after the first sync: %v %v", list, err)
	}
	var before string
	if err := pool.QueryRow(ctx, `SELECT max(updated_at)::text FROM help_articles`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	as, _ := helparticles.Starter()
	if err := lib.Sync(ctx, as); err != nil {
		t.Fatal(err)
	}
	var after string
	if err := pool.QueryRow(ctx, `SELECT max(updated_at)::text FROM help_articles`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("an unchanged set was rewritten (%s → %s)", before, after)
	}
	changed, err := helparticles.Render("resetting-your-password", []byte("# Resetting your password\n\nNew words about zebras.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Sync(ctx, []helparticles.Article{as[0], changed}); err != nil {
		t.Fatal(err)
	}
	list, _ = lib.HelpArticles(ctx)
	if len(list) != 2 {
		t.Fatalf("articles no longer given were kept: %d", len(list))
	}
	hits, _ := lib.SearchHelp(ctx, "zebras", 5)
	if len(hits) != 1 || hits[0].Slug != "resetting-your-password" {
		t.Errorf("the changed article is not what is searched: %v", slugs(hits))
	}
	if _, err := lib.HelpArticle(ctx, "testing-your-equipment"); !errors.Is(err, app.ErrNoHelpArticle) {
		t.Errorf("a removed article: %v, want ErrNoHelpArticle", err)
	}
	a, err := lib.HelpArticle(ctx, "two-factor-authentication")
	if err != nil || !strings.Contains(a.HTML, "recovery codes") {
		t.Errorf("reading an article: %v %q", err, a.HTML)
	}
}
