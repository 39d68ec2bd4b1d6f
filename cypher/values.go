package cypher

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// NodeValue is a Neo4j node in a result. ID is the node's business id (its id property); a node
// without one carries its Neo4j element id in ElementID instead.
type NodeValue struct {
	ID         string         `json:"id,omitempty"`
	ElementID  string         `json:"element_id,omitempty"`
	Labels     []string       `json:"labels"`
	Properties map[string]any `json:"properties"`
}

// RelationshipValue is a Neo4j relationship in a result. Start and End name its end nodes the way
// NodeValue does: by business id, or by element id for a node without one.
type RelationshipValue struct {
	Type       string         `json:"type"`
	Start      string         `json:"start"`
	End        string         `json:"end"`
	Properties map[string]any `json:"properties"`
}

// PathValue is a Neo4j path in a result: its nodes in order and the relationships between them.
type PathValue struct {
	Nodes         []NodeValue         `json:"nodes"`
	Relationships []RelationshipValue `json:"relationships"`
}

// PointValue is a Neo4j spatial point in a result; Z is set for 3D points only.
type PointValue struct {
	SRID uint32   `json:"srid"`
	X    float64  `json:"x"`
	Y    float64  `json:"y"`
	Z    *float64 `json:"z,omitempty"`
}

// values turns the values of result rows into plain values that encode as JSON: nil, bool,
// int64, float64, string, []any, map[string]any, NodeValue, RelationshipValue, PathValue and
// PointValue. Temporal values become ISO-8601 strings, byte arrays base64 strings, and NaN and
// the infinities the strings "NaN", "Infinity" and "-Infinity". Relationship ends are named by
// the business ids of their nodes, looked up in tx for nodes the rows do not hold.
func values(ctx context.Context, tx neo4j.ManagedTransaction, rows [][]any) ([][]any, error) {
	ids, ends := map[string]string{}, map[string]bool{}
	for _, row := range rows {
		for _, v := range row {
			collectNodes(v, ids, ends)
		}
	}
	var missing []any
	for e := range ends {
		if _, ok := ids[e]; !ok {
			missing = append(missing, e)
		}
	}
	if len(missing) > 0 {
		res, err := tx.Run(ctx, "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n), n.id", map[string]any{"ids": missing})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			ids[res.Record().Values[0].(string)] = nodeName(res.Record().Values[0].(string), res.Record().Values[1])
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
	}
	out := make([][]any, len(rows))
	for i, row := range rows {
		out[i] = make([]any, len(row))
		for j, v := range row {
			out[i][j] = plain(v, ids)
		}
	}
	return out, nil
}

// collectNodes records the name of every node inside v, by element id, and the element ids of
// relationship ends.
func collectNodes(v any, ids map[string]string, ends map[string]bool) {
	switch x := v.(type) {
	case dbtype.Node:
		ids[x.ElementId] = nodeName(x.ElementId, x.Props["id"])
	case dbtype.Relationship:
		ends[x.StartElementId], ends[x.EndElementId] = true, true
	case dbtype.Path:
		for _, n := range x.Nodes {
			collectNodes(n, ids, ends)
		}
	case []any:
		for _, e := range x {
			collectNodes(e, ids, ends)
		}
	case map[string]any:
		for _, e := range x {
			collectNodes(e, ids, ends)
		}
	}
}

// nodeName is how results name a node: its id property when it is a string, else its element id.
func nodeName(elementID string, id any) string {
	if s, ok := id.(string); ok {
		return s
	}
	return elementID
}

