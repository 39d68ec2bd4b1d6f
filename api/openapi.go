package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"
)

// openAPIYAML is the OpenAPI 3.1 document of the API, written by hand: every route the router
// registers is in it (a test checks), and the responses of every endpoint validate against it.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// OpenAPI returns the OpenAPI document as JSON, as GET /api/v1/openapi.json serves it.
var OpenAPI = sync.OnceValues(func() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(openAPIYAML, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return json.Marshal(doc)
})

func (s *Server) serveOpenAPI(c *gin.Context) (any, error) {
	if err := noQuery(c); err != nil {
		return nil, err
	}
	doc, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	return download{contentType: "application/json; charset=utf-8", data: doc}, nil
}
