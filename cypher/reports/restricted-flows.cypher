// name: restricted-flows
// title: Flows that export controls reach
// description: The SUPPLIES and OFFTAKE edges in service in a year that carry a product another
// description: state restricts (RESTRICTS edges in force that year, on the product or on its
// description: family, aimed at the target state or - a RESTRICTS edge from the state to itself -
// description: at every other state) from a node located in the restricting state to a node
// description: located in, or a firm headquartered in, the target state: the trade an export
// description: control puts at risk. One row per flow, with every measure that covers it, their
// description: kinds of control, the share of the volume they let pass together (the product of
// description: the pass shares, a ban 0; null when no measure names a control), the volume of
// description: the year and what passes (passing_tpa). A node is in service when since <= year <= until, except a closed one
// description: without an end year and a planned one or one under construction without a start year.
// param: target string = "JP" -- the state the controls aim at (ISO 3166-1 alpha-2 code)
// param: year year = 2025 -- only controls, nodes and flows in force in this year
MATCH (from:State)-[x:RESTRICTS]->(to:State)
WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year)
  AND from.id <> 'state:' + $target AND (to.id = 'state:' + $target OR to = from)
MATCH (c:Commodity)
WHERE c.id = x.commodity OR c.family = x.commodity
MATCH (src:Node {state: substring(from.id, 6)})-[r:SUPPLIES|OFFTAKE {commodity: c.id}]->(dst:Node {state: $target})
WHERE all(y IN [src, r, dst] WHERE (y.since IS NULL OR y.since <= $year) AND (y.until IS NULL OR y.until >= $year))
  AND all(y IN [src, dst] WHERE NOT (coalesce(y.status, '') = 'closed' AND y.until IS NULL)
                            AND NOT (coalesce(y.status, '') IN ['planned', 'construction'] AND y.since IS NULL))
WITH from, src, r, dst, x ORDER BY x.since, x.measure
WITH from, src, r, dst, collect(x) AS xs, coalesce(r['volume_' + toString($year)], r.volume_tpa) AS volume
WITH from, src, r, dst, xs, volume,
     CASE WHEN any(y IN xs WHERE y.control IS NOT NULL)
          THEN round(reduce(p = 1.0, y IN xs | p * CASE WHEN y.control IS NULL THEN 1.0 WHEN y.control = 'ban' THEN 0.0 ELSE coalesce(y.pass_share, 1.0) END), 6)
     END AS passShare
RETURN substring(from.id, 6) AS restricting_state, r.commodity AS commodity,
       [y IN xs | y.measure] AS measures, [y IN xs WHERE y.control IS NOT NULL | y.control] AS controls,
       passShare AS pass_share,
       src.id AS seller, src.name AS seller_name, dst.id AS buyer, dst.name AS buyer_name,
       toLower(type(r)) AS kind, volume AS volume_tpa, round(volume * passShare, 3) AS passing_tpa
ORDER BY restricting_state, commodity, coalesce(volume_tpa, -1) DESC, seller, buyer;
