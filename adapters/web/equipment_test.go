package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ledgerdesk/adapters/web/webtest"
)

func TestTheSpeedTestEndpointsAreBoundedAndKeepNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	res, err := c.Get(e.srv.URL + "/equipment-test/download?bytes=1000")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(body) != 1000 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("download: %d, %d bytes, %q", res.StatusCode, len(body), res.Header.Get("Cache-Control"))
	}
	for _, bad := range []string{"0", "-1", "99999999", "x", ""} {
		res, _ := get(t, c, e.srv.URL+"/equipment-test/download?bytes="+bad)
		if res.StatusCode != 400 {
			t.Errorf("download of %q bytes: %d, want 400", bad, res.StatusCode)
		}
	}
	before := e.events()
	req, _ := http.NewRequest("POST", e.srv.URL+"/equipment-test/upload", strings.NewReader(strings.Repeat("x", 5000)))
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || strings.TrimSpace(string(body)) != "5000" {
		t.Fatalf("upload: %d %q", res.StatusCode, body)
	}
	req, _ = http.NewRequest("POST", e.srv.URL+"/equipment-test/upload", strings.NewReader(strings.Repeat("x", speedTestMax+1)))
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if res, err = c.Do(req); err != nil || res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("an oversized upload: %v %v", res.StatusCode, err)
	}
	if e.events() != before {
		t.Error("the speed test wrote something")
	}
}

func TestTheEquipmentResultIsCarriedToATicketAsTextOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	e.signIn(t, c)
	result := "Equipment test passed: browser Chrome 156; connection 90.1 Mbit/s down, 80.2 Mbit/s up; camera and microphone working."
	_, body := get(t, c, e.srv.URL+"/tickets/new?category=other&equipment="+url.QueryEscape(result))
	if !strings.Contains(body, `value="Equipment test result"`) || !strings.Contains(body, result) {
		t.Fatalf("the ticket form does not carry the result:\n%s", body)
	}
	_, body = get(t, c, e.srv.URL+"/tickets/new?category=other&equipment="+url.QueryEscape("<script>x</script> not a result"))
	if strings.Contains(body, "not a result") {
		t.Error("text that is not a test result was put on the form")
	}
}

func TestInTheBrowserTheEquipmentTestChecksBrowserConnectionCameraAndMicrophone(t *testing.T) {
	b := webtest.Start(t)
	e := newEnv(t)
	for _, w := range webtest.Widths {
		ctx := b.Tab(t, w)
		visit(t, ctx, e.srv.URL+"/equipment-test", "Test your equipment")
		look(t, ctx, w, "equipment-test")
		webtest.Do(t, ctx, "starting the test", chromedp.Click(chromedp.CSS("#start-test")))
		webtest.WaitFor(t, ctx, "the test's summary", `/^Equipment test (passed|failed)/.test(document.getElementById('summary').textContent)`)
		got := webtest.Text(t, ctx, "#summary")
		// Debian's chromium is Chromium, the fake devices answer, and the server is local:
		// every check can pass here, and each must say what it found.
		for _, want := range []string{"browser Chrome ", "Mbit/s down", "Mbit/s up", "camera and microphone working"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: the summary %q does not say %q", w.Name, got, want)
			}
		}
		webtest.WaitFor(t, ctx, "the camera's picture", `document.getElementById('camera-preview').videoWidth > 0`)
		webtest.WaitFor(t, ctx, "the link to a ticket", `!document.getElementById('attach-result').hidden`)
		look(t, ctx, w, "equipment-test-done")
	}
}
