// name: projects-outside
// title: Projects outside some states, by status and start year
// description: Mines and refineries located outside the given states (China by default) with one
// description: of the given statuses, by status and first year of operation: the diversification
// description: pipeline, with operators, owners, financiers and capacities. Operators and owners
// description: are those whose OPERATES and OWNS edges have no end year (the current and planned
// description: ones; a share sold is left out); financiers are the FINANCES deals with the
// description: facility. The families of a facility are those of the products it has a capacity
// description: for or that its SUPPLIES/OFFTAKE edges carry; a family filter leaves out facilities
// description: whose family is not known. A facility with no status is not listed.
// param: exclude list<string> = ["CN"] -- leave out facilities located in these states (ISO codes)
// param: statuses list<string> = ["planned", "construction"] -- statuses to list (operating, construction, planned, closed)
// param: family string = null -- list only facilities of this commodity family; null for all
MATCH (f:Node)
WHERE (f:Mine OR f:Refinery) AND NOT f.state IN $exclude AND f.status IN $statuses
OPTIONAL MATCH (c:Commodity)
WHERE f['cap_' + replace(c.id, '-', '_')] IS NOT NULL
   OR EXISTS { MATCH (f)-[r:SUPPLIES|OFFTAKE]-() WHERE r.commodity = c.id }
WITH f, c ORDER BY c.family, c.id
WITH f, collect(DISTINCT c.family) AS families,
     [x IN collect(c) WHERE f['cap_' + replace(x.id, '-', '_')] IS NOT NULL | x.id + ': ' + toString(f['cap_' + replace(x.id, '-', '_')])] AS capacities
WHERE $family IS NULL OR $family IN families
OPTIONAL MATCH (op:Firm)-[o:OPERATES]->(f)
WHERE o.until IS NULL
WITH f, families, capacities, op ORDER BY op.name
WITH f, families, capacities, collect(DISTINCT op.name) AS operators
OPTIONAL MATCH (owner:Node)-[w:OWNS]->(f)
WHERE w.until IS NULL
WITH f, families, capacities, operators, owner, w ORDER BY w.share DESC, owner.name
WITH f, families, capacities, operators, collect(owner.name + ' (' + toString(w.share) + ')') AS owners
OPTIONAL MATCH (fin:Node)-[d:FINANCES]->(f)
WITH f, families, capacities, operators, owners, fin, d ORDER BY d.since, fin.name, d.instrument
WITH f, families, capacities, operators, owners,
     collect(fin.name + ' (' + d.instrument + ' ' + toString(d.since) + coalesce(', ' + toString(d.amount_usd) + 'm USD', '') + ')') AS financiers
RETURN f.status AS status, f.since AS since, f.id AS facility, f.name AS name, f.state AS located, f.stage AS stage,
       families, capacities AS capacity_tpa, operators, owners, financiers
ORDER BY status, since, facility;
