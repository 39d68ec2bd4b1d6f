// Package api is chokepoint's HTTP server, built on Gin: the routes under /api/v1, request
// binding, the one error-to-status mapping, and middleware for API keys, body limits and logging.
package api
