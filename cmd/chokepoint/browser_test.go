package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/chokepoint/chokepoint/cypher/cyphertest"
)

// chromium is Debian's Chromium, which the browser tests drive (.ci/run installs it).
const chromium = "/usr/bin/chromium"

// tab is a headless Chromium tab on a running chokepoint serve, which records every console
// error, uncaught exception and failed load of the page.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	mu   sync.Mutex
	errs []string
}

// newTab starts Chromium (skipping the test when it is missing, unless CHOKEPOINT_NEO4J_REQUIRED=1,
// as in scripts/test, when it fails) with a fresh profile and no network beyond the test server.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CHOKEPOINT_NEO4J_REQUIRED") == "1" {
			t.Fatalf("%s is missing but the browser tests are mandatory here (CHOKEPOINT_NEO4J_REQUIRED=1): apt-get install chromium", chromium)
		}
		t.Skipf("%s is missing: skipping a browser test (apt-get install chromium)", chromium)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1440, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true)) // containers often have a small /dev/shm
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	tb := &tab{t: t, ctx: ctx, base: base}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				tb.mu.Lock()
				tb.errs = append(tb.errs, fmt.Sprintf("%s: %s (%s)", m.Type, m.Text, m.URL))
				tb.mu.Unlock()
			}
		}
	}()
	return tb
}

// takeErrors returns the console errors so far, and forgets them. The browser reports them
// asynchronously, so it first waits until none has come for 300 ms (at most 5 s).
func (tb *tab) takeErrors() []string {
	count := func() int { tb.mu.Lock(); defer tb.mu.Unlock(); return len(tb.errs) }
	last, since := count(), time.Now()
	for deadline := time.Now().Add(5 * time.Second); time.Since(since) < 300*time.Millisecond && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if n := count(); n != last {
			last, since = n, time.Now()
		}
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	errs := tb.errs
	tb.errs = nil
	return errs
}

// noErrors fails the test for every console error or exception so far.
func (tb *tab) noErrors(step string) {
	tb.t.Helper()
	for _, e := range tb.takeErrors() {
		tb.t.Errorf("%s: console %s", step, e)
	}
}

// done is the number of views the page has finished showing.
func (tb *tab) done() int {
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.body.dataset.done || "0"`))
	if err != nil {
		tb.t.Fatal(err)
	}
	n, _ := strconv.Atoi(s)
	return n
}

// step runs actions that make the page show a view, waits until it has, and logs how long it
// took in the page (from the click or the start of the load) and as seen from here.
func (tb *tab) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	before := tb.done()
	start := time.Now()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", name, err)
	}
	wait, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	_, err := chromedp.Run(wait, chromedp.Poll[chromedp.Void](fmt.Sprintf(`+(document.body.dataset.done || 0) > %d && document.body.dataset.busy === "false"`, before), chromedp.WithPollingInterval(5*time.Millisecond)))
	if err != nil {
		tb.t.Fatalf("%s: the page did not finish: %v", name, err)
	}
	wall := time.Since(start)
	ms, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.body.dataset.ms`))
	tb.t.Logf("timing %-34s %7s ms in the page%s, %6.1f ms wall", name, ms, tb.results(false), float64(wall.Microseconds())/1000)
}

