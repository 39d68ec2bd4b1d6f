package main

import "context"

func runReport(ctx context.Context, env *cli, args []string) error { return usageError{"not yet"} }
func runCypher(ctx context.Context, env *cli, args []string) error { return usageError{"not yet"} }
