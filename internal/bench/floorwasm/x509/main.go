//go:build js

// Command x509 is a size probe of scripts/size.sh -floor: the runtime and
// crypto/x509, which gotd's crypto package imports.
package main

import (
	"crypto/x509"
	"syscall/js"
)

func main() {
	_, err := x509.ParsePKCS1PublicKey([]byte(js.Global().Get("tgwasmFloor").String()))
	js.Global().Set("tgwasmFloor", err == nil)
}
