//go:build !js

// Command runtime is a size probe for js/wasm only; see main.go.
package main

func main() {}
