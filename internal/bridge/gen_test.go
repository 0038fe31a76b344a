package bridge

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"testing"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tdp"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

var constructors = func() []reflect.Type {
	var out []reflect.Type
	for _, mk := range tl.TypesConstructorMap() {
		out = append(out, reflect.TypeOf(mk()))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}()

// fill sets every field of v to a non-zero value (nested objects too) and
// sets the flags, so every optional field is present.
func fill(v reflect.Value, depth int, pick int) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32:
		v.SetInt(int64(7 + pick))
	case reflect.Int64:
		v.SetInt(1<<40 + int64(pick))
	case reflect.Float64:
		v.SetFloat(1.5)
	case reflect.String:
		v.SetString("s")
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte{1, 2, byte(pick)})
			return
		}
		if depth > 3 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1, pick)
		v.Set(s)
	case reflect.Interface:
		if depth > 3 {
			return
		}
		var impls []reflect.Type
		for _, c := range constructors {
			if c.Implements(v.Type()) {
				impls = append(impls, c)
			}
		}
		if len(impls) == 0 {
			return
		}
		p := reflect.New(impls[pick%len(impls)].Elem())
		fill(p.Elem(), depth+1, pick)
		v.Set(p)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[bin.Fields]() {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), depth, pick)
		}
		if sf, ok := v.Addr().Interface().(interface{ SetFlags() }); ok {
			sf.SetFlags()
		}
	}
}

// TestGeneratedMatchesTypeInfo checks the generated converters against the
// TypeInfo-driven oracle for every generated type, both empty and with
// every field set (each interface field trying several constructors).
func TestGeneratedMatchesTypeInfo(t *testing.T) {
	n := 0
	for _, c := range constructors {
		zero := reflect.New(c.Elem()).Interface()
		if specFor(zero.(interface{ TypeID() uint32 }).TypeID()) == nil {
			continue
		}
		n++
		if sf, ok := zero.(interface{ SetFlags() }); ok {
			sf.SetFlags()
		}
		require.Equal(t, reflectConvert(zero.(tdp.Object)), Convert(zero), "%s empty", c)
		for pick := 0; pick < 6; pick++ {
			full := reflect.New(c.Elem())
			fill(full.Elem(), 0, pick)
			require.Equal(t, reflectConvert(full.Interface().(tdp.Object)), Convert(full.Interface()), "%s filled (%d)", c, pick)
		}
	}
	require.Greater(t, n, 50, "generated types")
	for _, root := range []any{&tl.AuthSentCode{}, &tl.AuthSentCodeSuccess{}, &tl.AuthSentCodePaymentRequired{},
		&tl.AuthSentCodeTypeFirebaseSMS{}, &tl.AuthCodeTypeFragmentSMS{}, &tl.User{}, &tl.UserEmpty{}} {
		require.NotNil(t, specFor(root.(interface{ TypeID() uint32 }).TypeID()), "%T is in the table", root)
	}
}

// TestGeneratedIsCurrent regenerates convert_gen.go, the GramJS shim's
// schema and declarations, and what the API's table makes (the JS
// methods, their declarations, the docs' table of methods), and compares.
func TestGeneratedIsCurrent(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("runs the generator")
	}
	dir := t.TempDir()
	files := map[string]string{
		"convert_gen.go":                    filepath.Join(dir, "convert_gen.go"),
		"../../web/gramjs/schema.gen.js":    filepath.Join(dir, "schema.gen.js"),
		"../../web/gramjs/api.gen.d.ts":     filepath.Join(dir, "api.gen.d.ts"),
		"../../web/tgwasm/methods.gen.js":   filepath.Join(dir, "methods.gen.js"),
		"../../web/tgwasm/methods.gen.d.ts": filepath.Join(dir, "methods.gen.d.ts"),
		"../../docs/API.md":                 filepath.Join(dir, "API.md"),
	}
	// The docs' table is rewritten in a copy of docs/API.md.
	docs, err := os.ReadFile("../../docs/API.md")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(files["../../docs/API.md"], docs, 0o644))
	cmd := exec.Command("go", "run", "./gen", "-o", files["convert_gen.go"],
		"-js", files["../../web/gramjs/schema.gen.js"], "-dts", files["../../web/gramjs/api.gen.d.ts"],
		"-methods", files["../../web/tgwasm/methods.gen.js"], "-docs", files["../../docs/API.md"])
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Run())
	for committed, fresh := range files {
		want, err := os.ReadFile(fresh)
		require.NoError(t, err)
		got, err := os.ReadFile(committed)
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), "%s is stale: run go generate ./internal/bridge (the API's table is internal/bridge/methods.go)", committed)
	}
}
