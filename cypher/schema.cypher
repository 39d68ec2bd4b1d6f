// Schema applied idempotently at start: one statement per paragraph.
// Every network node carries :Node plus its kind's label, and a unique business id.
CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT mine_id IF NOT EXISTS FOR (n:Mine) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT refinery_id IF NOT EXISTS FOR (n:Refinery) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT firm_id IF NOT EXISTS FOR (n:Firm) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT state_id IF NOT EXISTS FOR (n:State) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT coalition_id IF NOT EXISTS FOR (n:Coalition) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT commodity_id IF NOT EXISTS FOR (c:Commodity) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT meta_id IF NOT EXISTS FOR (m:Meta) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT scenario_name IF NOT EXISTS FOR (s:Scenario) REQUIRE s.name IS UNIQUE;
CREATE INDEX node_state IF NOT EXISTS FOR (n:Node) ON (n.state);
CREATE INDEX node_name IF NOT EXISTS FOR (n:Node) ON (n.name);
CREATE INDEX commodity_family IF NOT EXISTS FOR (c:Commodity) ON (c.family);
CREATE INDEX supplies_commodity IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.commodity);
CREATE INDEX offtake_commodity IF NOT EXISTS FOR ()-[r:OFFTAKE]-() ON (r.commodity);
