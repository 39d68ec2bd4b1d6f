// name: single-supplier
// title: Single-supplier dependencies
// description: Facilities (and, if asked, firms) that receive a product from exactly one supplier
// description: in a year, through SUPPLIES or OFFTAKE edges: one failure away from losing that
// description: input. One row per receiver and product, with the supplier, its location and the
// description: volume of the year. A node is in service when since <= year <= until, except a
// description: closed one without an end year and a planned one or one under construction
// description: without a start year.
// param: family string = null -- commodity family (rare-earths, gallium, germanium, ...); null for every family
// param: include_firms bool = false -- also list firms that receive from a single supplier
// param: year year = 2024 -- count only nodes and flows in service in this year
MATCH (c:Commodity)
WHERE $family IS NULL OR c.family = $family
MATCH (src:Node)-[r:SUPPLIES|OFFTAKE {commodity: c.id}]->(dst:Node)
WHERE (dst:Mine OR dst:Refinery OR ($include_firms AND dst:Firm))
  AND all(x IN [src, r, dst] WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
  AND all(y IN [src, dst] WHERE NOT (coalesce(y.status, '') = 'closed' AND y.until IS NULL)
                            AND NOT (coalesce(y.status, '') IN ['planned', 'construction'] AND y.since IS NULL))
WITH dst, c, collect({src: src, r: r}) AS inbound
WHERE size(inbound) = 1
WITH dst, c, inbound[0].src AS src, inbound[0].r AS r
RETURN dst.id AS receiver, dst.name AS receiver_name, dst.state AS receiver_state,
       c.id AS commodity, src.id AS supplier, src.name AS supplier_name, src.state AS supplier_state,
       coalesce(r['volume_' + toString($year)], r.volume_tpa) AS volume_tpa
ORDER BY receiver, commodity;
