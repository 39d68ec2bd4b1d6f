// Every write statement returns the count of rows it wrote, which the store compares with the
// rows it sent: a MATCH that finds nothing makes the import fail instead of writing less.

// name: lock
// Takes the write lock on the revision counter and bumps it; returns the revision and the epoch
// before, and the epoch after. The epoch is random, set when the counter is created, so a wiped
// database whose counter starts again is not taken for the one it replaced.
MERGE (m:Meta {id: 'chokepoint'})
ON CREATE SET m.revision = 0
WITH m, m.revision AS before, m.epoch AS epoch
SET m.revision = before + 1, m.epoch = coalesce(m.epoch, randomUUID())
RETURN before, epoch, m.epoch AS after;

// name: commodities
UNWIND $rows AS row
MERGE (c:Commodity {id: row.id})
SET c = row
RETURN count(*) AS written;

// Records the store does not hold yet are CREATEd (the revision lock guarantees they are still
// absent), with their location link to their state, found by its element id ($states: by state
// code, from the state statements or from node-ids for a stored state): records it holds are
// MERGEd and re-linked by locate.
// A node's row is its properties, and its statement returns the element ids of its nodes in row
// order; an edge's row is the list [from, to, properties], its ends by element id (from the node
// statements, or from node-ids for a stored node the import does not rewrite): a direct seek,
// without a lookup in the id index and its lock.

// name: node-ids
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN count(*) AS written, collect(elementId(n)) AS ids;

// name: create-states
UNWIND $rows AS row
CREATE (n:Node:State)
SET n = row
RETURN count(*) AS written, collect(elementId(n)) AS ids;

// name: create-mines
UNWIND $rows AS row
CREATE (n:Node:Mine)
SET n = row
WITH n
CALL {
  WITH n
  MATCH (s) WHERE elementId(s) = $states[n.state]
  CREATE (n)-[:LOCATED_IN]->(s)
  RETURN count(*) AS linked
}
RETURN sum(linked) AS written, collect(elementId(n)) AS ids;

// name: create-refineries
UNWIND $rows AS row
CREATE (n:Node:Refinery)
SET n = row
WITH n
CALL {
  WITH n
  MATCH (s) WHERE elementId(s) = $states[n.state]
  CREATE (n)-[:LOCATED_IN]->(s)
  RETURN count(*) AS linked
}
RETURN sum(linked) AS written, collect(elementId(n)) AS ids;

// name: create-firms
UNWIND $rows AS row
CREATE (n:Node:Firm)
SET n = row
WITH n
CALL {
  WITH n
  MATCH (s) WHERE elementId(s) = $states[n.state]
  CREATE (n)-[:HEADQUARTERED_IN]->(s)
  RETURN count(*) AS linked
}
RETURN sum(linked) AS written, collect(elementId(n)) AS ids;

// name: create-coalitions
UNWIND $rows AS row
CREATE (n:Node:Coalition)
SET n = row
RETURN count(*) AS written, collect(elementId(n)) AS ids;

// name: create-owns
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:OWNS]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: create-operates
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:OPERATES]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: create-offtake
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:OFFTAKE]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: create-supplies
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:SUPPLIES]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: create-restricts
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:RESTRICTS]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: create-finances
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:FINANCES]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: create-member
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
CREATE (a)-[r:MEMBER]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: mines
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:Mine
RETURN count(*) AS written, collect(elementId(n)) AS ids;

// name: refineries
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:Refinery
RETURN count(*) AS written, collect(elementId(n)) AS ids;

// name: firms
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:Firm
RETURN count(*) AS written, collect(elementId(n)) AS ids;

// name: states
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:State
RETURN count(*) AS written, collect(elementId(n)) AS ids;

// name: coalitions
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:Coalition
RETURN count(*) AS written, collect(elementId(n)) AS ids;

// name: owns
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
MERGE (a)-[r:OWNS {key: row[2].key}]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: operates
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
MERGE (a)-[r:OPERATES {key: row[2].key}]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: offtake
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
MERGE (a)-[r:OFFTAKE {key: row[2].key}]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: supplies
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
MERGE (a)-[r:SUPPLIES {key: row[2].key}]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: restricts
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
MERGE (a)-[r:RESTRICTS {key: row[2].key}]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: finances
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
MERGE (a)-[r:FINANCES {key: row[2].key}]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: member
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row[0]
MATCH (b) WHERE elementId(b) = row[1]
MERGE (a)-[r:MEMBER {key: row[2].key}]->(b)
SET r = row[2]
RETURN count(*) AS written;

// name: locate
// Re-links the given stored nodes to the state they are located or headquartered in; locate-states
// links the stored nodes of the given state codes whose state node has just arrived.
UNWIND $ids AS id
MATCH (n:Node {id: id})
WHERE NOT n:State AND NOT n:Coalition
OPTIONAL MATCH (n)-[old:LOCATED_IN|HEADQUARTERED_IN]->()
DELETE old
WITH DISTINCT n
MATCH (s:State {id: 'state:' + n.state})
FOREACH (_ IN CASE WHEN n:Firm THEN [1] ELSE [] END | MERGE (n)-[:HEADQUARTERED_IN]->(s))
FOREACH (_ IN CASE WHEN n:Firm THEN [] ELSE [1] END | MERGE (n)-[:LOCATED_IN]->(s))
RETURN count(*) AS written;

// name: locate-states
UNWIND $codes AS code
MATCH (s:State {id: 'state:' + code})
CALL {
  WITH s, code
  MATCH (n:Node {state: code})
  WHERE NOT n:State
  FOREACH (_ IN CASE WHEN n:Firm THEN [1] ELSE [] END | MERGE (n)-[:HEADQUARTERED_IN]->(s))
  FOREACH (_ IN CASE WHEN n:Firm THEN [] ELSE [1] END | MERGE (n)-[:LOCATED_IN]->(s))
}
RETURN count(*) AS written;

// The analysis's control shares (graph.ControlSpans), derived from the records above and
// rewritten whole on every import in the same transaction: (:State)-[:CONTROLS {share, since,
// until}]->(firm or facility). The projection does not read them back. A share held by a state
// the dataset has no node for is not written.

// name: controls-clear
UNWIND $rows AS row
CALL {
  MATCH (:State)-[c:CONTROLS]->(:Node)
  DELETE c
}
RETURN count(*) AS written;

// name: controls
// A row is [entity, state, share, since, until]: the element ids of the entity's node and of the
// state's node (as the edges' ends), since and until null when open.
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row[1]
MATCH (n) WHERE elementId(n) = row[0]
CREATE (s)-[:CONTROLS {share: row[2], since: row[3], until: row[4]}]->(n)
RETURN count(*) AS written;

// name: revision
MATCH (m:Meta {id: 'chokepoint'})
RETURN m.revision AS revision, m.epoch AS epoch;

// name: project-commodities
MATCH (c:Commodity)
RETURN properties(c) AS props;

// name: project-nodes
MATCH (n:Node)
RETURN [l IN labels(n) WHERE l IN ['Mine', 'Refinery', 'Firm', 'State', 'Coalition']][0] AS label, properties(n) AS props;

// name: project-edges
MATCH (a:Node)-[r:OWNS|OPERATES|OFFTAKE|SUPPLIES|RESTRICTS|FINANCES|MEMBER]->(b:Node)
RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props;
