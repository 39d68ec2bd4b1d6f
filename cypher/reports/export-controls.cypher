// name: export-controls
// title: Capacity under a state's export controls
// description: For each product a state restricts (RESTRICTS edges in force in a year): the
// description: measures, the target states, the capacity located in the restricting state, the
// description: capacity in service worldwide and the share the controls reach.
// param: state string = "CN" -- the restricting state (ISO 3166-1 alpha-2 code)
// param: year year = 2025 -- only controls and facilities in force in this year
MATCH (:State {id: 'state:' + $state})-[r:RESTRICTS]->(target:State)
WHERE (r.since IS NULL OR r.since <= $year) AND (r.until IS NULL OR r.until >= $year)
WITH r, target ORDER BY target.id, r.measure
WITH r.commodity AS commodity, collect(DISTINCT r.measure) AS measures, collect(DISTINCT target.id) AS targets
OPTIONAL MATCH (f:Node)
WHERE (f:Mine OR f:Refinery) AND f['cap_' + replace(commodity, '-', '_')] IS NOT NULL
  AND (f.since IS NULL OR f.since <= $year) AND (f.until IS NULL OR f.until >= $year)
WITH commodity, measures, targets, f ORDER BY f.id
WITH commodity, measures, targets, f, coalesce(f['cap_' + replace(commodity, '-', '_')], 0) AS capacity
WITH commodity, measures, targets,
     sum(CASE WHEN f.state = $state THEN capacity ELSE 0 END) AS restricted,
     sum(capacity) AS world,
     collect(CASE WHEN f.state = $state THEN f.id END) AS facilities
RETURN commodity, measures, [t IN targets | substring(t, 6)] AS targets,
       restricted AS restricted_capacity_tpa, world AS world_capacity_tpa,
       CASE WHEN world > 0 THEN round(toFloat(restricted) / world, 4) END AS restricted_share,
       facilities
ORDER BY restricted_capacity_tpa DESC, commodity;
