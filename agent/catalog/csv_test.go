package catalog_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
)

const header = "sku,name,name_hi,category,unit,price,stock,synonyms\n"

func TestParseKiranaExample(t *testing.T) {
	items, err := catalog.ReadFile("../../examples/kirana.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 172 {
		t.Errorf("got %d items, want 172", len(items))
	}
	want := catalog.Item{
		SKU: "ATTA5", Name: "Aashirvaad Atta", NameHi: "आशीर्वाद आटा", Category: "Staples", Unit: "5 kg",
		Price: 28500, Stock: 24, Active: true,
		Synonyms: []string{"atta", "aata", "gehu atta", "gehun ka atta", "wheat flour", "chakki atta"},
	}
	if diff := cmp.Diff(want, items[0]); diff != "" {
		t.Errorf("first item (-want +got):\n%s", diff)
	}
}

// A bad file's error names the file and still says which lines are bad;
// a missing one's names the file too.
func TestReadFileNamesTheFile(t *testing.T) {
	path := t.TempDir() + "/shop.csv"
	if err := os.WriteFile(path, []byte(header+"A1,Atta,,Staples,1 kg,lots,5,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := catalog.ReadFile(path)
	var ce *catalog.CSVError
	if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("bad file: %v, want a CSVError after %s", err, path)
	}
	if _, err := catalog.ReadFile(path + ".gone"); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path+".gone") {
		t.Errorf("missing file: %v", err)
	}
}

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []catalog.Item
	}{
		{"paise and trimming",
			header + "DAL1 , Toor Dal ,तूर दाल, Dal ,1 kg,165.5,7, arhar | toor||\n" +
				"X2,Loose Rice,,Staples,,0,0,\n",
			[]catalog.Item{
				{SKU: "DAL1", Name: "Toor Dal", NameHi: "तूर दाल", Category: "Dal", Unit: "1 kg", Price: 16550, Stock: 7, Active: true, Synonyms: []string{"arhar", "toor"}},
				{SKU: "X2", Name: "Loose Rice", Category: "Staples", Price: 0, Stock: 0, Active: true},
			}},
		{"active column and header order",
			"\ufeffactive,SKU,name,name_hi,category,unit,price,stock,synonyms\n" +
				"false,A,Atta,,Staples,5 kg,285,3,\n" +
				",B,Besan,,Staples,,62.05,1,\"gram flour|besan, chana\"\n",
			[]catalog.Item{
				{SKU: "A", Name: "Atta", Category: "Staples", Unit: "5 kg", Price: 28500, Stock: 3, Active: false},
				{SKU: "B", Name: "Besan", Category: "Staples", Price: 6205, Stock: 1, Active: true, Synonyms: []string{"gram flour", "besan, chana"}},
			}},
		{"category_hi column",
			"sku,name,name_hi,category,category_hi,unit,price,stock,synonyms\n" +
				"A,Atta,,Staples,राशन,5 kg,285,3,\n",
			[]catalog.Item{
				{SKU: "A", Name: "Atta", Category: "Staples", CategoryHi: "राशन", Unit: "5 kg", Price: 28500, Stock: 3, Active: true},
			}},
		{"blank lines skipped", header + "\nA,Atta,,Staples,,1,1,\n\n", []catalog.Item{
			{SKU: "A", Name: "Atta", Category: "Staples", Price: 100, Stock: 1, Active: true},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := catalog.ParseCSV(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCSVReportsEveryBadLine(t *testing.T) {
	in := header +
		"A,Atta,,Staples,5 kg,285.00,10,atta\n" + // 2 good
		",Nameless SKU,,Staples,,10,1,\n" + // 3
		"B,,,Staples,,10,1,\n" + // 4
		"C,Cost,,Staples,,10.505,1,\n" + // 5
		"D,Neg,,Staples,,-1,1,\n" + // 6
		"E,Stock,,Staples,,1,2.5,\n" + // 7
		"F,Stock,,Staples,,1,-3,\n" + // 8
		"G,Cat,,,,1,1,\n" + // 9
		"A,Again,,Staples,,1,1,\n" + // 10
		"H,Short,,Staples\n" + // 11
		"I,Rs,,Staples,,Rs10,1,\n" + // 12
		"J K,Space,,Staples,,1,1,\n" + // 13
		",,,,,x,y,\n" // 14
	ce := csvError(t, in)
	type lf struct {
		Line  int
		Field string
	}
	var got []lf
	for _, p := range ce.Problems {
		got = append(got, lf{p.Line, p.Field})
		if p.Msg == "" {
			t.Errorf("problem %v has no message", p)
		}
	}
	want := []lf{
		{3, "sku"}, {4, "name"}, {5, "price"}, {6, "price"}, {7, "stock"}, {8, "stock"}, {9, "category"},
		{10, "sku"}, {11, ""}, {11, "price"}, {11, "stock"}, {12, "price"}, {13, "sku"},
		{14, "sku"}, {14, "name"}, {14, "category"}, {14, "price"}, {14, "stock"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s\nerror: %v", diff, ce)
	}
	if !strings.Contains(ce.Problems[7].Msg, "line 2") {
		t.Errorf("duplicate SKU message %q does not name the first line", ce.Problems[7].Msg)
	}
}

func TestParseCSVBadHeader(t *testing.T) {
	tests := []struct {
		name, in string
		want     []catalog.Problem
	}{
		{"empty", "", []catalog.Problem{{Line: 1, Msg: "empty file, want a header line"}}},
		{"missing and unknown", "sku,name,colour,category,unit,price,stock\n", []catalog.Problem{
			{Line: 1, Field: "colour", Msg: "unknown column"},
			{Line: 1, Field: "name_hi", Msg: "missing column"},
			{Line: 1, Field: "synonyms", Msg: "missing column"},
		}},
		{"repeated", "sku,sku,name,name_hi,category,unit,price,stock,synonyms\n", []catalog.Problem{
			{Line: 1, Field: "sku", Msg: "column repeats"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ce := csvError(t, tc.in)
			if diff := cmp.Diff(tc.want, ce.Problems); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// csvError parses in, which must fail with a *CSVError and no items.
func csvError(t *testing.T, in string) *catalog.CSVError {
	t.Helper()
	items, err := catalog.ParseCSV(strings.NewReader(in))
	var ce *catalog.CSVError
	if !errors.As(err, &ce) || items != nil {
		t.Fatalf("ParseCSV = %v, %v; want *CSVError and no items", items, err)
	}
	return ce
}

func TestParseCSVQuoteErrorNamesLine(t *testing.T) {
	in := header + "A,Atta,,Staples,,1,1,\n" + "B,\"Bad \"quote,,Staples,,1,1,\n" + "C,Chana,,Dal,,1,x,\n"
	ce := csvError(t, in)
	var lines []int
	for _, p := range ce.Problems {
		lines = append(lines, p.Line)
	}
	if !cmp.Equal(lines, []int{3, 4}) {
		t.Errorf("problem lines = %v, want [3 4]: %v", lines, ce)
	}
}

func TestRupees(t *testing.T) {
	good := map[string]int64{"0": 0, "52": 5200, "52.5": 5250, "52.50": 5250, "0.05": 5, "007.10": 710, "999999999.99": 99999999999}
	for in, want := range good {
		if got, err := catalog.ParseRupees(in); err != nil || got != want {
			t.Errorf("ParseRupees(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1.234", ".5", "5.", "1,000", "Rs5", "1e3", "1000000000", " 5", "५"} {
		if got, err := catalog.ParseRupees(in); err == nil {
			t.Errorf("ParseRupees(%q) = %d, want an error", in, got)
		}
	}
	for paise, want := range map[int64]string{0: "0.00", 5: "0.05", 5250: "52.50", 28500: "285.00"} {
		if got := catalog.FormatRupees(paise); got != want {
			t.Errorf("FormatRupees(%d) = %q, want %q", paise, got, want)
		}
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	items := catalog.Generate(300, 7)
	items = append(items, catalog.Item{SKU: "Q", Name: `Quote "and", comma`, Category: "Odd, one", Price: 1, Active: false})
	roundTrip(t, items)
}

// roundTrip writes items as CSV, checks that the import reads the same
// items back, and returns the CSV.
func roundTrip(t *testing.T, items []catalog.Item) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := catalog.WriteCSV(&buf, items); err != nil {
		t.Fatal(err)
	}
	out := bytes.Clone(buf.Bytes())
	got, err := catalog.ParseCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(items, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	return out
}

func FuzzParseCSV(f *testing.F) {
	kirana, err := os.ReadFile("../../examples/kirana.csv")
	if err != nil {
		f.Fatal(err)
	}
	// A few lines of the example, not all of it: the fuzzer minimizes
	// every input it finds interesting, and a long one takes minutes.
	lines := strings.SplitAfter(string(kirana), "\n")
	f.Add(strings.Join(lines[:6], ""))
	f.Add(header + "A,Atta,,Staples,5 kg,285.00,10,atta|aata\n")
	f.Add("active," + header + "no,A,\"x\ny\",,S,,1,1,\n")
	f.Add(header + "A,\"Bad \"quote,,S,,1,1,\n")
	f.Fuzz(func(t *testing.T, in string) {
		items, err := catalog.ParseCSV(strings.NewReader(in))
		if err != nil {
			var ce *catalog.CSVError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 || items != nil {
				t.Fatalf("error %v is not a *CSVError with problems, or items came with it", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, it := range items {
			if it.SKU == "" || it.Name == "" || it.Category == "" || it.Price < 0 || it.Stock < 0 || seen[it.SKU] {
				t.Fatalf("ParseCSV let through %+v", it)
			}
			seen[it.SKU] = true
		}
		var buf bytes.Buffer
		if err := catalog.WriteCSV(&buf, items); err != nil {
			t.Fatal(err)
		}
		again, err := catalog.ParseCSV(&buf)
		if err != nil {
			t.Fatalf("reading back what WriteCSV wrote: %v", err)
		}
		if !reflect.DeepEqual(items, again) {
			t.Fatalf("round trip (-first +again):\n%s", cmp.Diff(items, again))
		}
	})
}

// An export opened in a spreadsheet must not run formulas from item
// names; the import reads the same text back.
func TestExportNeutralisesFormulas(t *testing.T) {
	hostile := []string{"=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-5% off", "@SUM(A1)", "'=already quoted", "''+twice", "plain 'quote"}
	var items []catalog.Item
	for i, name := range hostile {
		items = append(items, catalog.Item{SKU: fmt.Sprintf("S%d", i), Name: name, Category: name, Unit: "@1", Synonyms: []string{"=x", "y"}, Price: 100, Active: true})
	}
	recs, err := csv.NewReader(bytes.NewReader(roundTrip(t, items))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for col, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("exported cell %d %q starts like a formula", col, cell)
			}
		}
	}
}

// Prices and stock past the bounds are refused line by line, never
// wrapped.
func TestParseCSVBounds(t *testing.T) {
	in := header +
		"A,Atta,,S,,1000000.00,1000000,\n" + // at the bounds: fine
		"B,Big,,S,,1000000.01,1,\n" +
		"C,Huge,,S,,92233720368547758.07,1,\n" +
		"D,Many,,S,,1,1000001,\n" +
		"E,Wrap,,S,,1,9223372036854775808,\n"
	ce := csvError(t, in)
	var got []string
	for _, p := range ce.Problems {
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Field))
	}
	want := []string{"3 price", "4 price", "5 stock", "6 stock"}
	if !slices.Equal(got, want) {
		t.Errorf("problems %v, want %v (%v)", got, want, ce.Problems)
	}
}

// Put is how the central server's catalog reaches the agent (sync): it
// refuses what no entry may store.
func TestPutBounds(t *testing.T) {
	db := openDB(t)
	for _, it := range []catalog.Item{
		{SKU: "P", Name: "p", Category: "c", Price: math.MaxInt64},
		{SKU: "P", Name: "p", Category: "c", Price: catalog.MaxPrice + 1},
		{SKU: "P", Name: "p", Category: "c", Price: 1, Stock: catalog.MaxStock + 1},
	} {
		err := db.Update(func(tx *store.Tx) error { return catalog.Put(tx.Bolt(), it) })
		if !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("Put(price %d, stock %d) = %v, want ErrInvalid", it.Price, it.Stock, err)
		}
	}
	err := db.Update(func(stx *store.Tx) error {
		tx := stx.Bolt()
		if err := catalog.Put(tx, catalog.Item{SKU: "P", Name: "p", Category: "c", Price: 1, Stock: 1}); err != nil {
			return err
		}
		if err := count(tx, "P", math.MaxInt); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("SetStock(max int) = %v", err)
		}
		if err := putBack(tx, "P", math.MaxInt); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("Release(max int) = %v", err)
		}
		if err := catalog.SetPrice(tx, "P", math.MaxInt64); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("SetPrice(max int64) = %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
