// Package report declares saved reports: the Report, its Params and the Result of a run, the
// header format of a report file and the binding of a run's arguments, and Service, the reports
// a store runs (cypher implements it on Neo4j). The HTTP API and the CLI show these types as
// they are: their JSON is the API's.
package report
