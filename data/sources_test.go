package data_test

import (
	"bufio"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chokepoint/chokepoint/data"
)

// publishers reads data/publishers.txt: one host a line, # comments.
func publishers(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("publishers.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var hosts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			hosts = append(hosts, strings.ToLower(line))
		}
	}
	return hosts
}

// TestSourcesArePublishers checks that every source the bundled dataset cites is at a host on
// the publishers list (or a subdomain of one), and that data/SOURCES.md lists each source.
func TestSourcesArePublishers(t *testing.T) {
	ds, err := data.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	allowed := publishers(t)
	listed, err := os.ReadFile("SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	cited := map[string][]string{} // source → records citing it
	for _, c := range ds.Commodities {
		if c.PriceSource != "" {
			cited[c.PriceSource] = append(cited[c.PriceSource], "commodity "+c.ID)
		}
	}
	for _, n := range ds.Nodes {
		cited[n.Source] = append(cited[n.Source], "node "+n.ID)
	}
	for _, e := range ds.Edges {
		cited[e.Source] = append(cited[e.Source], "edge "+string(e.Kind)+" "+e.From+"→"+e.To)
	}
	var sources []string
	for s := range cited {
		sources = append(sources, s)
	}
	slices.Sort(sources)
	for _, s := range sources {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			t.Errorf("%q (cited by %s) is not a URL", s, cited[s][0])
			continue
		}
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		if !slices.ContainsFunc(allowed, func(a string) bool { return host == a || strings.HasSuffix(host, "."+a) }) {
			t.Errorf("%s (cited by %d records, e.g. %s) is not on data/publishers.txt", u.Host, len(cited[s]), cited[s][0])
		}
		if !strings.Contains(string(listed), s) {
			t.Errorf("data/SOURCES.md does not list %s (cited by %s)", s, cited[s][0])
		}
	}
}
