package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
)

// catalogSpecs are the catalog, stock and price groups.
var catalogSpecs = []opSpec{
	{name: "catalog import", args: "FILE.csv", summary: "add and update items from a CSV; all or nothing", reach: admin.FileOrMake,
		help: `Add and update items from a CSV file with the header
sku,name,name_hi,category,unit,price,stock,synonyms (price in rupees, synonyms
separated by "|", an optional active column). If any line is bad nothing is
imported and every bad line is listed.`, mk: catalogImport},
	{name: "catalog export", summary: "write the whole catalog as CSV to stdout", reach: admin.FileOK,
		help: "Write the whole catalog to stdout as CSV, in the format import reads.", mk: catalogExport},
	{name: "catalog list", summary: "items with price and stock", reach: admin.FileOK,
		help: "List the items with price and stock.", mk: catalogList},
	{name: "stock set", args: "SKU UNITS", summary: "set the units on hand", reach: admin.FileOK,
		help: "Set the units on hand of one item.", mk: stockSet},
	{name: "price set", args: "SKU RUPEES", summary: "set the price, e.g. 289.50", reach: admin.FileOK,
		help: "Set the price of one item in rupees (289.50 or 290).", mk: priceSet},
}

func catalogImport(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		f, err := os.Open(v.pos[0])
		if err != nil {
			return fmt.Errorf("read catalog: %w", err)
		}
		defer f.Close()
		b, done, err := v.open()
		if err != nil {
			return err
		}
		defer done()
		stop := showImportProgress(ctx, b, v.stderr, importProgressEvery)
		res, err := b.ImportCatalog(ctx, f)
		stop()
		var e *admin.Error
		if errors.As(err, &e) && e.Code == admin.CodeBadCSV && !v.json {
			for _, p := range e.Problems {
				fmt.Fprintf(v.stderr, "%s:%s\n", v.pos[0], p)
			}
			return fmt.Errorf("%s: %w", v.pos[0], err)
		}
		if err != nil {
			return err
		}
		if v.json {
			return printJSON(v.stdout, res)
		}
		n := res.Added + res.Updated
		fmt.Fprintf(v.stdout, "imported %d %s: %d added, %d updated\n", n, plural(n, "item", "items"), res.Added, res.Updated)
		return nil
	}
}

func catalogExport(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		b, done, err := v.open()
		if err != nil {
			return err
		}
		defer done()
		if v.json {
			items, err := b.Items(ctx)
			if err != nil {
				return err
			}
			return printJSON(v.stdout, items)
		}
		return b.ExportCatalog(ctx, v.stdout)
	}
}

func catalogList(fs *flag.FlagSet, v *verb) func(ctx context.Context) error {
	find := fs.String("find", "", "only active items these `WORDS` match, as a shopper's SMS would, best first")
	return func(ctx context.Context) error {
		return answer(v, func(b admin.Backend) ([]catalog.Item, error) {
			if *find != "" {
				return b.FindItems(ctx, *find)
			}
			return b.Items(ctx)
		}, func(items []catalog.Item) error {
			return printTable(v.stdout, "no items", "SKU\tNAME\tUNIT\tPRICE\tSTOCK\tCATEGORY\t", items, func(it catalog.Item) string {
				name := it.Name
				if !it.Active {
					name += " (inactive)"
				}
				return fmt.Sprintf("%s\t%s\t%s\t%s\t%d\t%s\t", it.SKU, name, it.Unit, catalog.FormatRupees(it.Price), it.Stock, it.Category)
			})
		})
	}
}

func stockSet(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		n, err := strconv.Atoi(v.pos[1])
		if err != nil || n < 0 {
			return fmt.Errorf("UNITS: %q is not a whole number of units (0 or more)", v.pos[1])
		}
		return answer(v, func(b admin.Backend) (catalog.Item, error) { return b.SetStock(ctx, normSKU(v.pos[0]), n) }, func(it catalog.Item) error {
			fmt.Fprintf(v.stdout, "%s %s: stock %d\n", it.SKU, itemName(it), it.Stock)
			return nil
		})
	}
}

func priceSet(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		paise, err := catalog.ParseRupees(strings.TrimPrefix(strings.TrimPrefix(v.pos[1], "Rs"), "₹"))
		if err != nil {
			return fmt.Errorf("RUPEES: %w", err)
		}
		if paise == 0 {
			return fmt.Errorf("RUPEES: %q is zero; to stop selling an item set its stock to 0", v.pos[1])
		}
		return answer(v, func(b admin.Backend) (catalog.Item, error) { return b.SetPrice(ctx, normSKU(v.pos[0]), paise) }, func(it catalog.Item) error {
			fmt.Fprintf(v.stdout, "%s %s: price %s\n", it.SKU, itemName(it), catalog.FormatRupees(it.Price))
			return nil
		})
	}
}

func itemName(it catalog.Item) string {
	if it.Unit == "" {
		return it.Name
	}
	return it.Name + " " + it.Unit
}

// normSKU trims what a shell might leave around a SKU. SKUs are matched
// exactly otherwise: the catalog decides their case.
func normSKU(s string) string { return strings.TrimSpace(s) }

// importProgressEvery is how often a long import prints how far it got.
const importProgressEvery = 3 * time.Second

// showImportProgress prints the import's progress to w every interval
// until the returned func is called; a short import prints nothing.
func showImportProgress(ctx context.Context, b admin.Backend, w io.Writer, every time.Duration) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			p, err := b.ImportProgress(ctx)
			if err != nil {
				continue
			}
			switch p.State {
			case admin.ImportChecking:
				fmt.Fprintf(w, "checking: %d lines read\n", p.Checked)
			case admin.ImportImporting:
				fmt.Fprintf(w, "importing: %d of %d items\n", p.Done, p.Items)
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}
