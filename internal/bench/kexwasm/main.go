//go:build js

// Command kexwasm is a benchmark-only wasm for scripts/bench.sh: it runs a
// cold key exchange against a DC, with this repository's internal/kex or
// with gotd's exchange package, and reports the client's CPU time (the
// wall time minus the time spent waiting for the DC's answers).
//
//	globalThis.__tgwasmKexBench.run(impl, url, dc, pem, modPow?) → Promise<{ totalMs, waitMs, cpuMs }>
//
// impl is "tgwasm" (internal/kex; with modPow, the JS engine's BigInt does
// the exponentiations as in the shipped module) or "gotd".
package main

import (
	"context"
	"syscall/js"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/crypto"
	"github.com/gotd/td/exchange"
	gotdtransport "github.com/gotd/td/transport"

	"github.com/tgwasm/tgwasm/internal/bridge"
	"github.com/tgwasm/tgwasm/internal/kex"
	"github.com/tgwasm/tgwasm/internal/transport"
)

// timedConn measures how long Recv waits for the DC.
type timedConn struct {
	gotdtransport.Conn
	wait time.Duration
}

func (c *timedConn) Recv(ctx context.Context, b *bin.Buffer) error {
	start := time.Now()
	err := c.Conn.Recv(ctx, b)
	c.wait += time.Since(start)
	return err
}

func run(impl, url string, dc int, pem string, modPow js.Value) (map[string]any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	parsed, err := crypto.ParseRSAPublicKeys([]byte(pem))
	if err != nil {
		return nil, err
	}
	var ours []kex.PublicKey
	var gotds []exchange.PublicKey
	for _, k := range parsed {
		ours = append(ours, kex.PublicKey{RSA: k})
		gotds = append(gotds, exchange.PublicKey{RSA: k})
	}
	tc, err := transport.Dial(ctx, url, dc, transport.Options{})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tc.Close() }()
	conn := &timedConn{Conn: tc}
	start := time.Now()
	switch impl {
	case "tgwasm":
		_, err = kex.Run(ctx, conn, kex.Options{DC: dc, Keys: ours, ModExp: bridge.ModExpHook(modPow)})
	case "gotd":
		_, err = exchange.NewExchanger(conn, dc).Client(gotds).Run(ctx)
	default:
		return nil, js.Error{Value: js.ValueOf("unknown implementation " + impl)}
	}
	total := time.Since(start)
	if err != nil {
		return nil, err
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return map[string]any{"totalMs": ms(total), "waitMs": ms(conn.wait), "cpuMs": ms(total - conn.wait)}, nil
}

func main() {
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		impl, url, dc, pem := args[0].String(), args[1].String(), args[2].Int(), args[3].String()
		modPow := js.Undefined()
		if len(args) > 4 {
			modPow = args[4]
		}
		return js.Global().Get("Promise").New(js.FuncOf(func(_ js.Value, pa []js.Value) any {
			resolve, reject := pa[0], pa[1]
			go func() {
				r, err := run(impl, url, dc, pem, modPow)
				if err != nil {
					reject.Invoke(err.Error())
					return
				}
				resolve.Invoke(r)
			}()
			return nil
		}))
	})
	js.Global().Set("__tgwasmKexBench", map[string]any{"run": fn})
	select {}
}
