// name: export-controls
// title: Capacity under a state's export controls
// description: For each product a state restricts (RESTRICTS edges in force in a year, on the
// description: product or on its whole family): the measures (legal acts), their kinds of control,
// description: the lowest share they let pass (a ban: 0), the target states (all_destinations when
// description: a measure - a RESTRICTS edge from the state to itself - covers exports to every
// description: other state), the capacity located in the restricting state, the capacity in
// description: service worldwide and the share the controls reach. A facility is in service when
// description: since <= year <= until, except a closed one without an end year and a planned one
// description: or one under construction without a start year.
// param: state string = "CN" -- the restricting state (ISO 3166-1 alpha-2 code)
// param: year year = 2025 -- only controls and facilities in force in this year
MATCH (:State {id: 'state:' + $state})-[r:RESTRICTS]->(target:State)
WHERE (r.since IS NULL OR r.since <= $year) AND (r.until IS NULL OR r.until >= $year)
MATCH (c:Commodity)
WHERE c.id = r.commodity OR c.family = r.commodity
WITH c, r, target ORDER BY target.id, r.since, r.measure
WITH c, collect(DISTINCT r.measure) AS measures, collect(DISTINCT r.control) AS controls,
     min(CASE WHEN r.control = 'ban' THEN 0.0 WHEN r.control IS NOT NULL THEN coalesce(r.pass_share, 1.0) END) AS passShare,
     [t IN collect(DISTINCT target.id) WHERE t <> 'state:' + $state | substring(t, 6)] AS targets,
     'state:' + $state IN collect(target.id) AS allDestinations
OPTIONAL MATCH (f:Node)
WHERE (f:Mine OR f:Refinery) AND f['cap_' + replace(c.id, '-', '_')] IS NOT NULL
  AND (f.since IS NULL OR f.since <= $year) AND (f.until IS NULL OR f.until >= $year)
  AND NOT (coalesce(f.status, '') = 'closed' AND f.until IS NULL)
  AND NOT (coalesce(f.status, '') IN ['planned', 'construction'] AND f.since IS NULL)
WITH c, measures, controls, passShare, targets, allDestinations, f ORDER BY f.id
WITH c, measures, controls, passShare, targets, allDestinations, f, coalesce(f['cap_' + replace(c.id, '-', '_')], 0) AS capacity
WITH c, measures, controls, passShare, targets, allDestinations,
     sum(CASE WHEN f.state = $state THEN capacity ELSE 0 END) AS restricted,
     sum(capacity) AS world,
     collect(CASE WHEN f.state = $state THEN f.id END) AS facilities
RETURN c.id AS commodity, c.family AS family, measures, controls, passShare AS min_pass_share,
       targets, allDestinations AS all_destinations,
       restricted AS restricted_capacity_tpa, world AS world_capacity_tpa,
       CASE WHEN world > 0 THEN round(toFloat(restricted) / world, 4) END AS restricted_share,
       facilities
ORDER BY restricted_capacity_tpa DESC, commodity;
