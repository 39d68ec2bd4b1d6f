// name: ownership-chain
// title: Ownership chains of an entity
// description: Every chain of OWNS edges (up to eight links) in force in a year that ends at a firm
// description: or facility and starts at an ultimate owner (one that nobody owns in that year),
// description: with the shares along it and their product, the owner's effective share through
// description: that chain. Largest first.
// param: id string = "firm:lynas" -- the owned firm or facility (node id, e.g. firm:lynas)
// param: year year = 2025 -- follow only ownership in force in this year
MATCH p = (owner:Node)-[:OWNS*1..8]->(:Node {id: $id})
WHERE all(x IN nodes(p) + relationships(p) WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
  AND NOT EXISTS {
    MATCH (:Node)-[o:OWNS]->(owner)
    WHERE (o.since IS NULL OR o.since <= $year) AND (o.until IS NULL OR o.until >= $year)
  }
RETURN owner.id AS owner, owner.name AS owner_name, [l IN labels(owner) WHERE l <> 'Node'][0] AS owner_kind,
       owner.state AS owner_state, [n IN nodes(p) | n.id] AS chain, [r IN relationships(p) | r.share] AS shares,
       round(reduce(s = 1.0, r IN relationships(p) | s * r.share), 6) AS effective_share
ORDER BY effective_share DESC, owner, size(chain);
