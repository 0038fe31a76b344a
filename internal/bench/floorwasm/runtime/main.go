//go:build js

// Command runtime is the first size floor of scripts/size.sh -floor: a Go
// program that touches syscall/js and nothing else.
package main

import "syscall/js"

func main() { js.Global().Set("tgwasmFloor", 1) }
