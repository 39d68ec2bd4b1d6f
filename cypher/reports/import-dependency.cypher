// name: import-dependency
// title: Import dependency of a state on a supplier state, by stage
// description: The flows (SUPPLIES and OFFTAKE edges) of a commodity family that enter a consumer
// description: state in a year - from a node outside it to a firm headquartered or a facility
// description: located in it - grouped by the stage of the product shipped. For each stage: the
// description: tonnes imported in the year (each flow's volume of that year, else its volume_tpa)
// description: in all and from nodes located in the supplier state, and the supplier's share.
// description: Flows without a volume that year are counted apart. A node is in service when
// description: since <= year <= until, except a closed one without an end year and a planned one
// description: or one under construction without a start year.
// param: consumer string = "JP" -- the importing state (ISO 3166-1 alpha-2 code)
// param: supplier string = "CN" -- the supplying state (ISO code)
// param: family string = "rare-earths" -- commodity family
// param: year year = 2024 -- count only nodes and flows in service in this year
MATCH (c:Commodity {family: $family})
MATCH (src:Node)-[r:SUPPLIES|OFFTAKE {commodity: c.id}]->(dst:Node {state: $consumer})
WHERE src.state <> $consumer
  AND all(x IN [src, r, dst] WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
  AND all(y IN [src, dst] WHERE NOT (coalesce(y.status, '') = 'closed' AND y.until IS NULL)
                            AND NOT (coalesce(y.status, '') IN ['planned', 'construction'] AND y.since IS NULL))
WITH c.stage AS stage, src.state = $supplier AS fromSupplier, r ORDER BY r.commodity
WITH stage,
     sum(coalesce(r['volume_' + toString($year)], r.volume_tpa, 0)) AS imported,
     sum(CASE WHEN fromSupplier THEN coalesce(r['volume_' + toString($year)], r.volume_tpa, 0) ELSE 0 END) AS fromSupplier,
     count(CASE WHEN coalesce(r['volume_' + toString($year)], r.volume_tpa) IS NULL THEN 1 END) AS withoutVolume,
     collect(DISTINCT r.commodity) AS commodities
RETURN stage, imported AS imported_tpa, fromSupplier AS from_supplier_tpa,
       CASE WHEN imported > 0 THEN round(toFloat(fromSupplier) / imported, 4) END AS supplier_share,
       withoutVolume AS flows_without_volume, commodities
ORDER BY [i IN range(0, 8) WHERE ['mining', 'concentration', 'cracking', 'separation', 'refining', 'metal', 'alloy', 'magnet', 'recycling'][i] = stage][0];
