package api

import (
	"github.com/chokepoint/chokepoint/graph"
	"github.com/gin-gonic/gin"
)

// Reports runs saved and ad-hoc Cypher; it needs Neo4j.
type Reports interface{}

func (s *Server) reportRoutes(r *gin.RouterGroup) {
	needNeo4j := s.handle(func(*gin.Context) (any, error) {
		return nil, graph.Errorf(graph.ENotImplemented, "Cypher reports need Neo4j: start the service with NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD set (see README, \"Running on Neo4j\")")
	})
	r.Any("/reports", needNeo4j)
	r.Any("/reports/*name", needNeo4j)
	r.POST("/cypher", s.requireKey, needNeo4j)
}
