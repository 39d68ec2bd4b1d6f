// name: changes
// title: What changed between two years
// description: Nodes and edges that came into service after the first year and by the second
// description: ("started": since in from+1..to) or left service from the first year on and before
// description: the second ("ended": until, their last year in service, in from..to-1). Edges of
// description: every kind: ownership, operation, offtake, supply, export controls (a measure
// description: from a state to itself covers exports to every other state), financing deals
// description: (started in the deal's year) and coalition membership. One row per change, by
// description: year; the detail gives the commodity, share, volume in that year, control and
// description: measure, or the deal's instrument and amount.
// param: from year = 2010 -- the earlier year
// param: to year = 2025 -- the later year
CALL {
  MATCH (n:Node)
  UNWIND [['started', n.since], ['ended', n.until]] AS change
  WITH n, change[0] AS change, change[1] AS year
  WHERE (change = 'started' AND year > $from AND year <= $to) OR (change = 'ended' AND year >= $from AND year < $to)
  RETURN year, change, toLower([l IN labels(n) WHERE l <> 'Node'][0]) AS kind, n.id AS id, n.name AS name,
         n.state AS state, n.status AS detail
  UNION ALL
  MATCH (a:Node)-[r:OWNS|OPERATES|OFFTAKE|SUPPLIES|RESTRICTS|FINANCES|MEMBER]->(b:Node)
  UNWIND [['started', r.since], ['ended', r.until]] AS change
  WITH a, r, b, change[0] AS change, change[1] AS year
  WHERE (change = 'started' AND year > $from AND year <= $to) OR (change = 'ended' AND year >= $from AND year < $to)
  RETURN year, change, toLower(type(r)) AS kind, a.id + ' → ' + b.id AS id,
         a.name + ' → ' + CASE WHEN a = b THEN 'every other state' ELSE b.name END AS name,
         a.state AS state,
         trim(coalesce(r.commodity, '') + coalesce(' share ' + toString(r.share), '')
              + coalesce(' ' + toString(coalesce(r['volume_' + toString(year)], r.volume_tpa)) + ' t/yr', '')
              + coalesce(' ' + r.control, '') + coalesce(' pass ' + toString(r.pass_share), '') + coalesce(' ' + r.measure, '')
              + coalesce(' ' + r.instrument, '') + coalesce(' ' + toString(r.amount) + 'm ' + r.currency, '')
              + coalesce(CASE WHEN coalesce(r.currency, '') <> 'USD' THEN ' (' + toString(r.amount_usd) + 'm USD)' END, '')) AS detail
}
RETURN year, change, kind, id, name, state, detail
ORDER BY year, change DESC, kind, id, detail;