// results says when the view's figures were shown, before its picture, if it marked them: since
// the route began, or since the navigation began (a page load).
func (tb *tab) results(load bool) string {
	v, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const r = performance.getEntriesByName("chokepoint:route").at(-1), f = performance.getEntriesByName("chokepoint:results").at(-1);
		return f && r && f.startTime >= r.startTime ? (f.startTime - (%v ? 0 : r.startTime)).toFixed(1) : ""; })()`, load)))
	if v == "" {
		return ""
	}
	return " (figures at " + v + " ms)"
}

// open loads a URL of the page afresh and waits for its view; the time logged is the page load's,
// from the navigation to the view shown.
func (tb *tab) open(name, path string) {
	tb.t.Helper()
	start := time.Now()
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(tb.base+path)); err != nil {
		tb.t.Fatalf("%s: %v", name, err)
	}
	wait, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wait, chromedp.Poll[chromedp.Void](`+(document.body.dataset.done || 0) > 0 && document.body.dataset.busy === "false"`, chromedp.WithPollingInterval(5*time.Millisecond))); err != nil {
		tb.t.Fatalf("%s: the page did not finish: %v", name, err)
	}
	at, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`(performance.getEntriesByName("chokepoint:route").at(-1).startTime + +document.body.dataset.ms).toFixed(1)`))
	tb.t.Logf("timing %-34s %7s ms from navigation%s, %6.1f ms wall", name, at, tb.results(true), float64(time.Since(start).Microseconds())/1000)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// screenshot writes the page as docs/NAME.png when CHOKEPOINT_UPDATE_SCREENSHOTS=1.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	if os.Getenv("CHOKEPOINT_UPDATE_SCREENSHOTS") != "1" {
		return
	}
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// getAPI fetches an API URL from the server, as JSON.
func getAPI(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", u, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}

// figureValue is the API value a figure of the page shows (its data-value) and its text.
func figureValue(tb *tab, sel string) (value float64, text string) {
	tb.t.Helper()
	v := eval[[]string](tb, fmt.Sprintf(`(() => { const el = document.querySelector(%q); return el ? [el.dataset.value, (el.querySelector(".value") || el).textContent] : ["", ""]; })()`, sel))
	f, err := strconv.ParseFloat(v[0], 64)
	if err != nil {
		tb.t.Fatalf("%s: no figure (%q)", sel, v)
	}
	return f, v[1]
}

// thousands formats whole tonnes as the page does: 61,636, halves rounded away from zero as
// Intl.NumberFormat rounds them (60,758.5 t shows as 60,759 t).
func thousands(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// pct formats a share as the page does.
func pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

// TestBrowser drives the page in Chromium on the bundled dataset (embedded store), as an analyst
// would: ask about Japan's rare earths and China for 2010 and this year and read the figures
// against the API's, open a node from the flow picture, search, run and save a what-if, see a
// trend and the reports' 501, and bad input answered next to its field. No console error anywhere.
func TestBrowser(t *testing.T) {
	// The browser first, then a fresh server: / is asked as soon as the server is ready (/readyz),
	// as a deployment sends its first request.
	tb := newTab(t, "")
	floor(t)
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--api-key", "ui-write-key")
	cmd.Env = withoutNeo4j(os.Environ())
	base := startServe(t, cmd)
	waitReady(t, base)
	tb.base = base
	api := base + "/api/v1"

	tb.open("load /", "/")
	loc := eval[string](tb, `location.pathname + location.search`)
	if !strings.HasPrefix(loc, "/ui/ask?") || !strings.Contains(loc, "consumer=state%3AJP") {
		t.Fatalf("/ shows %s, want Ask for Japan", loc)
	}
	tb.noErrors("load /")
	// Its picture was drawn while the server warmed up: the page asks for it as serve drew it.
	if resp, err := http.Get(base + "/metrics"); err != nil {
		t.Error(err)
	} else {
		metrics, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(metrics), "chokepoint_picture_cache_hits_total 1\n") || !strings.Contains(string(metrics), "chokepoint_picture_cache_misses_total 1\n") {
			t.Errorf("the first load's picture was not the one drawn ahead (one miss, serve's own lookup):\n%s", regexp.MustCompile(`(?m)^chokepoint_picture.*$`).FindAll(metrics, -1))
		}
	}
	// The consumer field offers every state, coalition, firm and facility of the catalog, the
	// supplier field every state and coalition (built once the questions are asked).
	var cat struct{ Nodes []struct{ Kind string } }
	getAPI(t, api+"/catalog", &cat)
	consumers, suppliers := 0, 0
	for _, n := range cat.Nodes {
		if slices.Contains([]string{"state", "coalition", "firm", "refinery", "mine"}, n.Kind) {
			consumers++
		}
		if n.Kind == "state" || n.Kind == "coalition" {
			suppliers++
		}
	}
	pickers, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	_, err := chromedp.Run(pickers, chromedp.Poll[chromedp.Void](fmt.Sprintf(`(() => { const n = (f) => document.querySelector("input[name=" + f + "]").list?.options.length;
		return n("consumer") === %d && n("supplier") === %d; })()`, consumers, suppliers)))
	cancel()
	if err != nil {
		t.Errorf("the pickers do not offer the catalog's %d consumers and %d suppliers: %v", consumers, suppliers, err)
	}
	// The page writes numbers as Intl.NumberFormat('en') does, without Intl (see ui.js, grouped),
	// but for a negative value that rounds to zero: 0, not -0.
	diff, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`(async () => {
		const { tonnes, plain } = await import('/ui/assets/ui.js');
		const t = new Intl.NumberFormat('en', { maximumFractionDigits: 0 }), p = new Intl.NumberFormat('en', { maximumFractionDigits: 6 });
		const values = [0, 1, -1, 0.5, 2.5, -2.5, 999.5, 60758.5, 71261, 1234567.891, -0.25, 0.123456, 38700.000001, 1e15, 4.56e-5];
		for (let i = 1; i < 2000; i++) values.push(i * 7.3125, -i * 123.4375, i * 1000003.5, i / 64);
		return values.flatMap((v) => [[tonnes(v), t.format(v) + ' t'], [plain(v), p.format(v)]]).filter(([a, b]) => a !== b.replace(/^-0( t)?$/, '0$1')).map(String).slice(0, 5);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || len(diff) > 0 {
		t.Errorf("the page's numbers differ from Intl's: %q %v", diff, err)
	}

	// A picture is put in the page without what could run: scripts, foreign objects, event
	// handlers and javascript: links go, the drawing stays (svgPicture, its fetch answered in the
	// page: the page's policy allows no data: or blob: URL).
	left, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`(async () => {
		const { svgPicture } = await import('/ui/assets/ui.js');
		const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="window.hit=1">' +
			'<script>window.hit=2</script><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>' +
			'<g class="node" ONMOUSEOVER="window.hit=3"><title>state:CN</title><a href="javascript:window.hit=4" xlink:href=" JavaScript:window.hit=5"><text>China</text></a>' +
			'<a href="/ui/node?id=state:CN"><ellipse rx="3" ry="2"/></a></g></svg>';
		const fetched = window.fetch;
		window.fetch = async () => new Response(svg, { headers: { 'Content-Type': 'image/svg+xml' } });
		let el;
		try { el = await svgPicture('/api/v1/render/flow?format=svg'); } finally { window.fetch = fetched; }
		if (el instanceof Error) return ['error: ' + el.message];
		const bad = [];
		if (el.querySelector('script, foreignObject')) bad.push('script or foreignObject kept');
		for (const e of [el, ...el.querySelectorAll('*')]) {
			for (const name of e.getAttributeNames()) {
				if (/^on/i.test(name) || /javascript:/i.test(e.getAttribute(name))) bad.push(e.nodeName + ' ' + name + ' kept');
			}
		}
		if (!el.querySelector('g.node text') || !el.querySelector('a[href="/ui/node?id=state:CN"] ellipse')) bad.push('the drawing was lost');
		return bad;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || len(left) > 0 {
		t.Errorf("a picture with scripts and handlers was not cleaned: %q %v", left, err)
	}
	// Chromium reports the handlers it met while the picture was parsed as blocked by the page's
	// policy (script-src 'self'), a second guard; nothing else may be reported.
	for _, e := range tb.takeErrors() {
		if !strings.Contains(e, "Executing inline event handler violates the following Content Security Policy") {
			t.Errorf("the picture check: console %s", e)
		}
	}

	// Ask: Japan, China, rare earths, for 2010 and for this year, through the form.
	for _, year := range []string{"2010", strconv.Itoa(time.Now().Year())} {
		tb.step("ask "+year, chromedp.SetValue(chromedp.CSS(`input[name=as_of]`), year), chromedp.Click(chromedp.CSS(`form.query button[type=submit]`)))
		if got := eval[string](tb, `new URLSearchParams(location.search).get("as_of")`); got != year {
			t.Fatalf("URL year %s, want %s", got, year)
		}
		q := "commodity=rare-earths&consumer=state:JP&as_of=" + year
		var flow struct {
			Result struct {
				MaxSupply *float64 `json:"max_supply"`
			} `json:"result"`
		}
		getAPI(t, api+"/analyses/flow?"+q, &flow)
		var dep struct {
			Result map[string]any `json:"result"`
		}
		getAPI(t, api+"/analyses/dependency?"+q+"&supplier=state:CN", &dep)
		if flow.Result.MaxSupply == nil { // unbounded: some path has no capacity
			if text := eval[string](tb, `document.querySelector("[data-figure=max_supply]").dataset.value + document.querySelector("[data-figure=max_supply] .value").textContent`); text != "unbounded" {
				t.Errorf("%s: max supply on the page %q, API unbounded", year, text)
			}
		} else if v, text := figureValue(tb, `[data-figure=max_supply]`); v != *flow.Result.MaxSupply || text != thousands(v)+" t" {
			t.Errorf("%s: max supply on the page %v (%q), API %v", year, v, text, *flow.Result.MaxSupply)
		}
		if v, text := figureValue(tb, `[data-figure=dependency]`); v != dep.Result["dependency"].(float64) || !strings.Contains(text, pct(v)) {
			t.Errorf("%s: dependency on the page %v (%q), API %v", year, v, text, dep.Result["dependency"])
		}
		for _, group := range []string{"by_location", "by_control"} {
			for _, stage := range []string{"mining", "processing"} {
				want := dep.Result[group].(map[string]any)[stage].(float64)
				if v, text := figureValue(tb, fmt.Sprintf(`[data-figure="%s.%s"]`, group, stage)); v != want || text != pct(want) {
					t.Errorf("%s: %s %s on the page %v (%q), API %v", year, group, stage, v, text, want)
				}
			}
		}
		var chokes struct {
			Result struct {
				Nodes []struct{ ID string } `json:"nodes"`
			} `json:"result"`
		}
		getAPI(t, api+"/analyses/chokepoints?"+q+"&method=flow&top=5", &chokes)
		var want []string
		for _, n := range chokes.Result.Nodes {
			want = append(want, n.ID)
		}
		shown := eval[[]string](tb, `[...document.querySelectorAll('[data-method=flow] tbody tr td:nth-child(2) a')].map(a => new URLSearchParams(a.search).get('id'))`)
		if strings.Join(shown, " ") != strings.Join(want, " ") {
			t.Errorf("%s: chokepoints on the page %v, API %v", year, shown, want)
		}
		// Concentration: a row without a scored facility reads unknown, never 0 t or an HHI of 0.
		var conc struct {
			Result []struct {
				Facilities int `json:"facilities"`
				ByLocation struct {
					HHI *float64 `json:"hhi"`
				} `json:"by_location"`
			} `json:"result"`
		}
		getAPI(t, api+"/analyses/concentration?commodity=rare-earths&as_of="+year, &conc)
		cells := eval[[][]string](tb, `[...document.querySelectorAll('tbody tr')].filter(tr => tr.cells.length === 10).map(tr => [tr.cells[2].textContent, tr.cells[4].textContent])`)
		if len(cells) != len(conc.Result) {
			t.Fatalf("%s: %d concentration rows on the page, API %d", year, len(cells), len(conc.Result))
		}
		for i, r := range conc.Result {
			want := "—"
			if r.ByLocation.HHI != nil {
				want = thousands(math.Floor(*r.ByLocation.HHI + 0.5)) // Math.round
			}
			if cells[i][1] != want || (r.Facilities == 0) != (cells[i][0] == "unknown") {
				t.Errorf("%s: concentration row %d shows total %q, HHI %q; API %d facilities, HHI %s", year, i, cells[i][0], cells[i][1], r.Facilities, want)
			}
		}
		if n := eval[int](tb, `document.querySelectorAll('.picture svg g.node.link').length`); n < 5 {
			t.Errorf("%s: the flow picture has %d clickable nodes", year, n)
		}
		tb.noErrors("ask " + year)
		if year == "2010" {
			tb.screenshot("ui-ask-japan-2010")
		} else {
			tb.screenshot("ui-ask-japan-this-year")
		}
	}

	// An unknown consumer: the API's message next to the field, which keeps what was typed.
	tb.step("ask for an unknown consumer", chromedp.SetValue(chromedp.CSS(`input[name=consumer]`), "state:ZZ"), chromedp.Click(chromedp.CSS(`form.query button[type=submit]`)))
	var unknown struct{ Error struct{ Message string } }
	if resp, err := http.Get(api + "/analyses/flow?commodity=rare-earths&consumer=state:ZZ&as_of=2010"); err == nil {
		json.NewDecoder(resp.Body).Decode(&unknown)
		resp.Body.Close()
	}
	if got := eval[[]string](tb, `(() => { const f = document.querySelector("input[name=consumer]"); const p = f.closest(".field").querySelector(".error"); return [f.value, p ? p.textContent : ""]; })()`); got[0] != "state:ZZ" || got[1] != unknown.Error.Message || got[1] == "" {
		t.Errorf("unknown consumer: the field holds %q with the message %q; the API says %q", got[0], got[1], unknown.Error.Message)
	}
	expectFailedLoads(t, tb.takeErrors(), "404")

	// A link reproduces what the analyst saw: Ask's 2010 URL, loaded afresh.
	link := "/ui/ask?commodity=rare-earths&consumer=state%3AJP&supplier=state%3ACN&as_of=2010"
	tb.open("load a link to Ask 2010", link)
	var flow2010 struct {
		Result struct {
			MaxSupply float64 `json:"max_supply"`
		} `json:"result"`
	}
	getAPI(t, api+"/analyses/flow?commodity=rare-earths&consumer=state:JP&as_of=2010", &flow2010)
	if v, _ := figureValue(tb, `[data-figure=max_supply]`); v != flow2010.Result.MaxSupply || eval[string](tb, `location.pathname + location.search`) != link {
		t.Errorf("the link shows max supply %v at %s, want %v", v, eval[string](tb, `location.href`), flow2010.Result.MaxSupply)
	}
	tb.noErrors("link")

	// Open a mine from the picture, by mouse: its page shows the node the API has under its id.
	id := eval[string](tb, `[...document.querySelectorAll('.picture g.node.link')].map(g => g.dataset.node).find(id => id.startsWith("mine:"))`)
	tb.step("open a node from the picture", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.picture g.node[data-node=%q]`, id))))
	var node struct{ Node struct{ ID, Name string } }
	getAPI(t, api+"/nodes/"+id, &node)
	if got := eval[string](tb, `new URLSearchParams(location.search).get("id") + " " + document.querySelector("h1").textContent`); got != id+" "+node.Node.Name {
		t.Fatalf("the node page shows %q, want %q", got, id+" "+node.Node.Name)
	}
	if n := eval[int](tb, `document.querySelectorAll('ul.sources a[href^="http"]').length`); n == 0 {
		t.Error("the node page has no source link")
	}
	tb.noErrors("node page")
	tb.screenshot("ui-node")

	// From the neighbourhood picture, by keyboard: focus a node and press Enter.
	other := eval[string](tb, fmt.Sprintf(`[...document.querySelectorAll('.picture g.node.link')].map(g => g.dataset.node).find(other => other !== %q)`, id))
	tb.step("open a neighbour by keyboard", chromedp.Focus(chromedp.CSS(fmt.Sprintf(`.picture g.node[data-node=%q]`, other))), chromedp.KeyEvent("\r"))
	if got := eval[string](tb, `new URLSearchParams(location.search).get("id")`); got != other {
		t.Fatalf("Enter on %s opened %s", other, got)
	}
	tb.noErrors("neighbour")

	// Explore: search by name, submitted with the keyboard.
	tb.open("load explore", "/ui/explore")
	tb.step("search lynas", chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "lynas\r"))
	var found struct{ Total int }
	getAPI(t, api+"/nodes?q=lynas&limit=50", &found)
	if got := eval[string](tb, `document.querySelector(".results h2").textContent`); got != fmt.Sprintf("%d nodes", found.Total) {
		t.Errorf("search: the page says %q, the API %d", got, found.Total)
	}
	tb.noErrors("explore")
	tb.screenshot("ui-explore")

	// What if: China removed by location, in 2024, against the API's answer to the same scenario.
	tb.open("load what-if", "/ui/whatif?commodity=rare-earths&consumer=state:JP&supplier=state:CN&as_of=2024&remove_location=CN")
	doc := `{"commodity":"rare-earths","consumer":"state:JP","supplier":"state:CN","as_of":2024,"remove":{"states_by_location":["CN"]},"routes":5,"top":5}`
	resp, err := http.Post(api+"/scenarios/run", "application/json", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var run struct {
		Baseline, Outcome struct {
			MaxSupply float64 `json:"max_supply"`
			Routes    []any   `json:"routes"`
		}
	}
	json.NewDecoder(resp.Body).Decode(&run)
	resp.Body.Close()
	if v, _ := figureValue(tb, `[data-figure="baseline.max_supply"]`); v != run.Baseline.MaxSupply {
		t.Errorf("what-if baseline %v, API %v", v, run.Baseline.MaxSupply)
	}
	if v, _ := figureValue(tb, `[data-figure="outcome.max_supply"]`); v != run.Outcome.MaxSupply || v >= run.Baseline.MaxSupply {
		t.Errorf("what-if outcome %v, API %v", v, run.Outcome.MaxSupply)
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-side=outcome] ol.routes li').length`); n != len(run.Outcome.Routes) {
		t.Errorf("what-if: %d routes left on the page, %d in the API", n, len(run.Outcome.Routes))
	}
	tb.noErrors("what-if")
	tb.screenshot("ui-whatif")

	// Save it with the write key, and reload it by name.
	eval[bool](tb, `document.querySelector("details.key").open = true`)
	if err := chromedp.Do(tb.ctx, chromedp.SendKeys(chromedp.CSS(`#api-key`), "ui-write-key\t"), chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "cn-gone"), chromedp.Click(chromedp.CSS(`#save`)),
		chromedp.Poll[chromedp.Void](`document.querySelector(".saved").textContent.startsWith("Saved")`)); err != nil {
		t.Fatal(err)
	}
	var saved map[string]any
	getAPI(t, api+"/scenarios/cn-gone", &saved)
	tb.open("load a saved scenario", "/ui/whatif?scenario=cn-gone")
	if got := eval[string](tb, `document.querySelector("input[name=remove_location]").value + " " + location.search.includes("remove_location=CN")`); got != "CN true" {
		t.Errorf("the saved scenario loads as %q", got)
	}
	tb.noErrors("save and reload")

	// Bad input: the API's message next to the field, and what was typed kept.
	tb.step("what-if with a bad state", chromedp.SetValue(chromedp.CSS(`input[name=remove_location]`), "CN, XX"), chromedp.Click(chromedp.CSS(`form.query button[type=submit]`)))
	resp, _ = http.Post(api+"/scenarios/run", "application/json", strings.NewReader(`{"commodity":"rare-earths","consumer":"state:JP","as_of":2024,"remove":{"states_by_location":["CN","XX"]}}`))
	var apiErr struct{ Error struct{ Message string } }
	json.NewDecoder(resp.Body).Decode(&apiErr)
	resp.Body.Close()
	got := eval[[]string](tb, `(() => { const f = document.querySelector("input[name=remove_location]"); const p = f.closest(".field").querySelector(".error"); return [f.value, f.getAttribute("aria-invalid") || "", p ? p.textContent : ""]; })()`)
	if got[0] != "CN, XX" || got[1] != "true" || got[2] != apiErr.Error.Message || apiErr.Error.Message == "" {
		t.Errorf("bad input: the field holds %q (invalid %q) with the message %q; the API says %q", got[0], got[1], got[2], apiErr.Error.Message)
	}
	tb.screenshot("ui-whatif-error")
	expectFailedLoads(t, tb.takeErrors(), "400")

	// Trends: the chart, and the figures of each year from the trend analysis, which are the
	// dependency and flow analyses' of that year.
	tb.open("load trends 2008..2024", "/ui/trends?commodity=rare-earths&consumer=state:JP&supplier=state:CN&from=2008&to=2024")
	if ok := eval[bool](tb, `document.querySelector(".picture img.chart").complete && document.querySelector(".picture img.chart").naturalWidth > 0`); !ok {
		t.Error("the trend chart did not load")
	}
	var trend struct {
		Result struct {
			Years []struct { // the JSON names spelt out: by_control is no case-fold of ByControl
				Year         int      `json:"year"`
				Dependency   *float64 `json:"dependency"`
				ByControl    *float64 `json:"by_control"`
				Unattributed *float64 `json:"unattributed_by_location"`
				InboundTPA   *float64 `json:"inbound_tpa"`
				MaxSupply    *float64 `json:"max_supply"`
				Unbounded    bool     `json:"unbounded"`
				EqualWeights bool     `json:"equal_weights"`
			}
		}
	}
	getAPI(t, api+"/analyses/trend?commodity=rare-earths&consumer=state:JP&supplier=state:CN&years=2008..2024", &trend)
	rows := eval[[][]string](tb, `[...document.querySelectorAll(".results table tbody tr")].map(r => [...r.cells].slice(0, 6).map(c => c.textContent))`)
	if len(rows) != 17 || len(trend.Result.Years) != 17 {
		t.Fatalf("trend rows %q, the API %d years", rows, len(trend.Result.Years))
	}
	for i, y := range trend.Result.Years {
		mark := map[bool]string{true: " ◦"}[y.EqualWeights] // a share weighed by flow count says so
		maxSupply := "unbounded"
		if !y.Unbounded {
			maxSupply = thousands(*y.MaxSupply) + " t"
		}
		supply := "no volume"
		if !y.EqualWeights {
			supply = thousands(*y.InboundTPA) + " t"
		}
		want := []string{strconv.Itoa(y.Year), pct(*y.Dependency) + mark, pct(*y.ByControl) + mark, pct(*y.Unattributed) + mark, supply, maxSupply}
		if got := rows[i]; !slices.Equal(got, want) {
			t.Errorf("trend row %q, the API's year %v", got, want)
		}
	}
	var dep2012, dep2013 struct {
		Result struct {
			ByLocation   map[string]float64 `json:"by_location"`
			EqualWeights bool               `json:"equal_weights"`
		} `json:"result"`
	}
	getAPI(t, api+"/analyses/dependency?commodity=rare-earths&consumer=state:JP&supplier=state:CN&as_of=2012", &dep2012)
	getAPI(t, api+"/analyses/dependency?commodity=rare-earths&consumer=state:JP&supplier=state:CN&as_of=2013", &dep2013)
	// 2013 has no import volume in the data: its share counts flows, and says so.
	if rows[4][1] != pct(dep2012.Result.ByLocation["any"]) || !dep2013.Result.EqualWeights || rows[5][1] != pct(dep2013.Result.ByLocation["any"])+" ◦" {
		t.Errorf("2012 row %q, 2013 row %q; the dependency analysis %v, %v (equal weights %v)", rows[4], rows[5], dep2012.Result.ByLocation["any"], dep2013.Result.ByLocation["any"], dep2013.Result.EqualWeights)
	}
	tb.noErrors("trends")
	tb.screenshot("ui-trends")

	// Years reversed: the API's message next to the From field, which keeps what was typed.
	tb.step("trends with years reversed", chromedp.SetValue(chromedp.CSS(`input[name=from]`), "2024"), chromedp.SetValue(chromedp.CSS(`input[name=to]`), "2010"), chromedp.Click(chromedp.CSS(`form.query button[type=submit]`)))
	var reversed struct{ Error struct{ Message string } }
	if resp, err := http.Get(api + "/analyses/trend?commodity=rare-earths&consumer=state:JP&supplier=state:CN&years=2024..2010"); err == nil {
		json.NewDecoder(resp.Body).Decode(&reversed)
		resp.Body.Close()
	}
	if got := eval[[]string](tb, `(() => { const f = document.querySelector("input[name=from]"); const p = f.closest(".field").querySelector(".error"); return [f.value, p ? p.textContent : ""]; })()`); got[0] != "2024" || got[1] != reversed.Error.Message || !strings.Contains(got[1], "years 2024..2010") {
		t.Errorf("years reversed: the From field holds %q with the message %q; the API says %q", got[0], got[1], reversed.Error.Message)
	}
	expectFailedLoads(t, tb.takeErrors(), "400")

	// Reports on the embedded store: listed and shown; a run gets the service's 501, explained.
	tb.open("load reports (embedded)", "/ui/reports")
	if n := eval[int](tb, `document.querySelectorAll("select[name=report] option[value]:not([value=''])").length`); n == 0 {
		t.Error("reports on the embedded store: none listed")
	}
	tb.open("run a report (embedded)", "/ui/reports?report=top-producers&run=1")
	if text := eval[string](tb, `document.querySelector(".report-result").textContent`); !strings.Contains(text, "Cypher reports need Neo4j") || !strings.Contains(text, "embedded store") {
		t.Errorf("a report run on the embedded store: %q", text)
	}
	tb.screenshot("ui-reports-embedded")
	expectFailedLoads(t, tb.takeErrors(), "501")
}

