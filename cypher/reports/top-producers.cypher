// name: top-producers
// title: Top producers of a product by capacity, with their controllers
// description: The facilities with the largest capacity for a product in service in a year, with
// description: their share of the world capacity, their operators, their direct owners and the
// description: states that control them, as `analyze control` defines it: the CONTROLS shares the
// description: import writes (owners' control in proportion to their shares, the part no owner
// description: holds by the home state, a facility with no recorded owner held by its operators).
// description: A facility is in service when since <= year <= until, except a closed one without
// description: an end year and a planned one or one under construction without a start year.
// param: commodity string = "ndpr-oxide" -- product id (e.g. ndpr-oxide, gallium-crude, germanium)
// param: limit int = 10 -- how many facilities to list
// param: year year = 2025 -- only facilities, owners and operators in service in this year
MATCH (f:Node)
WHERE (f:Mine OR f:Refinery) AND f['cap_' + replace($commodity, '-', '_')] IS NOT NULL
  AND (f.since IS NULL OR f.since <= $year) AND (f.until IS NULL OR f.until >= $year)
  AND NOT (coalesce(f.status, '') = 'closed' AND f.until IS NULL)
  AND NOT (coalesce(f.status, '') IN ['planned', 'construction'] AND f.since IS NULL)
WITH f, f['cap_' + replace($commodity, '-', '_')] AS capacity
WITH collect({f: f, capacity: capacity}) AS facilities, sum(capacity) AS world
UNWIND facilities AS row
WITH row.f AS f, row.capacity AS capacity, world
ORDER BY capacity DESC, f.id
LIMIT $limit
OPTIONAL MATCH (op:Firm)-[o:OPERATES]->(f)
WHERE all(x IN [op, o] WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
WITH f, capacity, world, collect(op) AS operators
OPTIONAL MATCH (owner:Node)-[w:OWNS]->(f)
WHERE all(x IN [owner, w] WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
WITH f, capacity, world, operators, collect(owner.name + ' (' + toString(w.share) + ')') AS owners
OPTIONAL MATCH (s:State)-[c:CONTROLS]->(f)
WHERE (c.since IS NULL OR c.since <= $year) AND (c.until IS NULL OR c.until >= $year)
WITH f, capacity, world, operators, owners, s.id AS state, c.share AS share
ORDER BY share DESC, state
WITH f, capacity, world, operators, owners,
     collect(CASE WHEN state IS NOT NULL THEN {state: substring(state, 6), share: share} END) AS controllers
RETURN f.id AS facility, f.name AS name, f.state AS located, f.status AS status, capacity AS capacity_tpa,
       round(toFloat(capacity) / world, 4) AS world_share, [o IN operators | o.name] AS operators, owners,
       controllers AS controlling_states
ORDER BY capacity_tpa DESC, facility;
