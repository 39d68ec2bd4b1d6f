package api

import "github.com/gin-gonic/gin"

// Handle exposes handle to the external tests: a route whose result is what f returns.
func (s *Server) Handle(f func(*gin.Context) (any, error)) gin.HandlerFunc { return s.handle(f) }

// Routes exposes the routes the router registers to the external tests.
func (s *Server) Routes() gin.RoutesInfo { return s.router().Routes() }
