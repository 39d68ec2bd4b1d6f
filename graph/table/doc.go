// Package table flattens analysis results into rows of text, for the CLI's table and CSV output and the HTTP API's CSV.
package table
