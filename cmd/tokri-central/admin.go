package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

// StoreAddMain is `tokri-central store add`.
type StoreAddMain struct {
	Stdout io.Writer
	storageCommand
	storeID string
}

func (m *StoreAddMain) Flags(fs *flag.FlagSet) { m.flags.register(fs) }

// Args implements command.Arguments: the store's ID.
func (m *StoreAddMain) Args(args []string) error {
	if len(args) != 1 || !wire.ValidStoreID(args[0]) {
		return errors.New("want one STORE_ID: 1 to 64 of a-z, 0-9, '_' and '-'")
	}
	m.storeID = args[0]
	return nil
}

func (m *StoreAddMain) Run(ctx context.Context) (err error) {
	if err := m.open(ctx); err != nil {
		return err
	}
	secret, err := wire.GenerateSecret()
	if err != nil {
		return err
	}
	if err := m.st.AddStore(ctx, m.storeID, secret, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "store %s added; its secret (shown only now, put it in the agent's sync config):\n%s\n", m.storeID, secret)
	return nil
}

// CatalogImportMain is `tokri-central catalog import`.
type CatalogImportMain struct {
	Stdout io.Writer
	oneStoreCommand
	file string
}

func (m *CatalogImportMain) Flags(fs *flag.FlagSet) { m.register(fs) }

// Args implements command.Arguments: the CSV file, and --store.
func (m *CatalogImportMain) Args(args []string) error {
	if m.store == "" || len(args) != 1 {
		return errors.New("want --store S and one FILE.csv")
	}
	m.file = args[0]
	return nil
}

func (m *CatalogImportMain) Run(ctx context.Context) (err error) {
	parsed, err := catalog.ReadFile(m.file)
	if err != nil {
		return err
	}
	items := wireItems(parsed)
	if err := m.open(ctx); err != nil {
		return err
	}
	res, err := m.st.ImportCatalog(ctx, m.store, items, server.CategoriesOf(items))
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "store %s: %d added, %d updated, %d unchanged; catalog version %d\n", m.store, res.Added, res.Updated, res.Unchanged, res.Version)
	return nil
}

// wireItems turns agent catalog items (from a CSV or the generator) into
// the items the central storage keeps.
func wireItems(in []catalog.Item) []wire.Item {
	out := make([]wire.Item, len(in))
	for i, it := range in {
		out[i] = wire.Item{SKU: it.SKU, Name: it.Name, NameHi: it.NameHi, Category: it.Category, Unit: it.Unit,
			Price: it.Price, Stock: it.Stock, Active: it.Active, Synonyms: it.Synonyms}
	}
	return out
}

// OrdersListMain is `tokri-central orders list`.
type OrdersListMain struct {
	Stdout io.Writer
	oneStoreCommand
	json bool
}

func (m *OrdersListMain) Flags(fs *flag.FlagSet) {
	m.register(fs)
	fs.BoolVar(&m.json, "json", false, "print JSON, one array")
}

// Args implements command.Arguments: --store is required.
func (m *OrdersListMain) Args(args []string) error {
	if m.store == "" || len(args) != 0 {
		return errors.New("want --store S")
	}
	return nil
}

func (m *OrdersListMain) Run(ctx context.Context) (err error) {
	if err := m.open(ctx); err != nil {
		return err
	}
	orders, err := m.st.Orders(ctx, m.store, 0)
	if err != nil {
		return err
	}
	if m.json {
		if orders == nil {
			orders = []server.Order{}
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(orders)
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPLACED\tSTATE\tTOTAL\tLINES")
	for _, o := range orders {
		total, lines := "-", "(order not received yet)"
		if o.Placed != nil {
			total = fmt.Sprintf("₹%d.%02d", o.Placed.Total/100, o.Placed.Total%100)
			var ls []string
			for _, l := range o.Placed.Lines {
				ls = append(ls, fmt.Sprintf("%d×%s @%d.%02d", l.Qty, l.SKU, l.Price/100, l.Price%100))
			}
			lines = strings.Join(ls, ", ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.ID, o.CreatedAt().Format(time.DateTime), o.State, total, lines)
	}
	return tw.Flush()
}
