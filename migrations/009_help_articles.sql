-- The support centre's help articles, searchable with PostgreSQL's full-text search. The
-- starter set ships in the binary and is written here at start-up (adapters/helparticles);
-- the title weighs more than the body in the ranking.

CREATE TABLE help_articles (
    slug        text        PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title       text        NOT NULL CHECK (title <> ''),
    summary     text        NOT NULL,
    body_html   text        NOT NULL,
    body_text   text        NOT NULL,
    position    int         NOT NULL DEFAULT 0,
    content_sha bytea       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    search      tsvector    GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', body_text), 'C')) STORED
);

CREATE INDEX help_articles_search ON help_articles USING gin (search);
