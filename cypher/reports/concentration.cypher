// name: concentration
// title: Capacity concentration by location
// description: For each product of a commodity family, the capacity in service in a year, the
// description: share of the leading state, the top-3 share and the Herfindahl-Hirschman index
// description: (0..10,000) of the shares by location state. Capacities are the facilities'
// description: nameplate figures in tonnes a year.
// param: family string = "rare-earths" -- commodity family (rare-earths, gallium, germanium, ...)
// param: year year = 2025 -- count only facilities in service in this year
MATCH (c:Commodity {family: $family})
MATCH (f:Node)
WHERE (f:Mine OR f:Refinery)
  AND f['cap_' + replace(c.id, '-', '_')] IS NOT NULL
  AND (f.since IS NULL OR f.since <= $year) AND (f.until IS NULL OR f.until >= $year)
WITH c, f.state AS state, sum(f['cap_' + replace(c.id, '-', '_')]) AS capacity
WITH c, sum(capacity) AS total, collect({state: state, capacity: capacity}) AS byState
UNWIND byState AS s
WITH c, total, s ORDER BY s.capacity DESC, s.state
WITH c, total, collect({state: s.state, share: round(s.capacity / total, 4)}) AS shares,
     sum((100.0 * s.capacity / total) ^ 2) AS hhi
RETURN c.id AS commodity, c.stage AS stage, total AS capacity_tpa,
       shares[0].state AS top_state, shares[0].share AS top_share,
       round(reduce(t = 0.0, s IN shares[0..3] | t + s.share), 4) AS top3_share,
       round(hhi) AS hhi, shares
ORDER BY commodity;