// trivialPage serves a title and a paragraph with a one-rule stylesheet and a one-line module:
// the least a page with a style and a script can load (in a fresh browser, its first
// subresources wait 20–45 ms to leave, as the web page's do).
func trivialPage() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/floor.css":
			w.Header().Set("Content-Type", "text/css")
			io.WriteString(w, "body { color: #222; }")
		case "/floor.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, "document.body.dataset.done = '1';")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<!doctype html><html lang=en><meta charset=utf-8><title>floor</title><link rel=icon href="data:,">`+
				`<link rel=stylesheet href=/floor.css><script type=module src=/floor.js></script><p>A trivial page.</p></html>`)
		}
	}))
}

// floor logs the first load of the trivial page (from a local server) in a fresh browser, from the
// navigation to the load event: the browser's own start-up, the floor under the page's first load.
func floor(t *testing.T) {
	t.Helper()
	static := trivialPage()
	defer static.Close()
	t.Run("floor", func(t *testing.T) {
		tb := newTab(t, static.URL)
		start := time.Now()
		if err := chromedp.Do(tb.ctx, chromedp.Navigate(static.URL+"/")); err != nil {
			t.Fatal(err)
		}
		at := eval[string](tb, `performance.getEntriesByType("navigation")[0].loadEventEnd.toFixed(1)`)
		tb.t.Logf("timing %-34s %7s ms from navigation, %6.1f ms wall", "load a trivial page (the floor)", at, float64(time.Since(start).Microseconds())/1000)
	})
}

