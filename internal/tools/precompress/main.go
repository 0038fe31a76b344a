// Command precompress writes FILE.gz (gzip -9) and FILE.br (brotli -q 11)
// next to each FILE and prints a size table, so that every machine produces
// the same artifacts without a brotli binary.
//
//	go run ./internal/tools/precompress dist/tgwasm.wasm dist/tgwasm.js
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress FILE...")
		os.Exit(2)
	}
	fmt.Printf("%-24s %12s %12s %12s\n", "file", "raw", "gzip -9", "brotli 11")
	for _, name := range os.Args[1:] {
		raw, gz, br, err := compress(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "precompress:", err)
			os.Exit(1)
		}
		fmt.Printf("%-24s %12d %12d %12d\n", filepath.Base(name), raw, gz, br)
	}
}

func compress(name string) (raw, gz, br int, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, 0, 0, err
	}
	var g bytes.Buffer
	zw, err := gzip.NewWriterLevel(&g, gzip.BestCompression)
	if err != nil {
		return 0, 0, 0, err
	}
	if _, err := zw.Write(data); err != nil {
		return 0, 0, 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, 0, 0, err
	}
	var b bytes.Buffer
	bw := brotli.NewWriterLevel(&b, brotli.BestCompression)
	if _, err := bw.Write(data); err != nil {
		return 0, 0, 0, err
	}
	if err := bw.Close(); err != nil {
		return 0, 0, 0, err
	}
	if err := os.WriteFile(name+".gz", g.Bytes(), 0o644); err != nil {
		return 0, 0, 0, err
	}
	if err := os.WriteFile(name+".br", b.Bytes(), 0o644); err != nil {
		return 0, 0, 0, err
	}
	return len(data), g.Len(), b.Len(), nil
}
