// name: lock
// Takes the write lock on the revision counter and bumps it; returns the revision before.
MERGE (m:Meta {id: 'chokepoint'})
ON CREATE SET m.revision = 0
WITH m, m.revision AS before
SET m.revision = before + 1
RETURN before;

// name: commodities
UNWIND $rows AS row
MERGE (c:Commodity {id: row.id})
SET c = row;

// Records the store does not hold yet are CREATEd (the revision lock guarantees they are still
// absent), with their location link; records it holds are MERGEd and re-linked by locate.

// name: create-states
UNWIND $rows AS row
CREATE (n:Node:State)
SET n = row;

// name: create-mines
UNWIND $rows AS row
CREATE (n:Node:Mine)
SET n = row
WITH n
MATCH (s:State {id: 'state:' + n.state})
CREATE (n)-[:LOCATED_IN]->(s);

// name: create-refineries
UNWIND $rows AS row
CREATE (n:Node:Refinery)
SET n = row
WITH n
MATCH (s:State {id: 'state:' + n.state})
CREATE (n)-[:LOCATED_IN]->(s);

// name: create-firms
UNWIND $rows AS row
CREATE (n:Node:Firm)
SET n = row
WITH n
MATCH (s:State {id: 'state:' + n.state})
CREATE (n)-[:HEADQUARTERED_IN]->(s);

// name: create-coalitions
UNWIND $rows AS row
CREATE (n:Node:Coalition)
SET n = row;

// name: create-owns
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
CREATE (a)-[r:OWNS]->(b)
SET r = row.props;

// name: create-operates
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
CREATE (a)-[r:OPERATES]->(b)
SET r = row.props;

// name: create-offtake
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
CREATE (a)-[r:OFFTAKE]->(b)
SET r = row.props;

// name: create-supplies
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
CREATE (a)-[r:SUPPLIES]->(b)
SET r = row.props;

// name: create-restricts
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
CREATE (a)-[r:RESTRICTS]->(b)
SET r = row.props;

// name: create-finances
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
CREATE (a)-[r:FINANCES]->(b)
SET r = row.props;

// name: create-member
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
CREATE (a)-[r:MEMBER]->(b)
SET r = row.props;

// name: mines
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:Mine;

// name: refineries
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:Refinery;

// name: firms
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:Firm;

// name: states
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:State;

// name: coalitions
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
SET n = row, n:Coalition;

// name: owns
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:OWNS {key: row.key}]->(b)
SET r = row.props;

// name: operates
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:OPERATES {key: row.key}]->(b)
SET r = row.props;

// name: offtake
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:OFFTAKE {key: row.key}]->(b)
SET r = row.props;

// name: supplies
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:SUPPLIES {key: row.key}]->(b)
SET r = row.props;

// name: restricts
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:RESTRICTS {key: row.key}]->(b)
SET r = row.props;

// name: finances
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:FINANCES {key: row.key}]->(b)
SET r = row.props;

// name: member
UNWIND $rows AS row
MATCH (a:Node {id: row.from}), (b:Node {id: row.to})
MERGE (a)-[r:MEMBER {key: row.key}]->(b)
SET r = row.props;

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
FOREACH (_ IN CASE WHEN n:Firm THEN [] ELSE [1] END | MERGE (n)-[:LOCATED_IN]->(s));

// name: locate-states
UNWIND $codes AS code
MATCH (s:State {id: 'state:' + code})
MATCH (n:Node {state: code})
WHERE NOT n:State
FOREACH (_ IN CASE WHEN n:Firm THEN [1] ELSE [] END | MERGE (n)-[:HEADQUARTERED_IN]->(s))
FOREACH (_ IN CASE WHEN n:Firm THEN [] ELSE [1] END | MERGE (n)-[:LOCATED_IN]->(s));

// name: revision
MATCH (m:Meta {id: 'chokepoint'})
RETURN m.revision AS revision;

// name: project-commodities
MATCH (c:Commodity)
RETURN properties(c) AS props;

// name: project-nodes
MATCH (n:Node)
RETURN [l IN labels(n) WHERE l IN ['Mine', 'Refinery', 'Firm', 'State', 'Coalition']][0] AS label, properties(n) AS props;

// name: project-edges
MATCH (a:Node)-[r:OWNS|OPERATES|OFFTAKE|SUPPLIES|RESTRICTS|FINANCES|MEMBER]->(b:Node)
RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props;
