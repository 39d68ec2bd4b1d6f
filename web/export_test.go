package web

// Files exposes the embedded files to the external tests.
var Files = files
