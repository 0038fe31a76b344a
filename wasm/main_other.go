//go:build !js

// Command wasm is tgwasm's WebAssembly module; it only runs in a JS host.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "tgwasm: build this with GOOS=js GOARCH=wasm (see scripts/build.sh)")
	os.Exit(2)
}
