// Package cypher is chokepoint's Neo4j adapter, built on the official neo4j-go-driver v5: the
// schema, the batched all-or-nothing import, the projection of the stored graph into a
// graph.Network, and the saved Cypher reports. Its Cypher lives in embedded .cypher files.
package cypher
