package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
)

var catalogVerbs = [][2]string{
	{"import FILE.csv", "add and update items from a CSV; all or nothing"},
	{"export", "write the whole catalog as CSV to stdout"},
	{"list [--find WORDS]", "items with price and stock"},
}

func catalogCLI(ctx context.Context, args []string, env Env) error {
	if wantsHelp(args) {
		return subUsage(env, "catalog", catalogVerbs)
	}
	switch args[0] {
	case "import":
		return catalogImport(ctx, args[1:], env)
	case "export":
		return catalogExport(ctx, args[1:], env)
	case "list":
		return catalogList(ctx, args[1:], env)
	}
	return unknownVerb("catalog", args[0], catalogVerbs)
}

func catalogImport(ctx context.Context, args []string, env Env) error {
	v := newVerb(env, "catalog import", `Add and update items from a CSV file with the header
sku,name,name_hi,category,unit,price,stock,synonyms (price in rupees, synonyms
separated by "|", an optional active column). If any line is bad nothing is
imported and every bad line is listed. Works without a running agent too.`, "FILE.csv")
	pos, err := v.parse(args)
	if err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("read catalog: %w", err)
	}
	defer f.Close()
	b, _, done, err := env.connect(fileOrMake)
	if err != nil {
		return err
	}
	defer done()
	stop := showImportProgress(ctx, b, env.Stderr, importProgressEvery)
	res, err := b.ImportCatalog(ctx, f)
	stop()
	var e *Error
	if errors.As(err, &e) && e.Code == CodeBadCSV {
		if v.json {
			printJSON(env.Stdout, e)
		} else {
			for _, p := range e.Problems {
				fmt.Fprintf(env.Stderr, "%s:%s\n", pos[0], p)
			}
		}
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if err != nil {
		return err
	}
	if v.json {
		return printJSON(env.Stdout, res)
	}
	n := res.Added + res.Updated
	fmt.Fprintf(env.Stdout, "imported %d %s: %d added, %d updated\n", n, plural(n, "item", "items"), res.Added, res.Updated)
	return nil
}

func catalogExport(ctx context.Context, args []string, env Env) error {
	v := newVerb(env, "catalog export", "Write the whole catalog to stdout as CSV, in the format import reads. Works without a running agent too.")
	if _, err := v.parse(args); err != nil {
		return err
	}
	b, _, done, err := env.connect(fileOK)
	if err != nil {
		return err
	}
	defer done()
	if v.json {
		items, err := b.Items(ctx)
		if err != nil {
			return err
		}
		return printJSON(env.Stdout, items)
	}
	return b.ExportCatalog(ctx, env.Stdout)
}

func catalogList(ctx context.Context, args []string, env Env) error {
	v := newVerb(env, "catalog list", "List the items with price and stock. Works without a running agent too.")
	find := v.fs.String("find", "", "only active items these words match, as a shopper's SMS would, best first")
	if _, err := v.parse(args); err != nil {
		return err
	}
	b, _, done, err := env.connect(fileOK)
	if err != nil {
		return err
	}
	defer done()
	var items []catalog.Item
	if *find != "" {
		items, err = b.FindItems(ctx, *find)
	} else {
		items, err = b.Items(ctx)
	}
	if err != nil {
		return err
	}
	if v.json {
		return printJSON(env.Stdout, items)
	}
	if len(items) == 0 {
		fmt.Fprintln(env.Stdout, "no items")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SKU\tNAME\tUNIT\tPRICE\tSTOCK\tCATEGORY\t")
	for _, it := range items {
		name := it.Name
		if !it.Active {
			name += " (inactive)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t\n", it.SKU, name, it.Unit, catalog.FormatRupees(it.Price), it.Stock, it.Category)
	}
	return tw.Flush()
}

func stockCLI(ctx context.Context, args []string, env Env) error {
	v, pos, err := parseSet(env, args, "stock", "UNITS", "set the units on hand",
		"Set the units on hand of one item. Works without a running agent too.")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(pos[1])
	if err != nil || n < 0 {
		return fmt.Errorf("UNITS: %q is not a whole number of units (0 or more)", pos[1])
	}
	return answer(env, v, fileOK, func(b backend) (catalog.Item, error) { return b.SetStock(ctx, normSKU(pos[0]), n) }, func(it catalog.Item) error {
		fmt.Fprintf(env.Stdout, "%s %s: stock %d\n", it.SKU, itemName(it), it.Stock)
		return nil
	})
}

func priceCLI(ctx context.Context, args []string, env Env) error {
	v, pos, err := parseSet(env, args, "price", "RUPEES", "set the price, e.g. 289.50",
		"Set the price of one item in rupees (289.50 or 290). Works without a running agent too.")
	if err != nil {
		return err
	}
	paise, err := catalog.ParseRupees(strings.TrimPrefix(strings.TrimPrefix(pos[1], "Rs"), "₹"))
	if err != nil {
		return fmt.Errorf("RUPEES: %w", err)
	}
	if paise == 0 {
		return fmt.Errorf("RUPEES: %q is zero; to stop selling an item set its stock to 0", pos[1])
	}
	return answer(env, v, fileOK, func(b backend) (catalog.Item, error) { return b.SetPrice(ctx, normSKU(pos[0]), paise) }, func(it catalog.Item) error {
		fmt.Fprintf(env.Stdout, "%s %s: price %s\n", it.SKU, itemName(it), catalog.FormatRupees(it.Price))
		return nil
	})
}

// parseSet reads "tokri GROUP set SKU VALUE", the one verb of the stock
// and price groups: short is its line in the group's help, long its -h.
func parseSet(env Env, args []string, group, value, short, long string) (*verb, []string, error) {
	verbs := [][2]string{{"set SKU " + value, short}}
	if wantsHelp(args) {
		return nil, nil, subUsage(env, group, verbs)
	}
	if args[0] != "set" {
		return nil, nil, unknownVerb(group, args[0], verbs)
	}
	v := newVerb(env, group+" set", long, "SKU", value)
	pos, err := v.parse(args[1:])
	return v, pos, err
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
func showImportProgress(ctx context.Context, b Backend, w io.Writer, every time.Duration) (stop func()) {
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
			case ImportChecking:
				fmt.Fprintf(w, "checking: %d lines read\n", p.Checked)
			case ImportImporting:
				fmt.Fprintf(w, "importing: %d of %d items\n", p.Done, p.Items)
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}
