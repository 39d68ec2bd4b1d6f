package api

import (
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// bindOn binds target's query string through params, as an endpoint does.
func bindOn(t *testing.T, params []Param, target string) (analysisQuery, error) {
	t.Helper()
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", target, nil)
	var q analysisQuery
	err := bindAnalysis(c, params, &q, nil)
	return q, err
}

// TestEveryParamSetsItsOwnField: each parameter of the table writes a field of the query, and no
// two write the same one, so the table cannot bind a name into another's field.
func TestEveryParamSetsItsOwnField(t *testing.T) {
	sample := map[string]string{typeString: "x", typeInteger: "7", typeNumber: "0.5", typeBoolean: "true", typeList: "a,b"}
	seen := map[string]string{} // field changed → parameter
	for _, p := range analysisEndpoint {
		q, err := bindOn(t, analysisEndpoint, "/?"+p.Name+"="+sample[p.Type])
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		var changed []string
		collectSet(reflect.ValueOf(q), "", &changed)
		if len(changed) != 1 {
			t.Fatalf("%s sets %v, want one field", p.Name, changed)
		}
		if other, ok := seen[changed[0]]; ok {
			t.Fatalf("%s and %s both set %s", p.Name, other, changed[0])
		}
		seen[changed[0]] = p.Name
	}
}

// collectSet appends the paths of the non-zero leaf fields of v.
func collectSet(v reflect.Value, path string, out *[]string) {
	if v.Kind() == reflect.Struct {
		for i := range v.NumField() {
			collectSet(v.Field(i), path+"."+v.Type().Field(i).Name, out)
		}
		return
	}
	if !v.IsZero() {
		*out = append(*out, path)
	}
}

// TestParamValues: values parse as the gin binding parsed them: every value of a list, the first
// of a single value, empty numbers as zero, and strconv's errors for bad ones.
func TestParamValues(t *testing.T) {
	q, err := bindOn(t, analysisEndpoint, "/?avoid_states=CN&avoid_states=RU,MM&top=&commodity=a&commodity=b&licence_pass=0.3&as_of=2010&apply_controls=")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(q.AvoidStates, "|") != "CN|RU,MM" || q.Top != 0 || q.Commodity != "a" || *q.LicencePass != 0.3 || *q.AsOf != 2010 || q.ApplyControls {
		t.Fatalf("%+v", q)
	}
	for target, want := range map[string]string{
		"/?top=x":                  `bad query string: strconv.ParseInt: parsing "x": invalid syntax`,
		"/?tol=high":               `bad query string: strconv.ParseFloat: parsing "high": invalid syntax`,
		"/?apply_controls=ja":      `bad query string: strconv.ParseBool: parsing "ja": invalid syntax`,
		"/?k=99999999999999999999": `bad query string: strconv.ParseInt: parsing "99999999999999999999": value out of range`,
	} {
		if _, err := bindOn(t, analysisEndpoint, target); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %s", target, err, want)
		}
	}
}
