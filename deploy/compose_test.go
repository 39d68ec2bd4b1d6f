package deploy_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
)

const (
	composeFile = "../docker-compose.yml"
	dockerfile  = "../Dockerfile"
	testSecret  = "s3cret-from-the-environment"
)

// loadCompose loads the compose file with the Compose specification's own loader (interpolation,
// schema validation, normalisation and consistency checks), using only env for variables: no OS
// environment and no .env file, so the result does not depend on the machine running the test.
func loadCompose(t *testing.T, env ...string) (*types.Project, error) {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{composeFile},
		cli.WithWorkingDirectory(".."),
		cli.WithEnv(env),
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		t.Fatalf("compose options: %v", err)
	}
	return opts.LoadProject(context.Background())
}

func mustLoad(t *testing.T) *types.Project {
	t.Helper()
	p, err := loadCompose(t, "NEO4J_PASSWORD="+testSecret)
	if err != nil {
		t.Fatalf("load %s: %v", composeFile, err)
	}
	return p
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, err := p.GetService(name)
	if err != nil {
		t.Fatalf("service %q: %v (services: %v)", name, err, p.ServiceNames())
	}
	return s
}

func env(s types.ServiceConfig, key string) (string, bool) {
	v, ok := s.Environment[key]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

func TestComposeNeedsPassword(t *testing.T) {
	_, err := loadCompose(t)
	if err == nil {
		t.Fatal("loading without NEO4J_PASSWORD succeeded; want a required-variable error")
	}
	// The loader joins one error per interpolated field and does not always wrap the typed
	// error, so accept either the type or its message.
	want := template.MissingRequiredError{Variable: "NEO4J_PASSWORD"}.Error()
	var missing template.MissingRequiredError
	if errors.As(err, &missing) {
		if missing.Variable != "NEO4J_PASSWORD" {
			t.Errorf("missing variable = %q, want NEO4J_PASSWORD (error: %v)", missing.Variable, err)
		}
	} else if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
	// Both uses must be required: Neo4j's NEO4J_AUTH and chokepoint's NEO4J_PASSWORD.
	for _, field := range []string{"neo4j.environment.NEO4J_AUTH", "chokepoint-1.environment.NEO4J_PASSWORD", "chokepoint-2.environment.NEO4J_PASSWORD"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error does not flag %s as missing NEO4J_PASSWORD:\n%v", field, err)
		}
	}
	// An empty value is as bad as none (${VAR:?} rejects both).
	if _, err := loadCompose(t, "NEO4J_PASSWORD="); err == nil {
		t.Error("loading with an empty NEO4J_PASSWORD succeeded")
	}
}

func TestComposeServices(t *testing.T) {
	p := mustLoad(t)
	names := p.ServiceNames()
	slices.Sort(names)
	if !slices.Equal(names, []string{"chokepoint-1", "chokepoint-2", "lb", "neo4j"}) {
		t.Errorf("services = %v, want [chokepoint-1 chokepoint-2 lb neo4j]", names)
	}
}

func TestComposeNeo4j(t *testing.T) {
	p := mustLoad(t)
	s := service(t, p, "neo4j")

	if s.Image != "neo4j:5.26-community" {
		t.Errorf("neo4j image = %q, want neo4j:5.26-community", s.Image)
	}
	if got, _ := env(s, "NEO4J_AUTH"); got != "neo4j/"+testSecret {
		t.Errorf("NEO4J_AUTH = %q, want neo4j/<NEO4J_PASSWORD from the environment>", got)
	}
	for _, k := range []string{"NEO4J_server_memory_heap_max__size", "NEO4J_server_memory_pagecache_size"} {
		if v, ok := env(s, k); !ok || v == "" {
			t.Errorf("%s not set: Neo4j memory would be sized from the host", k)
		}
	}

	// Healthcheck: present, enabled, and a real probe of the server.
	hc := s.HealthCheck
	if hc == nil || hc.Disable || len(hc.Test) < 2 || hc.Test[0] == "NONE" {
		t.Fatalf("neo4j healthcheck = %+v, want an enabled test", hc)
	}
	probe := strings.Join(hc.Test[1:], " ")
	if !strings.Contains(probe, "cypher-shell") && !strings.Contains(probe, "7474") {
		t.Errorf("neo4j healthcheck %q neither runs cypher-shell nor probes port 7474", probe)
	}
	if strings.Contains(probe, testSecret) {
		t.Errorf("neo4j healthcheck embeds the password at load time: %q", probe)
	}

	// /data on a named volume declared at the top level.
	var data *types.ServiceVolumeConfig
	for i, v := range s.Volumes {
		if v.Target == "/data" {
			data = &s.Volumes[i]
		}
	}
	if data == nil {
		t.Fatalf("neo4j has no volume at /data (volumes: %+v)", s.Volumes)
	}
	if data.Type != types.VolumeTypeVolume {
		t.Errorf("/data is a %q mount, want a named volume", data.Type)
	}
	if _, ok := p.Volumes[data.Source]; !ok {
		t.Errorf("/data volume %q is not declared under top-level volumes (%v)", data.Source, p.VolumeNames())
	}
}

