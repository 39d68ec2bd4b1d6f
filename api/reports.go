package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/chokepoint/chokepoint/graph/report"
	"github.com/gin-gonic/gin"
)

// maxReportBody bounds the JSON body of a run.
const maxReportBody = 1 << 20

func (s *Server) reportRoutes(r *gin.RouterGroup) {
	if s.Reports == nil {
		needNeo4j := s.handle(func(*gin.Context) (any, error) {
			return nil, graph.Errorf(graph.ENotImplemented, "Cypher reports need Neo4j: start the service with NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD set (see README, \"Running it\")")
		})
		r.GET("/reports", needNeo4j)
		r.GET("/reports/:name", needNeo4j)
		r.GET("/reports/:name/run", needNeo4j)
		r.POST("/reports/:name/run", needNeo4j)
		r.POST("/cypher", s.requireKey, needNeo4j)
		return
	}
	r.GET("/reports", s.handle(s.listReports))
	r.GET("/reports/:name", s.handle(s.showReport))
	r.GET("/reports/:name/run", s.handle(s.runReport))
	r.POST("/reports/:name/run", s.handle(s.runReport))
	r.POST("/cypher", s.requireKey, s.handle(s.runCypher))
}

func (s *Server) listReports(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	reports, err := s.Reports.List()
	if err != nil {
		return nil, err
	}
	return gin.H{"reports": reports}, nil
}

func (s *Server) showReport(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	return s.Reports.Get(c.Param("name"))
}

// runReport runs a report with the parameters of the query string (GET) or of a JSON object
// body (POST).
func (s *Server) runReport(c *gin.Context) (any, error) {
	if c.Request.Method == http.MethodPost {
		if err := checkQuery(c, report.RunOptions()); err != nil {
			return nil, graph.Errorf(graph.EInvalid, "%s (report parameters go in the JSON body of a POST, not the query string)", graph.ErrorMessage(err))
		}
	}
	format, maxRows, err := readRunOptions(c)
	if err != nil {
		return nil, err
	}
	args := map[string]any{}
	for k, vs := range c.Request.URL.Query() {
		switch {
		case slices.Contains(report.RunOptions(), k), c.Request.Method == http.MethodPost: // checked above
		case len(vs) == 1:
			args[k] = vs[0]
		default:
			args[k] = vs
		}
	}
	if c.Request.Method == http.MethodPost {
		if err := decodeBody(c, &args, "a JSON object of report parameters"); err != nil {
			return nil, err
		}
	}
	res, err := s.Reports.Run(c, c.Param("name"), args, maxRows)
	if err != nil {
		return nil, err
	}
	return resultBody(c, res, format, c.Param("name")+".csv"), nil
}

// cypherRequest is the body of POST /cypher.
type cypherRequest struct {
	Query  string         `json:"query"`
	Params map[string]any `json:"params"`
}

func (s *Server) runCypher(c *gin.Context) (any, error) {
	if err := checkQuery(c, report.RunOptions()); err != nil {
		return nil, err
	}
	format, maxRows, err := readRunOptions(c)
	if err != nil {
		return nil, err
	}
	const want = `{"query": "CYPHER", "params": {…}}`
	var req cypherRequest
	if err := decodeBody(c, &req, want); err != nil {
		return nil, err
	}
	if req.Query == "" {
		return nil, graph.Errorf(graph.EInvalid, "the body must be %s, with a query", want)
	}
	res, err := s.Reports.Query(c, req.Query, req.Params, maxRows)
	if err != nil {
		return nil, err
	}
	return resultBody(c, res, format, ""), nil
}

// readRunOptions reads ?format= (json or csv; else text/csv in Accept picks CSV) and ?max_rows=.
func readRunOptions(c *gin.Context) (format string, maxRows int, err error) {
	if format, err = resultFormat(c, c.Query("format")); err != nil {
		return "", 0, err
	}
	if v := c.Query("max_rows"); v != "" {
		if maxRows, err = strconv.Atoi(v); err != nil || maxRows <= 0 {
			return "", 0, graph.Errorf(graph.EInvalid, "max_rows must be a positive integer, got %q", v)
		}
	}
	return format, maxRows, nil
}

// decodeBody decodes a JSON body into v, with numbers as json.Number; an empty body leaves v as
// it is. Errors: EInvalid naming what the body must be; *http.MaxBytesError, which writeError
// reports as ETooLarge.
func decodeBody(c *gin.Context, v any, want string) error {
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxReportBody))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var mbe *http.MaxBytesError
	switch {
	case err == nil || errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &mbe):
		return err
	}
	return graph.Errorf(graph.EInvalid, "the body must be %s: %v", want, err)
}

// resultBody is a result as JSON or, for format csv, as a CSV download whose row count and
// truncation travel in the X-Row-Count and X-Truncated headers.
func resultBody(c *gin.Context, res *report.Result, format, filename string) any {
	if format != formatCSV {
		return res
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(res.Records()) // a bytes.Buffer does not fail
	c.Header("X-Row-Count", strconv.Itoa(res.RowCount))
	c.Header("X-Truncated", strconv.FormatBool(res.Truncated))
	return download{contentType: "text/csv; charset=utf-8", filename: filename, data: b.Bytes()}
}
