// Package deploy holds the tests that statically check the container deployment files (Dockerfile, docker-compose.yml) at the repository root.
package deploy
