// Package webtest drives a real, headless Chromium (Debian's chromium) from Go tests with
// chromedp: it opens tabs at the widths the pages must work at, runs axe-core (vendored in
// testdata, so the tests need no network) against each page, and writes full-page
// screenshots for a reviewer to look at.
//
// Without chromium a browser test is skipped with a message, unless CI is set: under CI
// an absent browser fails the test, so a green CI run always means the browser ran.
package webtest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

//go:embed testdata/axe.min.js
var axeSource string

// Width is a viewport the pages must be usable at.
type Width struct {
	Name          string
	Width, Height int64
	Mobile        bool
}

var (
	Mobile  = Width{Name: "mobile", Width: 375, Height: 812, Mobile: true}
	Desktop = Width{Name: "desktop", Width: 1280, Height: 800}
	// Widths are both, for tests that check every page at each.
	Widths = []Width{Mobile, Desktop}
)

// DefaultPath is where Debian installs chromium; LEDGERDESK_CHROMIUM overrides it.
const DefaultPath = "/usr/bin/chromium"

// pageTimeout bounds each step a test takes in the browser: generous, since the machine
// running the tests may be busy (axe-core on a long page at mobile width takes seconds).
const pageTimeout = 90 * time.Second

// Browser is one headless Chromium with a fresh profile, closed when the test ends.
type Browser struct {
	alloc context.Context
}

// Start launches the browser, or skips (fails, under CI) when there is none.
func Start(t *testing.T) *Browser {
	t.Helper()
	path := os.Getenv("LEDGERDESK_CHROMIUM")
	if path == "" {
		path = DefaultPath
	}
	if _, err := exec.LookPath(path); err != nil {
		msg := fmt.Sprintf("no chromium at %s (apt-get install chromium, or set LEDGERDESK_CHROMIUM): %v", path, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; under CI the browser tests must run")
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		// The equipment test asks for the camera and microphone: a fake device answers, and
		// the permission prompt is accepted as a person would.
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	b := &Browser{alloc: alloc}
	// Start the process now, so a broken install fails here and not in the first page.
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	b.alloc = ctx
	return b
}

// Tab is a new tab (its own cookie jar is the browser's) at width w, closed at the end of
// the test.
func (b *Browser) Tab(t *testing.T, w Width) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.alloc)
	t.Cleanup(cancel)
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if w.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w.Width, w.Height, opts...)); err != nil {
		t.Fatalf("opening a tab at %s width: %v", w.Name, err)
	}
	return ctx
}

// Do runs browser steps in order, bounded in time, failing the test on error.
func Do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, pageTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Get runs one browser action that returns a value, failing the test on error.
func Get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, pageTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// Violation is one axe-core rule a page breaks.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// AxeTags are the rule sets checked: WCAG 2.0, 2.1 and 2.2 at A and AA, and axe's best
// practices (landmarks, headings, one main).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// Axe injects axe-core into the page the tab shows and returns what it finds. DevTools
// evaluation is not bound by the page's CSP, so the strict policy stays on.
func Axe(t *testing.T, ctx context.Context) []Violation {
	t.Helper()
	tags, _ := json.Marshal(AxeTags)
	script := `(async () => {
		if (!window.axe) { ` + axeSource + `
		}
		const r = await axe.run(document, {runOnly: {type: 'tag', values: ` + string(tags) + `}, resultTypes: ['violations']});
		return {violations: r.violations, passes: r.passes.length};
	})()`
	type result struct {
		Violations []Violation `json:"violations"`
		Passes     int         `json:"passes"`
	}
	r := Get(t, ctx, "running axe-core", chromedp.Evaluate[result](script, chromedp.EvalAwaitPromise))
	if r.Passes == 0 && len(r.Violations) == 0 {
		t.Fatal("axe-core checked nothing: is it loaded?")
	}
	return r.Violations
}

// NoViolations fails the test for each axe-core violation on the page, saying where.
func NoViolations(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	for _, v := range Axe(t, ctx) {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprintf("%v %s: %s", n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", " ")))
		}
		t.Errorf("%s: axe %s (%s): %s (%s)\n  %s", page, v.ID, v.Impact, v.Help, v.HelpURL, strings.Join(where, "\n  "))
	}
}

// ScreenshotDir is where screenshots go: $LEDGERDESK_SCREENSHOTS, else
// ledgerdesk-screenshots-<uid> in the system's temporary directory. Never committed.
func ScreenshotDir() string {
	if d := os.Getenv("LEDGERDESK_SCREENSHOTS"); d != "" {
		return d
	}
	// One directory per user: the temporary directory is shared, and a directory another
	// user's run created there is not ours to write in.
	return filepath.Join(os.TempDir(), fmt.Sprintf("ledgerdesk-screenshots-%d", os.Getuid()))
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot writes a full-page PNG of the tab as <test>-<name>.png and returns its path.
func Screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	png := Get(t, ctx, "taking a screenshot of "+name, chromedp.FullScreenshot(100))
	dir := ScreenshotDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, unsafeName.ReplaceAllString(t.Name()+"-"+name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// WaitFor evaluates the JavaScript condition until it is true: across a navigation, when
// the page being left or not yet loaded cannot answer, it simply asks again.
func WaitFor(t *testing.T, ctx context.Context, what, condition string) {
	t.Helper()
	deadline := time.Now().Add(pageTimeout)
	var last error
	for time.Now().Before(deadline) {
		step, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(step, chromedp.Evaluate[bool](`document.readyState === 'complete' && !!(`+condition+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s (%s): last error %v", what, condition, last)
}

// Fill sets the value of each input, select or textarea, by id, as typing would (with
// input and change events), and fails if one is missing.
func Fill(t *testing.T, ctx context.Context, byID map[string]string) {
	t.Helper()
	fields, _ := json.Marshal(byID)
	missing := Get(t, ctx, "filling in the form", chromedp.Evaluate[[]string](`(() => {
		const missing = [];
		for (const [id, v] of Object.entries(`+string(fields)+`)) {
			const el = document.getElementById(id);
			if (!el) { missing.push(id); continue; }
			el.value = v;
			el.dispatchEvent(new Event('input', {bubbles: true}));
			el.dispatchEvent(new Event('change', {bubbles: true}));
		}
		return missing;
	})()`))
	if len(missing) > 0 {
		t.Fatalf("no fields %v on the page", missing)
	}
}

// Text is the text content of the first element matching the CSS selector, or "".
func Text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	q, _ := json.Marshal(css)
	return Get(t, ctx, "reading "+css, chromedp.Evaluate[string](`(document.querySelector(`+string(q)+`) || {textContent: ''}).textContent.trim()`))
}

// Location is the tab's current URL.
func Location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return Get(t, ctx, "reading the location", chromedp.Location())
}
