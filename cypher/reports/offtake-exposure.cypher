// name: offtake-exposure
// title: Offtake exposure of a state's firms
// description: The offtake agreements (OFFTAKE edges) held by firms headquartered in a state and in
// description: force in a year: who sells, from where, which product and how much. Largest volume
// description: first; agreements without a volume last.
// param: state string = "JP" -- the buyers' state (ISO 3166-1 alpha-2 code)
// param: family string = null -- commodity family; null for every family
// param: year year = 2025 -- only agreements and nodes in force in this year
MATCH (seller:Node)-[r:OFFTAKE]->(buyer:Firm {state: $state})
MATCH (c:Commodity {id: r.commodity})
WHERE ($family IS NULL OR c.family = $family)
  AND all(x IN [seller, r, buyer] WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
RETURN buyer.id AS buyer, buyer.name AS buyer_name, seller.id AS seller, seller.name AS seller_name,
       seller.state AS seller_state, r.commodity AS commodity, c.stage AS stage, coalesce(r['volume_' + toString($year)], r.volume_tpa) AS volume_tpa,
       r.share AS share_of_output, r.since AS since, r.until AS until
ORDER BY coalesce(volume_tpa, -1) DESC, buyer, seller, commodity;
