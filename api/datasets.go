package api

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

func (s *Server) datasetRoutes(r *gin.RouterGroup) {
	r.POST("/import", s.requireKey, s.handle(s.importDataset))
	r.GET("/export", s.handle(s.exportDataset))
}

// importDataset takes a JSON dataset body, or CSV files as multipart/form-data parts named by
// their file names (mines.csv, edges.csv…).
func (s *Server) importDataset(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.MaxBodyBytes)
	mediaType, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil {
		mediaType = ""
	}
	var ds *graph.Dataset
	switch mediaType {
	case "application/json":
		ds, err = graph.DecodeJSON(c.Request.Body, "request body")
	case "multipart/form-data":
		ds, err = decodeMultipartCSV(c.Request)
	default:
		return nil, graph.Errorf(graph.EInvalid, "Content-Type must be application/json (a dataset document) or multipart/form-data (CSV files), got %q", c.GetHeader("Content-Type"))
	}
	if err != nil {
		return nil, err
	}
	return s.Store.Import(c, ds)
}

func decodeMultipartCSV(r *http.Request) (*graph.Dataset, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, graph.Errorf(graph.EInvalid, "bad multipart body: %v", err)
	}
	var files []graph.CSVFile
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, graph.Errorf(graph.EInvalid, "bad multipart body: %v", err)
		}
		name := part.FileName()
		if name == "" {
			continue // a plain form field
		}
		data, err := io.ReadAll(part)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, graph.Errorf(graph.EInvalid, "bad multipart body: %s: %v", name, err)
		}
		files = append(files, graph.CSVFile{Name: name, Data: data})
	}
	if len(files) == 0 {
		return nil, graph.Errorf(graph.EInvalid, "the multipart body holds no CSV file (want parts with file names such as mines.csv, edges.csv)")
	}
	return graph.DecodeCSV(files)
}

type exportQuery struct {
	filterQuery
	Format string `form:"format"`
}

// exportDataset writes the network, or the part a node filter selects, as a dataset:
// JSON, or a zip of CSV files with format=csv.
func (s *Server) exportDataset(c *gin.Context) (any, error) {
	var q exportQuery
	if err := bindQuery(c, &q); err != nil {
		return nil, err
	}
	net, f, err := s.filtered(c, q.filterQuery)
	if err != nil {
		return nil, err
	}
	ds, err := net.Subset(f)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(q.Format) {
	case "", "json":
		var b bytes.Buffer
		if err := graph.EncodeJSON(&b, ds); err != nil {
			return nil, err
		}
		return download{contentType: "application/json", data: b.Bytes()}, nil
	case "csv":
		files, err := graph.EncodeCSV(ds)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, f := range files {
			w, err := zw.Create(f.Name)
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(f.Data); err != nil {
				return nil, err
			}
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return download{contentType: "application/zip", filename: "chokepoint-dataset.zip", data: b.Bytes()}, nil
	}
	return nil, graph.Errorf(graph.EInvalid, "format must be json or csv, got %q", q.Format)
}
