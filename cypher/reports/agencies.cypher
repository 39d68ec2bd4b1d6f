// name: agencies
// title: State agencies and what they own or buy
// description: Firms of the given types (agencies such as JOGMEC or the US Department of Defense,
// description: by default) and, in a year, every firm and facility they own directly or through
// description: chains of OWNS edges (up to eight links), with the effective share (the product
// description: of the shares along each chain, summed over chains), and every offtake they hold.
// param: types list<string> = ["agency"] -- firm_type values to list (agency, fund, soe, company)
// param: state string = null -- only agencies headquartered in this state (ISO code); null for all
// param: year year = 2025 -- only ownership, offtakes and nodes in force in this year
MATCH (a:Firm)
WHERE a.firm_type IN $types AND ($state IS NULL OR a.state = $state)
  AND (a.since IS NULL OR a.since <= $year) AND (a.until IS NULL OR a.until >= $year)
CALL (a) {
  MATCH p = (a)-[:OWNS*1..8]->(e:Node)
  WHERE all(x IN nodes(p)[1..] + relationships(p) WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
  WITH e, reduce(s = 1.0, r IN relationships(p) | s * r.share) AS share,
       reduce(s = '', n IN nodes(p) | s + CASE WHEN s = '' THEN '' ELSE ' → ' END + n.id) AS chain
  WITH e, sum(share) AS share, collect(chain) AS chains
  RETURN 'owns' AS relation, e, share, null AS commodity, null AS volume_tpa, chains
  UNION ALL
  MATCH (e:Node)-[r:OFFTAKE]->(a)
  WHERE all(x IN [e, r] WHERE (x.since IS NULL OR x.since <= $year) AND (x.until IS NULL OR x.until >= $year))
  RETURN 'offtake' AS relation, e, r.share AS share, r.commodity AS commodity, coalesce(r['volume_' + toString($year)], r.volume_tpa) AS volume_tpa, [] AS chains
}
RETURN a.id AS agency, a.name AS agency_name, a.state AS agency_state, relation, e.id AS entity, e.name AS entity_name,
       toLower([l IN labels(e) WHERE l <> 'Node'][0]) AS entity_kind, e.state AS entity_state,
       round(share, 6) AS share, commodity, volume_tpa, chains
ORDER BY agency, relation DESC, share DESC, entity;
