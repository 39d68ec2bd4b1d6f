// name: state-control
// title: Firms and facilities a state controls through ownership chains
// description: Every firm and facility that a state owns directly or through chains of OWNS
// description: edges (up to eight links) in a year, with its effective share: the sum over the
// description: chains of the product of the shares along each. Also the facilities each entity
// description: operates. Largest share first.
// param: state string = "CN" -- the owning state (ISO 3166-1 alpha-2 code)
// param: min_share float = 0.0 -- list only entities with at least this effective share (0..1)
// param: year year = 2025 -- follow only ownership in force in this year
MATCH p = (:State {id: 'state:' + $state})-[:OWNS*1..8]->(e:Node)
WHERE all(x IN nodes(p)[1..] + relationships(p) WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
WITH e, reduce(s = 1.0, r IN relationships(p) | s * r.share) AS share,
     reduce(s = '', n IN nodes(p) | s + CASE WHEN s = '' THEN '' ELSE ' → ' END + n.id) AS chain
WITH e, sum(share) AS effective, collect(chain) AS chains
WHERE effective >= $min_share
OPTIONAL MATCH (e)-[o:OPERATES]->(f:Node)
WHERE all(x IN [o, f] WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
WITH e, effective, chains, collect(f.id) AS operates
RETURN e.id AS entity, e.name AS name, [l IN labels(e) WHERE l <> 'Node'][0] AS kind, e.state AS located,
       round(effective, 6) AS effective_share, operates, chains
ORDER BY effective_share DESC, entity;
