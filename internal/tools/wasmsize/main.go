// Command wasmsize prints what links into a Go wasm binary: the size of each
// section and the code section's bytes per package (from the name section,
// so build without -s -w).
//
//	GOOS=js GOARCH=wasm go build -o /tmp/t.wasm ./wasm
//	go run ./internal/tools/wasmsize -top 30 /tmp/t.wasm
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("top", 40, "packages to list")
	symbols := flag.String("symbols", "", "list the largest functions of packages with this prefix instead")
	depth := flag.Int("depth", 0, "group packages by their first N path elements (0: whole path)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-top N] [-depth N] FILE.wasm")
		os.Exit(2)
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	m, err := parse(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()

	fmt.Fprintf(w, "%-28s %12s\n", "section", "bytes")
	for _, s := range m.sections {
		fmt.Fprintf(w, "%-28s %12d\n", s.name, s.size)
	}
	fmt.Fprintf(w, "%-28s %12d\n\n", "total", len(data))

	if len(m.names) == 0 {
		fmt.Fprintln(w, "no name section: build without -ldflags=-s to see packages")
		return
	}
	if *symbols != "" {
		type fn struct {
			name string
			size int
		}
		var fns []fn
		for i, size := range m.bodies {
			name := m.names[m.imported+i]
			if strings.HasPrefix(pkgOf(name, 0), *symbols) {
				fns = append(fns, fn{name, size})
			}
		}
		sort.Slice(fns, func(i, j int) bool { return fns[i].size > fns[j].size })
		for i, f := range fns {
			if i == *top {
				break
			}
			fmt.Fprintf(w, "%8d %s\n", f.size, f.name)
		}
		fmt.Fprintf(w, "%d functions\n", len(fns))
		return
	}
	perPkg := map[string]int{}
	total := 0
	for i, size := range m.bodies {
		name := m.names[m.imported+i]
		perPkg[pkgOf(name, *depth)] += size
		total += size
	}
	type row struct {
		pkg  string
		size int
	}
	rows := make([]row, 0, len(perPkg))
	for p, s := range perPkg {
		rows = append(rows, row{p, s})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].size > rows[j].size })
	fmt.Fprintf(w, "%-60s %10s %6s\n", "package (code section)", "bytes", "%")
	for i, r := range rows {
		if i == *top {
			rest := 0
			for _, r := range rows[i:] {
				rest += r.size
			}
			fmt.Fprintf(w, "%-60s %10d %5.1f%%\n", fmt.Sprintf("(%d more)", len(rows)-i), rest, 100*float64(rest)/float64(total))
			break
		}
		fmt.Fprintf(w, "%-60s %10d %5.1f%%\n", r.pkg, r.size, 100*float64(r.size)/float64(total))
	}
	fmt.Fprintf(w, "%-60s %10d\n", "code total", total)
}

// pkgOf returns the package of a symbol from the wasm name section, where
// Go writes "/" as "_": "github.com_gotd_td_tg.(*User).DecodeBare" →
// "github.com/gotd/td/tg", "runtime.mallocgc" → "runtime". With depth > 0
// the package is cut to its first depth path elements.
func pkgOf(sym string, depth int) string {
	start := 0
	if i := strings.Index(sym, "_"); i > 0 && isHost(sym[:i]) {
		start = i // skip the host name's dots (github.com_…)
	}
	pkg := sym
	if dot := strings.IndexByte(sym[start:], '.'); dot >= 0 {
		pkg = sym[:start+dot]
	}
	pkg = strings.ReplaceAll(pkg, "_", "/")
	if depth > 0 {
		parts := strings.Split(pkg, "/")
		if len(parts) > depth {
			pkg = strings.Join(parts[:depth], "/")
		}
	}
	return pkg
}

// isHost reports whether s looks like "github.com" or "go.opentelemetry.io".
func isHost(s string) bool {
	if !strings.Contains(s, ".") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

type section struct {
	name string
	size int
}

type module struct {
	sections []section
	imported int
	bodies   []int
	names    map[int]string
}

var sectionNames = map[byte]string{1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
	7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}

func parse(data []byte) (*module, error) {
	if len(data) < 8 || !bytes.Equal(data[:4], []byte("\x00asm")) {
		return nil, errors.New("not a wasm binary")
	}
	m := &module{names: map[int]string{}}
	r := bytes.NewReader(data[8:])
	for r.Len() > 0 {
		id, _ := r.ReadByte()
		size, err := uleb(r)
		if err != nil {
			return nil, err
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(r, body); err != nil {
			return nil, err
		}
		name := sectionNames[id]
		br := bytes.NewReader(body)
		switch id {
		case 0:
			n, _ := str(br)
			name = "custom " + n
			if n == "name" {
				m.readNames(br)
			}
		case 2:
			m.imported = countImportedFuncs(br)
		case 10:
			count, _ := uleb(br)
			for i := 0; i < int(count); i++ {
				sz, err := uleb(br)
				if err != nil {
					return nil, err
				}
				m.bodies = append(m.bodies, int(sz))
				if _, err := br.Seek(int64(sz), io.SeekCurrent); err != nil {
					return nil, err
				}
			}
		}
		m.sections = append(m.sections, section{name, int(size)})
	}
	return m, nil
}

func (m *module) readNames(r *bytes.Reader) {
	for r.Len() > 0 {
		id, err := r.ReadByte()
		if err != nil {
			return
		}
		size, _ := uleb(r)
		sub := make([]byte, size)
		if _, err := io.ReadFull(r, sub); err != nil {
			return
		}
		if id != 1 {
			continue
		}
		sr := bytes.NewReader(sub)
		count, _ := uleb(sr)
		for i := 0; i < int(count); i++ {
			idx, _ := uleb(sr)
			name, _ := str(sr)
			m.names[int(idx)] = name
		}
	}
}

func countImportedFuncs(r *bytes.Reader) int {
	count, _ := uleb(r)
	funcs := 0
	for i := 0; i < int(count); i++ {
		_, _ = str(r) // module
		_, _ = str(r) // field
		kind, _ := r.ReadByte()
		switch kind {
		case 0: // func: type index
			_, _ = uleb(r)
			funcs++
		case 1: // table: elemtype, limits
			_, _ = r.ReadByte()
			limits(r)
		case 2: // memory
			limits(r)
		case 3: // global: valtype, mut
			_, _ = r.ReadByte()
			_, _ = r.ReadByte()
		}
	}
	return funcs
}

func limits(r *bytes.Reader) {
	flag, _ := r.ReadByte()
	_, _ = uleb(r)
	if flag&1 != 0 {
		_, _ = uleb(r)
	}
}

func str(r *bytes.Reader) (string, error) {
	n, err := uleb(r)
	if err != nil {
		return "", err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return string(b), nil
}

func uleb(r *bytes.Reader) (uint64, error) {
	var v uint64
	var shift uint
	for {
		b, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		v |= uint64(b&0x7f) << shift
		if b&0x80 == 0 {
			return v, nil
		}
		shift += 7
	}
}
