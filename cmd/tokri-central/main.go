// Command tokri-central is the reference central sync server: it registers
// stores, imports their catalogs, lists the orders they sent and serves the
// /v1 sync API (docs/sync.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/version"
)

const usage = `tokri-central: the central sync server for Tokri agents

usage:
  tokri-central store add --data DIR [--db DSN] STORE_ID            register a store, print its secret once
  tokri-central catalog import --data DIR [--db DSN] --store S FILE.csv
  tokri-central orders list --data DIR [--db DSN] --store S [--json]
  tokri-central ussd url --data DIR [--db DSN] --store S --format africastalking|hubtel [--base https://host]
                                    the callback URL to give the USSD aggregator
  tokri-central serve --addr ADDR --data DIR [--db DSN] [--tls-cert F --tls-key F]
  tokri-central bench [--agents 1000] [--duration 10s] [--db DSN]   load test over loopback
  tokri-central version                                             the build's version
  tokri-central bench-wire [--items 5000] [--changed 50] [--orders 20]
                                    bytes on the wire: first sync, a delta, per order

Storage is DIR/central.db (bbolt) unless --db postgres://... is given.
`

func main() {
	command.Main("tokri-central", func(ctx context.Context, args []string) error {
		return run(ctx, args, os.Stdout, os.Stderr)
	})
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, rest, err := pick(args, stdout, stderr)
	if err != nil {
		return err
	}
	if c == nil {
		return nil
	}
	return command.Run(ctx, c, rest)
}

func pick(args []string, stdout, stderr io.Writer) (command.Command, []string, error) {
	two := func(n string) bool { return len(args) > 1 && args[1] == n }
	switch {
	case len(args) == 0:
		fmt.Fprint(stderr, usage)
		return nil, nil, flag.ErrHelp
	case args[0] == "store" && two("add"):
		return &StoreAddMain{Stdout: stdout}, args[2:], nil
	case args[0] == "catalog" && two("import"):
		return &CatalogImportMain{Stdout: stdout}, args[2:], nil
	case args[0] == "orders" && two("list"):
		return &OrdersListMain{Stdout: stdout}, args[2:], nil
	case args[0] == "ussd" && two("url"):
		return &USSDURLMain{Stdout: stdout}, args[2:], nil
	case args[0] == "serve":
		return &ServeMain{Stderr: stderr}, args[1:], nil
	case args[0] == "bench":
		return &BenchMain{Stdout: stdout, Stderr: stderr}, args[1:], nil
	case args[0] == "bench-wire":
		return &BenchWireMain{Stdout: stdout, Stderr: stderr}, args[1:], nil
	case args[0] == "version" || args[0] == "--version":
		fmt.Fprintln(stdout, version.Line("tokri-central"))
		return nil, nil, nil
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, usage)
		return nil, nil, nil
	}
	fmt.Fprint(stderr, usage)
	return nil, nil, fmt.Errorf("unknown command %q", args[0])
}
