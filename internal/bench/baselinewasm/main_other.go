//go:build !js

// Command baselinewasm is a benchmark-only wasm; see main.go.
package main

func main() { println("baselinewasm: build with GOOS=js GOARCH=wasm (scripts/bench.sh)") }