func plain(v any, ids map[string]string) any {
	switch x := v.(type) {
	case float64:
		switch {
		case math.IsNaN(x):
			return "NaN"
		case math.IsInf(x, 1):
			return "Infinity"
		case math.IsInf(x, -1):
			return "-Infinity"
		}
		return x
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e, ids)
		}
		return out
	case map[string]any:
		return plainMap(x, ids)
	case dbtype.Node:
		n := NodeValue{Labels: slices.Sorted(slices.Values(x.Labels)), Properties: plainMap(x.Props, ids)}
		if id, ok := x.Props["id"].(string); ok {
			n.ID = id
		} else {
			n.ElementID = x.ElementId
		}
		return n
	case dbtype.Relationship:
		return RelationshipValue{Type: x.Type, Start: ids[x.StartElementId], End: ids[x.EndElementId], Properties: plainMap(x.Props, ids)}
	case dbtype.Path:
		p := PathValue{Nodes: []NodeValue{}, Relationships: []RelationshipValue{}}
		for _, n := range x.Nodes {
			p.Nodes = append(p.Nodes, plain(n, ids).(NodeValue))
		}
		for _, r := range x.Relationships {
			p.Relationships = append(p.Relationships, plain(r, ids).(RelationshipValue))
		}
		return p
	case dbtype.Point2D:
		return PointValue{SRID: x.SpatialRefId, X: x.X, Y: x.Y}
	case dbtype.Point3D:
		return PointValue{SRID: x.SpatialRefId, X: x.X, Y: x.Y, Z: &x.Z}
	case dbtype.Date, dbtype.LocalTime, dbtype.Time, dbtype.LocalDateTime:
		return x.(fmt.Stringer).String()
	case time.Time:
		return isoDateTime(x)
	case dbtype.Duration:
		return isoDuration(x)
	}
	return v // nil, bool, int64, string
}

func plainMap(m map[string]any, ids map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = plain(v, ids)
	}
	return out
}

// isoDateTime formats a zoned date-time as ISO-8601 with its offset, followed by the zone's name
// in brackets when it has one, as Neo4j prints it: 2024-01-02T03:04:05+01:00[Europe/Paris].
func isoDateTime(t time.Time) string {
	s := t.Format("2006-01-02T15:04:05.999999999Z07:00")
	if zone := t.Location().String(); zone != "Offset" && zone != "UTC" && zone != "Local" {
		s += "[" + zone + "]"
	}
	return s
}

// isoDuration formats a duration as ISO-8601 in Neo4j's units, months, days and seconds:
// P14M3DT14706.5S.
func isoDuration(d dbtype.Duration) string {
	s := d.String() // P14M3DT14706.500000000S
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimSuffix(s, "S"), "0") + "S"
	}
	return s
}

// plainNumbers turns json.Number values inside v (decoded with UseNumber) into int64 when they
// are integers and float64 otherwise, so that Cypher sees integers as integers.
func plainNumbers(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i, nil
		}
		return x.Float64()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = plainNumbers(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var err error
			if out[k], err = plainNumbers(e); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}

// jsonSize estimates the size of v as JSON once made plain (see values), in bytes, without
// encoding it: exact for numbers and plain strings, close for the rest.
func jsonSize(v any) int {
	switch x := v.(type) {
	case nil:
		return 4
	case bool:
		return 5
	case int64:
		return len(strconv.FormatInt(x, 10)) + 1
	case float64:
		return len(strconv.FormatFloat(x, 'g', -1, 64)) + 1
	case string:
		return len(x) + 3
	case []byte:
		return base64.StdEncoding.EncodedLen(len(x)) + 3
	case []any:
		n := 2
		for _, e := range x {
			n += jsonSize(e)
		}
		return n
	case map[string]any:
		n := 2
		for k, e := range x {
			n += len(k) + 4 + jsonSize(e)
		}
		return n
	case dbtype.Node:
		n := 64 + jsonSize(x.Props)
		for _, l := range x.Labels {
			n += len(l) + 3
		}
		return n
	case dbtype.Relationship:
		return 64 + len(x.Type) + jsonSize(x.Props)
	case dbtype.Path:
		n := 32
		for _, e := range x.Nodes {
			n += jsonSize(e)
		}
		for _, e := range x.Relationships {
			n += jsonSize(e)
		}
		return n
	}
	return 48 // points, temporal values
}
