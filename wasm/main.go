//go:build js

// Command wasm is tgwasm's WebAssembly module. web/tgwasm/runtime/program.js runs it with
// one argument, the name of a private global through which it receives the
// module object (internal/bridge.Module); the global is deleted on receipt.
// The program stays alive until the client is closed.
package main

import (
	"os"
	"syscall/js"

	"github.com/tgwasm/tgwasm/internal/bridge"
)

func main() {
	if len(os.Args) < 2 {
		println("tgwasm: started without a hand-off name; load it with tgwasm.js")
		return
	}
	handoff := js.Global().Get(os.Args[1])
	if handoff.Type() != js.TypeFunction {
		println("tgwasm: no hand-off function named", os.Args[1])
		return
	}
	m := bridge.NewModule()
	handoff.Invoke(m.Value())
	<-m.Done()
}
