// name: restricted-flows
// title: Flows that export controls reach
// description: The SUPPLIES and OFFTAKE edges in service in a year that carry a product a state
// description: restricts (RESTRICTS edges in force that year) from a node located in the
// description: restricting state to a node located in, or a firm headquartered in, the target
// description: state: the trade an export control puts at risk.
// param: target string = "JP" -- the state the controls aim at (ISO 3166-1 alpha-2 code)
// param: year year = 2025 -- only controls, nodes and flows in force in this year
MATCH (from:State)-[x:RESTRICTS]->(:State {id: 'state:' + $target})
WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year)
MATCH (src:Node {state: substring(from.id, 6)})-[r:SUPPLIES|OFFTAKE {commodity: x.commodity}]->(dst:Node {state: $target})
WHERE all(y IN [src, r, dst] WHERE (y.since IS NULL OR y.since <= $year) AND (y.until IS NULL OR y.until >= $year))
RETURN substring(from.id, 6) AS restricting_state, x.commodity AS commodity, x.measure AS measure,
       src.id AS seller, src.name AS seller_name, dst.id AS buyer, dst.name AS buyer_name,
       toLower(type(r)) AS kind, coalesce(r['volume_' + toString($year)], r.volume_tpa) AS volume_tpa
ORDER BY restricting_state, commodity, coalesce(volume_tpa, -1) DESC, seller, buyer;