// replicas are the service instances the compose file runs behind its load balancer.
var replicas = []string{"chokepoint-1", "chokepoint-2"}

// TestComposeReplicas: two replicas on the one Neo4j, started one after the other (their imports
// at start never race), behind a load balancer that publishes 8080 and sends to both.
func TestComposeReplicas(t *testing.T) {
	p := mustLoad(t)
	one, two := service(t, p, "chokepoint-1"), service(t, p, "chokepoint-2")
	if one.Image != two.Image || one.Image == "" {
		t.Errorf("replicas run images %q and %q, want the same", one.Image, two.Image)
	}
	for _, k := range []string{"NEO4J_URI", "NEO4J_DATABASE", "CHOKEPOINT_DATA", "CHOKEPOINT_ADDR"} {
		if a, _ := env(one, k); a != func() string { b, _ := env(two, k); return b }() {
			t.Errorf("replicas differ in %s", k)
		}
	}
	if dep, ok := two.DependsOn["chokepoint-1"]; !ok || dep.Condition != types.ServiceConditionHealthy {
		t.Errorf("chokepoint-2 does not wait for chokepoint-1 to be healthy (depends_on: %+v)", two.DependsOn)
	}

	lb := service(t, p, "lb")
	for _, name := range replicas {
		if dep, ok := lb.DependsOn[name]; !ok || dep.Condition != types.ServiceConditionHealthy {
			t.Errorf("lb does not wait for %s to be healthy (depends_on: %+v)", name, lb.DependsOn)
		}
	}
	published := false
	for _, port := range lb.Ports {
		if port.Target == 8080 && port.Published == "8080" && (port.Protocol == "" || port.Protocol == "tcp") {
			published = true
		}
	}
	if !published {
		t.Errorf("lb does not publish 8080:8080 (ports: %+v)", lb.Ports)
	}
	if hc := lb.HealthCheck; hc == nil || hc.Disable || !strings.Contains(strings.Join(hc.Test, " "), ":8080/") {
		t.Errorf("lb healthcheck = %+v, want a probe through port 8080", hc)
	}
	if lb.Restart != types.RestartPolicyUnlessStopped {
		t.Errorf("lb restart = %q", lb.Restart)
	}

	// Its configuration: mounted from deploy/, sending to both replicas' port 8080.
	conf := ""
	for _, v := range lb.Volumes {
		if strings.HasPrefix(v.Target, "/etc/nginx/") {
			conf = v.Source
			if !v.ReadOnly {
				t.Errorf("%s is mounted writable", v.Source)
			}
		}
	}
	data, err := os.ReadFile(conf)
	if err != nil {
		t.Fatalf("lb configuration %q: %v (volumes: %+v)", conf, err, lb.Volumes)
	}
	servers := regexp.MustCompile(`(?m)^\s*server\s+([a-z0-9.-]+:[0-9]+)`).FindAllStringSubmatch(string(data), -1)
	var upstream []string
	for _, m := range servers {
		upstream = append(upstream, m[1])
	}
	if !slices.Equal(upstream, []string{"chokepoint-1:8080", "chokepoint-2:8080"}) {
		t.Errorf("upstream servers %v, want both replicas on 8080", upstream)
	}
	for _, want := range []string{"listen 8080;", "proxy_pass http://chokepoint;", "client_max_body_size 64m;", "X-Forwarded-For"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %q", conf, want)
		}
	}
}

func TestComposeChokepoint(t *testing.T) {
	for _, name := range replicas {
		t.Run(name, func(t *testing.T) { checkReplica(t, name) })
	}
}

