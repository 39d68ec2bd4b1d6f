package api

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// EForbidden is the code of a request whose API key is valid but lacks the scope the endpoint
// needs (a read key on a write).
const EForbidden = "forbidden"

// Scope is what an API key may do.
type Scope int

// The scopes, in increasing power: a write key may also read.
const (
	ScopeRead Scope = iota + 1
	ScopeWrite
)

// String returns "read" or "write".
func (s Scope) String() string {
	switch s {
	case ScopeRead:
		return "read"
	case ScopeWrite:
		return "write"
	}
	return fmt.Sprintf("Scope(%d)", int(s))
}

// APIKey is one accepted key and its scope.
type APIKey struct {
	Key   string
	Scope Scope
}

// ParseAPIKeys parses the environment form of the keys, "key1:read,key2:write" (blank entries
// are skipped). Error messages number the entry and never quote the key.
func ParseAPIKeys(s string) ([]APIKey, error) {
	var keys []APIKey
	for i, entry := range strings.Split(s, ",") {
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		k, err := parseAPIKey(entry)
		if err != nil {
			return nil, fmt.Errorf("API key entry %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// ReadAPIKeys reads the file form of the keys: one key:scope a line; blank lines and everything
// from a # are skipped. Error messages give the line and never quote the key.
func ReadAPIKeys(r io.Reader) ([]APIKey, error) {
	var keys []APIKey
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		if text = strings.TrimSpace(text); text == "" {
			continue
		}
		k, err := parseAPIKey(text)
		if err != nil {
			return nil, fmt.Errorf("API keys line %d: %w", line, err)
		}
		keys = append(keys, k)
	}
	return keys, sc.Err()
}

// parseAPIKey parses one "key:scope"; the key is the part before the last colon.
func parseAPIKey(entry string) (APIKey, error) {
	i := strings.LastIndexByte(entry, ':')
	if i < 0 {
		return APIKey{}, fmt.Errorf("want KEY:read or KEY:write")
	}
	key, scope := strings.TrimSpace(entry[:i]), strings.TrimSpace(entry[i+1:])
	if key == "" {
		return APIKey{}, fmt.Errorf("the key is empty")
	}
	switch scope {
	case "read":
		return APIKey{Key: key, Scope: ScopeRead}, nil
	case "write":
		return APIKey{Key: key, Scope: ScopeWrite}, nil
	}
	return APIKey{}, fmt.Errorf("the scope must be read or write")
}

// keyring holds the accepted keys as SHA-256 digests, so that each comparison takes the same time
// whatever the key's length, and a lookup compares against every key.
type keyring struct {
	digests [][sha256.Size]byte
	scopes  []Scope
	// readGuarded: some key has only the read scope, so reads need a key too.
	readGuarded bool
}

// newKeyring returns the keyring of keys, with legacy (CHOKEPOINT_API_KEY) as a write key.
func newKeyring(keys []APIKey, legacy string) *keyring {
	kr := &keyring{}
	if legacy != "" {
		keys = append([]APIKey{{Key: legacy, Scope: ScopeWrite}}, keys...)
	}
	for _, k := range keys {
		kr.digests = append(kr.digests, sha256.Sum256([]byte(k.Key)))
		kr.scopes = append(kr.scopes, k.Scope)
		if k.Scope == ScopeRead {
			kr.readGuarded = true
		}
	}
	return kr
}

// scopeOf returns the scope of key, 0 when it is not accepted. It compares in constant time
// against every key, so neither the time nor the order of the keys tells anything.
func (kr *keyring) scopeOf(key string) Scope {
	if key == "" {
		return 0
	}
	d := sha256.Sum256([]byte(key))
	var found Scope
	for i := range kr.digests {
		if subtle.ConstantTimeCompare(d[:], kr.digests[i][:]) == 1 {
			found = max(found, kr.scopes[i])
		}
	}
	return found
}

// presentedKey is the key the request carries: in X-API-Key, or "Authorization: Bearer KEY".
func presentedKey(c *gin.Context) string {
	key := c.GetHeader("X-API-Key")
	if bearer, ok := cutPrefixFold(c.GetHeader("Authorization"), "Bearer "); ok {
		key = strings.TrimSpace(bearer)
	}
	return key
}

// keyHelp is the end of a 401's message.
const keyHelp = "(X-API-Key header or Authorization: Bearer)"

// requireRead guards every endpoint but the probes and the web page's files: when a read key is
// configured, a request needs an accepted key of any scope (else 401); otherwise reads are open.
func (s *Server) requireRead(c *gin.Context) {
	if !s.keys.readGuarded || c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/readyz" || isPage(c.Request.URL.Path) {
		c.Next()
		return
	}
	if s.keys.scopeOf(presentedKey(c)) == 0 {
		s.writeError(c, graph.Errorf(graph.EUnauthorized, "a valid API key is required %s", keyHelp))
		c.Abort()
		return
	}
	c.Next()
}

// requireKey guards writes (import, saving and deleting scenarios) and ad-hoc Cypher: they need
// a write key. No key, or one not accepted, is 401; a read key is 403.
func (s *Server) requireKey(c *gin.Context) {
	switch len(s.keys.digests) {
	case 0:
		s.writeError(c, graph.Errorf(graph.EUnauthorized, "this server has no write key configured (CHOKEPOINT_API_KEYS or CHOKEPOINT_API_KEY), so writes and ad-hoc Cypher are disabled"))
	default:
		switch s.keys.scopeOf(presentedKey(c)) {
		case ScopeWrite:
			c.Next()
			return
		case ScopeRead:
			s.writeError(c, graph.Errorf(EForbidden, "this API key may only read; %s %s needs a write key", methodOf(c), c.FullPath()))
		default:
			s.writeError(c, graph.Errorf(graph.EUnauthorized, "a valid write API key is required %s", keyHelp))
		}
	}
	c.Abort()
}

// cutPrefixFold cuts prefix from s, ignoring case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}
