// Command tokri-central is the reference central sync server: it registers
// stores, imports their catalogs, lists the orders they sent and serves the
// /v1 sync API (docs/sync.md).
package main

import (
	"context"
	"io"
	"os"

	"github.com/tokrihq/tokri/internal/command"
)

func main() {
	command.Main("tokri-central", func(ctx context.Context, args []string) error {
		return run(ctx, args, os.Stdout, os.Stderr)
	})
}

// The usage's headings, in order.
const (
	serverGroup = "the server"
	storesGroup = "stores (storage is DIR/central.db, bbolt, unless --db postgres://... is given)"
	benchGroup  = "measurements"
)

// table is every tokri-central command: the usage and each command's help
// are made from it.
func table(stdout, stderr io.Writer) *command.Table {
	return &command.Table{
		Binary: "tokri-central",
		About:  "the central sync server for Tokri agents",
		Groups: []command.Group{{Name: serverGroup}, {Name: storesGroup}, {Name: benchGroup}},
		Specs: []command.Spec{
			{Name: "serve", Group: serverGroup, Summary: "serve the /v1 sync API (HTTPS with --tls-cert and --tls-key)",
				New: func() command.Command { return &ServeMain{Stderr: stderr} }},
			command.Version("tokri-central", serverGroup),
			{Name: "store add", Group: storesGroup, Args: "STORE_ID", Summary: "register a store, print its secret once",
				New: func() command.Command { return &StoreAddMain{Stdout: stdout} }},
			{Name: "catalog import", Group: storesGroup, Args: "FILE.csv", Summary: "import a store's catalog",
				New: func() command.Command { return &CatalogImportMain{Stdout: stdout} }},
			{Name: "orders list", Group: storesGroup, Summary: "the orders a store sent",
				New: func() command.Command { return &OrdersListMain{Stdout: stdout} }},
			{Name: "ussd url", Group: storesGroup, Summary: "the callback URL to give the USSD aggregator",
				New: func() command.Command { return &USSDURLMain{Stdout: stdout} }},
			{Name: "bench", Group: benchGroup, Summary: "load test over loopback",
				New: func() command.Command { return &BenchMain{Stdout: stdout, Stderr: stderr} }},
		},
		Stdout: stdout,
		Stderr: stderr,
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return table(stdout, stderr).Run(ctx, args)
}