// expectFailedLoads checks that the console errors are only the browser's notes of the API's
// error answers with this status (which the page shows next to the fields), and at least one.
func expectFailedLoads(t *testing.T, errs []string, status string) {
	t.Helper()
	if len(errs) == 0 {
		t.Errorf("no failed load of status %s", status)
	}
	for _, e := range errs {
		if !strings.Contains(e, "Failed to load resource") || !strings.Contains(e, "status of "+status) {
			t.Errorf("console %s", e)
		}
	}
}

// TestBrowserReports runs a saved Cypher report from the page on the test Neo4j (the bundled
// dataset imported at start): the table's rows are the API's.
func TestBrowserReports(t *testing.T) {
	cfg := cyphertest.Config(t)
	cyphertest.Wipe(t, cfg)
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--data", "bundled")
	cmd.Env = append(withoutNeo4j(os.Environ()), "NEO4J_URI="+cfg.URI, "NEO4J_USERNAME="+cfg.Username, "NEO4J_PASSWORD="+cfg.Password, "NEO4J_DATABASE="+cfg.Database)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("serve's log:\n%s", stderr.String())
		}
	})
	base := startServe(t, cmd)
	waitReady(t, base)
	tb := newTab(t, base)

	tb.open("load reports (Neo4j)", "/ui/reports")
	tb.screenshot("ui-reports")
	tb.step("choose top-producers", chromedp.SetValue(chromedp.CSS(`select[name=report]`), "top-producers"), chromedp.Evaluate[chromedp.Void](`document.querySelector("select[name=report]").dispatchEvent(new Event("change"))`))
	tb.step("run top-producers", chromedp.Click(chromedp.CSS(`.results form.query button[type=submit]`)))
	params := url.Values{}
	for _, kv := range eval[[][]string](tb, `[...new URLSearchParams(location.search)].filter(([k]) => k.startsWith("p."))`) {
		params.Set(strings.TrimPrefix(kv[0], "p."), kv[1])
	}
	var res struct {
		Columns []string `json:"columns"`
		Rows    [][]any  `json:"rows"`
	}
	getAPI(t, base+"/api/v1/reports/top-producers/run?"+params.Encode(), &res)
	rows := eval[int](tb, `document.querySelectorAll(".report-result table tbody tr").length`)
	cols := eval[[]string](tb, `[...document.querySelectorAll(".report-result table thead th")].map(th => th.textContent)`)
	if len(res.Rows) == 0 || rows != len(res.Rows) || strings.Join(cols, ",") != strings.Join(res.Columns, ",") {
		t.Errorf("the page shows %d rows of %v; the API %d of %v", rows, cols, len(res.Rows), res.Columns)
	}
	tb.noErrors("reports")
	tb.screenshot("ui-reports-run")

	// Download the CSV: the browser saves the API's CSV under the report's name.
	dir := t.TempDir()
	if err := chromedp.Do(tb.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}), chromedp.Click(chromedp.CSS(`button[data-format=csv]`))); err != nil {
		t.Fatal(err)
	}
	var csv []byte
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline) && len(csv) == 0; time.Sleep(50 * time.Millisecond) {
		csv, _ = os.ReadFile(filepath.Join(dir, "top-producers.csv"))
	}
	if first, _, _ := strings.Cut(string(csv), "\n"); strings.TrimSpace(first) != strings.Join(res.Columns, ",") || strings.Count(string(csv), "\n") < len(res.Rows)+1 {
		t.Errorf("downloaded CSV:\n%s", csv)
	}
	tb.noErrors("download")
}

