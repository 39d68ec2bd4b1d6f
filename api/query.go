package api

import (
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// bindQuery binds the query string into q, a pointer to a struct whose form tags name every
// parameter the endpoint takes. Errors: EInvalid for a parameter q does not declare (asof for
// as_of is a mistake to report, not to ignore) or a value that does not parse.
func bindQuery(c *gin.Context, q any) error {
	if err := checkQuery(c, queryParams(reflect.TypeOf(q))); err != nil {
		return err
	}
	if err := c.ShouldBindQuery(q); err != nil {
		return graph.Errorf(graph.EInvalid, "bad query string: %v", err)
	}
	return nil
}

// noQuery is bindQuery for an endpoint that takes no query parameters.
func noQuery(c *gin.Context) error { return checkQuery(c, nil) }

// checkQuery returns EInvalid naming the query parameters of c that are not in known (sorted).
func checkQuery(c *gin.Context, known []string) error {
	var unknown []string
	for k := range c.Request.URL.Query() {
		if _, found := slices.BinarySearch(known, k); !found {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	noun := "parameter"
	if len(unknown) > 1 {
		noun = "parameters"
	}
	takes := "takes no query parameters"
	if len(known) > 0 {
		takes = "takes " + strings.Join(known, ", ")
	}
	route := c.FullPath()
	return graph.Errorf(graph.EInvalid, "unknown query %s %s: %s %s %s", noun, quoteAll(unknown), methodOf(c), route, takes)
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	return strings.Join(q, ", ")
}

// paramsByType caches queryParams.
var paramsByType sync.Map // reflect.Type → []string

// queryParams returns the sorted names of the form tags of a struct type (or pointer to one),
// through embedded structs.
func queryParams(t reflect.Type) []string {
	if v, ok := paramsByType.Load(t); ok {
		return v.([]string)
	}
	var names []string
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
			switch {
			case name == "-":
			case name != "":
				names = append(names, name)
			case f.Anonymous:
				walk(f.Type)
			}
		}
	}
	walk(t)
	slices.Sort(names)
	names = slices.Compact(names)
	paramsByType.Store(t, names)
	return names
}
