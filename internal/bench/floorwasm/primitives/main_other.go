//go:build !js

// Command primitives is a size probe for js/wasm only; see main.go.
package main

func main() {}
