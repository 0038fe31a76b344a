//go:build !js

// Command kexwasm is a benchmark-only wasm; see main.go.
package main

func main() { println("kexwasm: build with GOOS=js GOARCH=wasm (scripts/bench.sh)") }
