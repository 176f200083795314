package catalog

import (
	"errors"
	"fmt"
	"strings"
)

// Errors callers act on.
var (
	// ErrNotFound means no item has the SKU.
	ErrNotFound = errors.New("catalog: item not found")
	// ErrOutOfStock means fewer units are on hand than asked for; it comes
	// wrapped in a *StockError that says how many.
	ErrOutOfStock = errors.New("catalog: out of stock")
	// ErrInvalid means a value cannot be stored (negative price or stock,
	// empty SKU).
	ErrInvalid = errors.New("catalog: invalid value")
)

// StockError says an item has fewer units than wanted.
type StockError struct {
	SKU  string
	Have int
	Want int
}

func (e *StockError) Error() string {
	return fmt.Sprintf("catalog: %s has %d, wanted %d: out of stock", e.SKU, e.Have, e.Want)
}

// Unwrap lets errors.Is(err, ErrOutOfStock) match.
func (e *StockError) Unwrap() error { return ErrOutOfStock }

// Problem is one bad field of one line of a CSV file.
type Problem struct {
	Line  int    // 1-based line in the file
	Field string // column name, or "" for the line as a whole
	Msg   string
}

func (p Problem) String() string {
	if p.Field == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return fmt.Sprintf("line %d: %s: %s", p.Line, p.Field, p.Msg)
}

// CSVError lists every problem of a CSV file; a file with any is not
// imported at all.
type CSVError struct {
	Problems []Problem
	More     int // problems past those listed (a file with thousands of bad lines)
}

func (e *CSVError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "catalog csv: %d problem(s)", len(e.Problems)+e.More)
	for i, p := range e.Problems {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)+e.More-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}
