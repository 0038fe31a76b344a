//go:build js

// Command nethttp is a size probe of scripts/size.sh -floor: the runtime
// and one net/http value, as nhooyr.io/websocket's js Dial returns one
// (net/http's package init links the TLS client).
package main

import (
	"net/http"
	"syscall/js"
)

func main() {
	var r http.Response
	js.Global().Set("tgwasmFloor", r.StatusCode)
}
