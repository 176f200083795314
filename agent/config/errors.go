package config

import (
	"fmt"
	"strings"
)

// Problem is one mistake in the file.
type Problem struct {
	Line  int    // 1-based; 0 when the field is absent from the file
	Field string // dotted, e.g. "modem.baud"
	Msg   string
}

// Error lists every problem found in one file.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "%s:%d: %s: %s", e.File, p.Line, p.Field, p.Msg)
		} else {
			fmt.Fprintf(&b, "%s: %s: %s", e.File, p.Field, p.Msg)
		}
	}
	return b.String()
}