// checkReplica checks one replica: built from the repository, on Neo4j once it is healthy, probed
// on /readyz, reachable only through the load balancer.
func checkReplica(t *testing.T, name string) {
	p := mustLoad(t)
	s := service(t, p, name)

	// Built from the repository's Dockerfile.
	if s.Build == nil {
		t.Fatal("chokepoint has no build section")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Clean(s.Build.Context) != root {
		t.Errorf("build context = %q, want the repository root %q", s.Build.Context, root)
	}
	if df := s.Build.Dockerfile; df != "" && df != "Dockerfile" && filepath.Clean(df) != filepath.Join(root, "Dockerfile") {
		t.Errorf("build dockerfile = %q, want Dockerfile", df)
	}

	// Starts only once Neo4j is healthy.
	dep, ok := s.DependsOn["neo4j"]
	if !ok {
		t.Fatalf("chokepoint does not depend on neo4j (depends_on: %+v)", s.DependsOn)
	}
	if dep.Condition != types.ServiceConditionHealthy {
		t.Errorf("depends_on neo4j condition = %q, want %q", dep.Condition, types.ServiceConditionHealthy)
	}

	// Wiring to Neo4j and the dataset.
	want := map[string]string{
		"NEO4J_URI":       "bolt://neo4j:7687",
		"NEO4J_USERNAME":  "neo4j",
		"NEO4J_PASSWORD":  testSecret,
		"CHOKEPOINT_DATA": "bundled",
		"CHOKEPOINT_ADDR": "0.0.0.0:8080",
	}
	for k, w := range want {
		if got, ok := env(s, k); !ok || got != w {
			t.Errorf("environment %s = %q (set: %v), want %q", k, got, ok, w)
		}
	}
	// The API key comes from the environment only: empty (endpoints refuse) when unset.
	if got, _ := env(s, "CHOKEPOINT_API_KEY"); got != "" {
		t.Errorf("CHOKEPOINT_API_KEY = %q without CHOKEPOINT_API_KEY in the environment; want no default", got)
	}
	if p2, err := loadCompose(t, "NEO4J_PASSWORD=x", "CHOKEPOINT_API_KEY=k3y"); err != nil {
		t.Errorf("load with CHOKEPOINT_API_KEY: %v", err)
	} else if got, _ := env(service(t, p2, name), "CHOKEPOINT_API_KEY"); got != "k3y" {
		t.Errorf("CHOKEPOINT_API_KEY = %q, want it interpolated from the environment", got)
	}
	// NEO4J_URI's host must be the neo4j service (and its Bolt port).
	uri, _ := env(s, "NEO4J_URI")
	if host := strings.TrimPrefix(uri, "bolt://"); host != "neo4j:7687" {
		t.Errorf("NEO4J_URI %q does not point at the neo4j service's Bolt port", uri)
	}

	// Readiness healthcheck.
	hc := s.HealthCheck
	if hc == nil || hc.Disable || len(hc.Test) < 2 {
		t.Fatalf("chokepoint healthcheck = %+v, want an enabled test", hc)
	}
	if probe := strings.Join(hc.Test[1:], " "); !strings.Contains(probe, ":8080/readyz") {
		t.Errorf("chokepoint healthcheck %q does not probe :8080/readyz", probe)
	}

	// Reached through the load balancer only.
	if len(s.Ports) != 0 {
		t.Errorf("%s publishes %+v: only the load balancer should", name, s.Ports)
	}

	if s.Restart != types.RestartPolicyUnlessStopped {
		t.Errorf("restart = %q, want %q", s.Restart, types.RestartPolicyUnlessStopped)
	}
}

// instruction is one Dockerfile instruction: keyword (upper case) and its arguments, with
// line continuations joined and comments dropped.
type instruction struct {
	keyword, args string
	line          int
}

func readDockerfile(t *testing.T) []instruction {
	t.Helper()
	f, err := os.Open(dockerfile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []instruction
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() > 0 && strings.HasPrefix(line, "#") {
			continue // comment inside a continued instruction
		}
		if cur.Len() == 0 {
			start = n
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		kw, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{strings.ToUpper(kw), strings.Join(strings.Fields(args), " "), start})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := readDockerfile(t)

	// Split into stages; the last FROM is the runtime image.
	var stages [][]instruction
	for _, in := range ins {
		if in.keyword == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], in)
		}
	}
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stage(s), want a multi-stage build", len(stages))
	}
	runtime := stages[len(stages)-1]

	built := false
	for _, st := range stages[:len(stages)-1] {
		for _, in := range st {
			if in.keyword == "RUN" && strings.Contains(in.args, "go build") && strings.Contains(in.args, "./cmd/chokepoint") {
				built = true
				if !strings.Contains(in.args, "-X main.version=") {
					t.Errorf("line %d: go build does not stamp main.version", in.line)
				}
			}
		}
	}
	if !built {
		t.Error("no builder stage runs go build ./cmd/chokepoint")
	}

	var user string
	exposes8080, copiesBinary, healthcheck := false, false, ""
	for _, in := range runtime {
		switch in.keyword {
		case "USER":
			user = in.args
		case "EXPOSE":
			for _, p := range strings.Fields(in.args) {
				if p == "8080" || p == "8080/tcp" {
					exposes8080 = true
				}
			}
		case "COPY":
			if strings.Contains(in.args, "--from=") && strings.Contains(in.args, "chokepoint") {
				copiesBinary = true
			}
		case "HEALTHCHECK":
			healthcheck = in.args
		}
	}
	name, _, _ := strings.Cut(user, ":")
	if name == "" || name == "root" || name == "0" {
		t.Errorf("runtime stage USER = %q, want a non-root user", user)
	}
	if !exposes8080 {
		t.Error("runtime stage does not EXPOSE 8080")
	}
	if !copiesBinary {
		t.Error("runtime stage does not copy the chokepoint binary from the builder")
	}
	if healthcheck != "" && !strings.Contains(healthcheck, "/readyz") && !strings.Contains(healthcheck, "/healthz") {
		t.Errorf("HEALTHCHECK %q probes neither /readyz nor /healthz", healthcheck)
	}
}