// TestBrowserFirstLoad measures where the first load of / in a fresh browser spends its time, when
// CHOKEPOINT_FIRST_LOADS=N asks for N rounds (else it skips): each loads the trivial page of floor,
// then / from a cold server of this build and, when CHOKEPOINT_FIRST_LOAD_BASELINE names another
// chokepoint binary, from a cold server of that one, each in a fresh browser, so that both builds
// see the same machine; and, in the floor's browser, the first use of Intl.NumberFormat. Each
// server is started once its browser has, and / asked as soon as /readyz answers 200. It logs
// the median (and range) of each phase, in ms from the navigation, and of the time from the
// server's start to its readiness. Nothing is asserted: it is a measurement (docs/benchmarks.md).
func TestBrowserFirstLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CHOKEPOINT_FIRST_LOADS"))
	if n <= 0 {
		t.Skip("set CHOKEPOINT_FIRST_LOADS=N to measure N first loads")
	}
	builds := []string{binary}
	names := []string{"this build"}
	if b := os.Getenv("CHOKEPOINT_FIRST_LOAD_BASELINE"); b != "" {
		builds, names = append(builds, b), append(names, b)
	}
	static := trivialPage()
	defer static.Close()
	// The phases, from the navigation's start: the HTML received; the last module received; the
	// router started; the pickers' data received (GET /catalog, or /export before it); the view
	// routed to its URL; the figures shown; the flow picture received; everything shown.
	phases := []string{"html", "modules", "router", "pickers", "routed", "figures", "picture", "done"}
	const probe = `(() => {
		const res = performance.getEntriesByType("resource"), route = performance.getEntriesByName("chokepoint:route");
		const end = (part) => Math.max(-1, ...res.filter((r) => r.name.includes(part)).map((r) => r.responseEnd));
		return [performance.getEntriesByType("navigation")[0].responseEnd, end("/ui/assets/"), route[0].startTime,
			Math.max(end("/api/v1/catalog"), end("/api/v1/export")), route.at(-1).startTime,
			performance.getEntriesByName("chokepoint:results").at(-1).startTime, end("/api/v1/render/flow"),
			route.at(-1).startTime + +document.body.dataset.ms];
	})()`
	floors, intl := []float64{}, []float64{}
	ready := make([][]float64, len(builds))   // build, samples: ms from the server's start to ready
	loads := make([][][]float64, len(builds)) // build, phase, samples
	for i := range loads {
		loads[i] = make([][]float64, len(phases))
	}
	for range n {
		t.Run("round", func(t *testing.T) {
			tb := newTab(t, static.URL)
			if err := chromedp.Do(tb.ctx, chromedp.Navigate(static.URL+"/")); err != nil {
				t.Fatal(err)
			}
			floors = append(floors, eval[float64](tb, `performance.getEntriesByType("navigation")[0].loadEventEnd`))
			// What the page no longer pays: the first Intl.NumberFormat in a fresh browser.
			intl = append(intl, eval[float64](tb, `(() => { const t = performance.now(); new Intl.NumberFormat("en").format(1); return performance.now() - t; })()`))
			for i, b := range builds {
				tb := newTab(t, "")
				cmd := exec.Command(b, "serve", "--addr", "127.0.0.1:0") // a cold server each time
				cmd.Env = withoutNeo4j(os.Environ())
				start := time.Now()
				base := startServe(t, cmd)
				waitReady(t, base)
				ready[i] = append(ready[i], float64(time.Since(start).Microseconds())/1000)
				if err := chromedp.Do(tb.ctx, chromedp.Navigate(base+"/")); err != nil {
					t.Fatal(err)
				}
				wait, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
				_, err := chromedp.Run(wait, chromedp.Poll[chromedp.Void](`+(document.body.dataset.done || 0) >= 1 && document.body.dataset.busy === "false"`, chromedp.WithPollingInterval(5*time.Millisecond)))
				cancel()
				if err != nil {
					t.Fatalf("%s: / did not finish: %v", names[i], err)
				}
				for p, v := range eval[[]float64](tb, probe) {
					loads[i][p] = append(loads[i][p], v)
				}
			}
		})
	}
	median := func(v []float64) string {
		s := slices.Sorted(slices.Values(v))
		return fmt.Sprintf("%.0f (%.0f–%.0f)", s[len(s)/2], s[0], s[len(s)-1])
	}
	t.Logf("first load of a trivial page (the floor): load event at %s ms; then the first Intl.NumberFormat: %s ms", median(floors), median(intl))
	for i, name := range names {
		var parts []string
		for p, name := range phases {
			parts = append(parts, name+" "+median(loads[i][p]))
		}
		t.Logf("first load of / (%s): ready %s ms after the server's start; then %s", name, median(ready[i]), strings.Join(parts, ", "))
	}
}
