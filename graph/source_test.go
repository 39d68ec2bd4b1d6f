package graph

import (
	"net/url"
	"testing"
)

// FuzzPlainURL: every source plainURL takes for a URL is one url.Parse accepts as an http(s) URL
// with a host, so the shortcut never lets through a source the full check would refuse.
func FuzzPlainURL(f *testing.F) {
	for _, s := range []string{"https://pubs.usgs.gov/periodicals/mcs2024/mcs2024-rare-earths.pdf", "http://a",
		"https://example.org/synthetic/firm/12", "https://x/../y", "https://-./~", "ftp://x", "https://", "https:///path",
		"https://a b/", "https://a/%zz", "https://a:99999/", "https://[::1]/", "https://a/b?c=d#e", "HTTPS://A/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !plainURL(s) {
			return
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("plainURL(%q) but url.Parse gives %v, %v", s, u, err)
		}
	})
}

// TestPlainURL: the common forms take the shortcut, the others go to url.Parse.
func TestPlainURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://pubs.usgs.gov/periodicals/mcs2024/mcs2024-rare-earths.pdf": true,
		"http://www.jogmec.go.jp/english/":                                  true,
		"https://lynasrareearths.com":                                       true,
		"https://a/b?c=d":                                                   false,
		"https://a:8080/":                                                   false,
		"https://a/%41":                                                     false,
		"ftp://a/":                                                          false,
		"https:///a":                                                        false,
		"https://":                                                          false,
	} {
		if got := plainURL(s); got != want {
			t.Errorf("plainURL(%q) = %v, want %v", s, got, want)
		}
	}
}
