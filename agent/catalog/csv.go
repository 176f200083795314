package catalog

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Columns of the catalog CSV, in the order WriteCSV writes them. Active is
// optional when reading (missing means every item is active).
var columns = []string{"sku", "name", "name_hi", "category", "unit", "price", "stock", "synonyms", "active", colCategoryHi}

// Optional columns: active defaults to true; category_hi, the category's
// Hindi name, to the usual name of a common category (text.Category).
const (
	colActive     = "active"
	colCategoryHi = "category_hi"
)

// maxRupeeDigits bounds the rupee part of a price so paise fit int64 with
// room to multiply by quantities.
const maxRupeeDigits = 9

// ParseCSV reads a catalog CSV (header sku,name,name_hi,category,unit,price,
// stock,synonyms[,active], in any order). Prices are rupees with at most two
// decimals ("52.50"), synonyms are "|"-separated. If any line is bad it
// returns no items and a *CSVError naming the bad lines and fields.
func ParseCSV(r io.Reader) ([]Item, error) {
	var items []Item
	err := ScanCSV(r, func(it Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

// maxProblems bounds the problems a CSVError lists; it counts the rest.
const maxProblems = 200

// ScanCSV reads a catalog CSV as ParseCSV does, one record at a time, and
// calls fn with each good item in file order, so a file of any length
// needs no more memory than its SKUs. It reads to the end even past bad
// lines, and then returns a *CSVError if any line was bad: fn has seen the
// good items by then, so a caller that must import all or nothing scans
// once to check and again to import. An error from fn stops the scan and
// is returned as it is.
func ScanCSV(r io.Reader, fn func(Item) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return &CSVError{Problems: []Problem{{Line: 1, Msg: "empty file, want a header line"}}}
	}
	if err != nil {
		return &CSVError{Problems: []Problem{{Line: 1, Msg: csvMsg(err)}}}
	}
	col, problems := readHeader(header)
	if len(problems) > 0 {
		return &CSVError{Problems: problems}
	}
	ce := &CSVError{}
	add := func(ps ...Problem) {
		for _, p := range ps {
			if len(ce.Problems) < maxProblems {
				ce.Problems = append(ce.Problems, p)
			} else {
				ce.More++
			}
		}
	}
	firstLine := map[string]int{} // sku -> line it first appeared on
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				add(Problem{Line: pe.StartLine, Msg: csvMsg(err)})
				continue
			}
			return fmt.Errorf("read catalog csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		it, bad := parseRow(rec, col, line)
		if it.SKU != "" {
			if first, dup := firstLine[it.SKU]; dup {
				bad = append(bad, Problem{Line: line, Field: "sku", Msg: fmt.Sprintf("%q repeats line %d", it.SKU, first)})
			} else {
				firstLine[it.SKU] = line
			}
		}
		if len(bad) > 0 {
			add(bad...)
			continue
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	if len(ce.Problems) > 0 {
		return ce
	}
	return nil
}

func csvMsg(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readHeader maps column names to their positions.
func readHeader(header []string) (map[string]int, []Problem) {
	col := map[string]int{}
	var problems []Problem
	known := map[string]bool{}
	for _, c := range columns {
		known[c] = true
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !known[h] {
			problems = append(problems, Problem{Line: 1, Field: h, Msg: "unknown column"})
			continue
		}
		if _, dup := col[h]; dup {
			problems = append(problems, Problem{Line: 1, Field: h, Msg: "column repeats"})
			continue
		}
		col[h] = i
	}
	for _, c := range columns {
		if _, ok := col[c]; !ok && c != colActive && c != colCategoryHi {
			problems = append(problems, Problem{Line: 1, Field: c, Msg: "missing column"})
		}
	}
	return col, problems
}

// parseRow reads one record, returning every problem of it.
func parseRow(rec []string, col map[string]int, line int) (Item, []Problem) {
	var bad []Problem
	field := func(name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return unquoteFormula(strings.TrimSpace(rec[i]))
	}
	if len(rec) != len(col) {
		bad = append(bad, Problem{Line: line, Msg: fmt.Sprintf("has %d fields, header has %d", len(rec), len(col))})
	}
	it := Item{
		SKU:        field("sku"),
		Name:       field("name"),
		NameHi:     field("name_hi"),
		Category:   field("category"),
		CategoryHi: field(colCategoryHi),
		Unit:       field("unit"),
		Synonyms:   splitSynonyms(field("synonyms")),
		Active:     true,
	}
	for _, name := range []string{"sku", "name", "name_hi", "category", colCategoryHi, "unit", "synonyms"} {
		if v := field(name); !utf8.ValidString(v) {
			bad = append(bad, Problem{Line: line, Field: name, Msg: "not UTF-8"})
		} else if strings.ContainsFunc(v, unicode.IsControl) {
			bad = append(bad, Problem{Line: line, Field: name, Msg: "has a control character"})
		}
	}
	switch {
	case it.SKU == "":
		bad = append(bad, Problem{Line: line, Field: "sku", Msg: "empty"})
	case strings.ContainsFunc(it.SKU, isSpace):
		bad = append(bad, Problem{Line: line, Field: "sku", Msg: fmt.Sprintf("%q has a space", it.SKU)})
	}
	if it.Name == "" {
		bad = append(bad, Problem{Line: line, Field: "name", Msg: "empty"})
	}
	if it.Category == "" {
		bad = append(bad, Problem{Line: line, Field: "category", Msg: "empty"})
	}
	if p, err := ParseRupees(field("price")); err != nil {
		bad = append(bad, Problem{Line: line, Field: "price", Msg: err.Error()})
	} else if p > MaxPrice {
		bad = append(bad, Problem{Line: line, Field: "price", Msg: fmt.Sprintf("%q is over the most a unit may cost, %s", field("price"), FormatRupees(MaxPrice))})
	} else {
		it.Price = p
	}
	if s, err := parseStock(field("stock")); err != nil {
		bad = append(bad, Problem{Line: line, Field: "stock", Msg: err.Error()})
	} else {
		it.Stock = s
	}
	if _, ok := col[colActive]; ok {
		if a, err := parseActive(field(colActive)); err != nil {
			bad = append(bad, Problem{Line: line, Field: colActive, Msg: err.Error()})
		} else {
			it.Active = a
		}
	}
	return it, bad
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func splitSynonyms(s string) []string {
	var out []string
	for _, syn := range strings.Split(s, "|") {
		if syn = strings.TrimSpace(syn); syn != "" {
			out = append(out, syn)
		}
	}
	return out
}

// ParseRupees reads a rupee amount with at most two decimals ("52.50",
// "52.5", "52") as paise.
func ParseRupees(s string) (int64, error) {
	if s == "" {
		return 0, errors.New("empty, want rupees like 52.50")
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("%q is negative", s)
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || (dot && (frac == "" || !allDigits(frac))) {
		return 0, fmt.Errorf("%q is not a rupee amount like 52.50", s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("%q has more than 2 decimals", s)
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxRupeeDigits {
		return 0, fmt.Errorf("%q is too large", s)
	}
	var rupees int64
	for _, c := range whole {
		rupees = rupees*10 + int64(c-'0')
	}
	frac += "00"[len(frac):]
	paise := int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	return rupees*100 + paise, nil
}

// FormatRupees writes paise as the CSV writes prices: "52.50".
func FormatRupees(paise int64) string {
	sign := ""
	if paise < 0 {
		sign, paise = "-", -paise
	}
	return fmt.Sprintf("%s%d.%02d", sign, paise/100, paise%100)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseStock(s string) (int, error) {
	if s == "" {
		return 0, errors.New("empty, want a whole number of units")
	}
	if !allDigits(strings.TrimPrefix(s, "-")) {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > MaxStock {
		return 0, fmt.Errorf("%q is over the most stock an item may have, %d", s, MaxStock)
	}
	if n < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return n, nil
}

func parseActive(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "true", "yes", "y", "1":
		return true, nil
	case "false", "no", "n", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}

// WriteCSV writes items with every column, active included; ParseCSV reads
// the result back to the same items.
func WriteCSV(w io.Writer, items []Item) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(columns); err != nil {
		return fmt.Errorf("write catalog csv header: %w", err)
	}
	rec := make([]string, len(columns))
	for _, it := range items {
		rec[0], rec[1], rec[2], rec[3], rec[4] = quoteFormula(it.SKU), quoteFormula(it.Name), quoteFormula(it.NameHi), quoteFormula(it.Category), quoteFormula(it.Unit)
		rec[5] = FormatRupees(it.Price)
		rec[6] = strconv.Itoa(it.Stock)
		rec[7] = quoteFormula(strings.Join(it.Synonyms, "|"))
		rec[8] = strconv.FormatBool(it.Active)
		rec[9] = it.CategoryHi
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write catalog csv item %s: %w", it.SKU, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write catalog csv: %w", err)
	}
	return nil
}

// A spreadsheet takes a cell that starts with = + - @ (or a tab or CR
// before one) as a formula: "=HYPERLINK(...)" in an item's name would run
// when the operator opens the export. WriteCSV puts a ' before such a text
// cell, which spreadsheets show as text and hide; ParseCSV takes one '
// off again. A cell that already starts with ' before one of them gets
// one more, so every text survives the round trip exactly.

// formulaStart says whether s, past any leading ', starts like a formula.
func formulaStart(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// quoteFormula neutralises a text cell for export.
func quoteFormula(s string) string {
	if formulaStart(s) {
		return "'" + s
	}
	return s
}

// unquoteFormula undoes quoteFormula on import.
func unquoteFormula(s string) string {
	if strings.HasPrefix(s, "'") && formulaStart(s) {
		return s[1:]
	}
	return s
}

// ReadFile reads the catalog CSV file at path as ParseCSV does; its
// errors name the file, so a command can return them as they are.
func ReadFile(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	items, err := ParseCSV(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return items, nil
}
