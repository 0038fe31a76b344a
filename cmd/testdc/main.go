// Command testdc runs a local Telegram-like DC for tgwasm clients.
//
//	go run ./cmd/testdc -preauth -pubkey-out dc.pem
//
// It prints the WebSocket URL and the createClient({ server }) value, writes
// every delivered login code to stdout, and serves the control API under
// /testdc/ (see internal/testdc). It listens on 127.0.0.1 only unless
// -allow-remote is given.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/tgwasm/tgwasm/internal/testdc"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "testdc:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		addr        = flag.String("addr", "127.0.0.1:0", "listen address (loopback only unless -allow-remote)")
		allowRemote = flag.Bool("allow-remote", false, "allow a non-loopback listen address")
		dcs         = flag.Int("dcs", 2, "number of DCs behind the endpoint (1..5)")
		preauth     = flag.Bool("preauth", false, "authorize every new auth key as the first account")
		pubOut      = flag.String("pubkey-out", "", "write the DC's RSA public key (PEM) to this file")
		configOut   = flag.String("config-out", "", "write the client configuration (JSON) to this file")
		clockOffset = flag.Duration("clock-offset", 0, "shift the DC's clock, e.g. 1h or -1h")
		codeTimeout = flag.Duration("code-timeout", 0, "timeout and lifetime of sent codes (default 60s)")
		floodLimit  = flag.Int("flood-limit", 0, "code requests per number per flood window (default 5)")
		floodWindow = flag.Duration("flood-window", 0, "flood window (default 1m)")
		verbose     = flag.Bool("v", false, "log diagnostics to stderr")
	)
	flag.Parse()

	opts := testdc.Options{
		Addr:         *addr,
		AllowRemote:  *allowRemote,
		DCs:          *dcs,
		PreAuthorize: *preauth,
		ClockOffset:  *clockOffset,
		CodeTimeout:  *codeTimeout,
		FloodLimit:   *floodLimit,
		FloodWindow:  *floodWindow,
		CodeLog:      os.Stdout,
	}
	if *verbose {
		opts.Log = os.Stderr
	}
	if err := testdc.CheckBind(opts.Addr, opts.AllowRemote); err != nil {
		return err
	}
	srv, err := testdc.New(opts)
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	defer func() { _ = srv.Close() }()

	cfg := srv.Config(srv.URL())
	if *pubOut != "" {
		if err := os.WriteFile(*pubOut, srv.PublicKeyPEM(), 0o644); err != nil {
			return err
		}
	}
	if *configOut != "" {
		b, _ := json.MarshalIndent(cfg, "", "  ")
		if err := os.WriteFile(*configOut, b, 0o644); err != nil {
			return err
		}
	}
	printBanner(os.Stdout, srv, cfg, *preauth)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Println("testdc: shutting down")
	return nil
}

func printBanner(w io.Writer, srv *testdc.Server, cfg testdc.ClientConfig, preauth bool) {
	fmt.Fprintf(w, "testdc: listening on %s\n", srv.URL())
	fmt.Fprintf(w, "testdc: control API at http://%s/testdc/ (config, codes, faults, forget, revoke)\n", srv.Addr())
	if preauth {
		fmt.Fprintln(w, "testdc: every new auth key is logged in as +9996620000 (Demo User)")
	}
	b, _ := json.Marshal(cfg)
	fmt.Fprintf(w, "testdc: createClient server option: %s\n", b)
}
