package progress

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/schollz/progressbar/v3"
)

// What the commands did before this package: a bar drawn into whatever stderr was.
func TestABarDrawnIntoAPipeIsNoise(t *testing.T) {
	var buf bytes.Buffer
	bar := progressbar.NewOptions64(100, progressbar.OptionSetWriter(&buf), progressbar.OptionShowCount())
	_ = bar.Set64(50)
	_ = bar.Finish()
	if !strings.ContainsAny(buf.String(), "\r\x1b") {
		t.Skip("progressbar no longer draws into non-terminals; nothing to compare with")
	}
}

func TestOffATerminalABarIsALinePerTenth(t *testing.T) {
	var buf bytes.Buffer
	bar := New(&buf, "rebuilding appointments", 12000, Unit("events"))
	for done := int64(0); done <= 12000; done += 100 {
		bar.Set(done)
	}
	bar.Finish()
	out := buf.String()
	assertPlain(t, out)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{"rebuilding appointments: 0/12000 (0%)", "rebuilding appointments: 1200/12000 (10%)"}
	for i, w := range want {
		if lines[i] != w {
			t.Fatalf("line %d is %q, want %q\n%s", i, lines[i], w, out)
		}
	}
	if last := lines[len(lines)-1]; last != "rebuilding appointments: 12000/12000 (100%), done" {
		t.Fatalf("last line %q\n%s", last, out)
	}
	if len(lines) != 11 { // start, 10% ... 90%, done
		t.Fatalf("%d lines, want 11:\n%s", len(lines), out)
	}
}

func TestOffATerminalAStoppedBarSaysSoAndClaimsNothing(t *testing.T) {
	var buf bytes.Buffer
	bar := New(&buf, "copying events", -1)
	bar.SetTotal(1000)
	bar.Set(420)
	bar.Exit()
	bar.Finish() // ignored once ended
	out := buf.String()
	assertPlain(t, out)
	if !strings.HasSuffix(out, "copying events: 420/1000 (42%), stopped\n") || strings.Contains(out, "done") {
		t.Fatalf("got\n%s", out)
	}
}

func TestOffATerminalAnUnknownTotalPrintsAtABoundedRate(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "verifying", -1).(*lines)
	clock := time.Unix(0, 0)
	b.now, b.last = func() time.Time { return clock }, clock
	for i := 0; i < 1000; i++ {
		b.Add(1)
		clock = clock.Add(time.Duration(i%2) * 100 * time.Millisecond)
	}
	b.Finish()
	out := buf.String()
	assertPlain(t, out)
	// 1000 steps over 50 s: a line at most every LineInterval, and the last.
	if n := strings.Count(out, "\n"); n > 12 || n < 3 {
		t.Fatalf("%d lines:\n%s", n, out)
	}
	if !strings.HasSuffix(out, "verifying: 1000, done\n") {
		t.Fatalf("got\n%s", out)
	}
}

func TestBytesAreCountedInUnitsOffATerminal(t *testing.T) {
	var buf bytes.Buffer
	bar := New(&buf, "reading", 3_000_000, Bytes())
	if _, err := io.Copy(io.Discard, NewReader(strings.NewReader(strings.Repeat("x", 3_000_000)), bar)); err != nil {
		t.Fatal(err)
	}
	bar.Finish()
	if !strings.HasSuffix(buf.String(), "reading: 3.0 MB/3.0 MB (100%), done\n") {
		t.Fatalf("got\n%s", buf.String())
	}
}

func TestAFileThatIsNotATerminalGetsLines(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "progress")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bar := New(f, "replaying", 10)
	bar.Set(10)
	bar.Finish()
	out, _ := os.ReadFile(f.Name())
	assertPlain(t, string(out))
	if string(out) != "replaying: 0/10 (0%)\nreplaying: 10/10 (100%), done\n" {
		t.Fatalf("got %q", out)
	}
}

func TestOnATerminalTheBarIsDrawn(t *testing.T) {
	was := isTerminal
	isTerminal = func(io.Writer) bool { return true }
	t.Cleanup(func() { isTerminal = was })
	var buf bytes.Buffer
	bar := New(&buf, "rebuilding", 100, Unit("events"))
	bar.Set(100)
	bar.Finish()
	if !strings.Contains(buf.String(), "\r") || !strings.Contains(buf.String(), "rebuilding") || !strings.HasSuffix(buf.String(), "\n") {
		t.Fatalf("want a drawn bar ending its line, got %q", buf.String())
	}
}

func assertPlain(t *testing.T, out string) {
	t.Helper()
	if strings.ContainsAny(out, "\r\x1b") {
		t.Fatalf("carriage returns or escape codes off a terminal: %q", out)
	}
}
