// name: concentration
// title: Capacity concentration by location
// description: For each product of a commodity family, the capacity in service in a year, the
// description: share of the leading state, the top-3 share and the Herfindahl-Hirschman index
// description: (0..10,000) of the shares by location state. A facility is in service when
// description: since <= year <= until, except a closed one without an end year and a planned one
// description: or one under construction without a start year. Capacities are the facilities'
// description: figures in tonnes a year, whatever their basis (nameplate, estimate, quota or
// description: target: listed in bases).
// param: family string = "rare-earths" -- commodity family (rare-earths, gallium, germanium, ...)
// param: year year = 2025 -- count only facilities in service in this year
MATCH (c:Commodity {family: $family})
MATCH (f:Node)
WHERE (f:Mine OR f:Refinery)
  AND f['cap_' + replace(c.id, '-', '_')] IS NOT NULL
  AND (f.since IS NULL OR f.since <= $year) AND (f.until IS NULL OR f.until >= $year)
  AND NOT (coalesce(f.status, '') = 'closed' AND f.until IS NULL)
  AND NOT (coalesce(f.status, '') IN ['planned', 'construction'] AND f.since IS NULL)
WITH c, f, f['cap_' + replace(c.id, '-', '_')] AS capacity,
     coalesce(f['basis_' + replace(c.id, '-', '_')], 'nameplate') AS basis ORDER BY basis
WITH c, collect(DISTINCT basis) AS bases, collect({state: f.state, capacity: capacity}) AS facilities
UNWIND facilities AS x
WITH c, bases, x.state AS state, sum(x.capacity) AS capacity
WITH c, bases, sum(capacity) AS total, collect({state: state, capacity: capacity}) AS byState
UNWIND byState AS s
WITH c, total, bases, s ORDER BY s.capacity DESC, s.state
WITH c, total, bases, collect({state: s.state, share: round(s.capacity / total, 4)}) AS shares,
     sum((100.0 * s.capacity / total) ^ 2) AS hhi
RETURN c.id AS commodity, c.stage AS stage, total AS capacity_tpa,
       shares[0].state AS top_state, shares[0].share AS top_share,
       round(reduce(t = 0.0, s IN shares[0..3] | t + s.share), 4) AS top3_share,
       round(hhi) AS hhi, shares, bases
ORDER BY commodity;
