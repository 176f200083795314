// Command importgroups checks that each Go file's imports come in at most
// three blank-line-separated groups, in this order: the standard library,
// other modules, then this module. Mixed groups hide which dependencies a
// file really takes on; make lint runs it on every tracked file.
//
// Usage: importgroups [-w] MODULE FILE...
//
// With -w it rewrites files whose groups are wrong.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	write := flag.Bool("w", false, "rewrite files whose import groups are wrong")
	flag.Parse()
	if flag.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "usage: importgroups [-w] MODULE FILE...")
		os.Exit(2)
	}
	module := flag.Arg(0)
	bad := 0
	for _, path := range flag.Args()[1:] {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fixed, ok, err := check(path, src, module)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if ok {
			continue
		}
		bad++
		if *write {
			if err := os.WriteFile(path, fixed, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			fmt.Println("regrouped", path)
			continue
		}
		fmt.Println(path)
	}
	if bad > 0 && !*write {
		fmt.Fprintf(os.Stderr, "%d files mix import groups (standard library, other modules, %s); run: go run ./scripts/importgroups -w %s FILE...\n", bad, module, module)
		os.Exit(1)
	}
}

// class orders the three groups.
func class(path, module string) int {
	switch {
	case path == module || strings.HasPrefix(path, module+"/"):
		return 2
	case strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
		return 1
	default:
		return 0
	}
}

// check reports whether src's import block is grouped right, and if not
// returns the file with the block rewritten.
func check(path string, src []byte, module string) ([]byte, bool, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return nil, false, err
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT || !gd.Lparen.IsValid() || len(gd.Specs) == 0 {
			continue
		}
		if groupedRight(fset, gd, module) {
			return src, true, nil
		}
		return regroup(fset, src, gd, module)
	}
	return src, true, nil
}

func groupedRight(fset *token.FileSet, gd *ast.GenDecl, module string) bool {
	prevLine, prevClass := 0, -1
	for i, s := range gd.Specs {
		is := s.(*ast.ImportSpec)
		p, _ := strconv.Unquote(is.Path.Value)
		c := class(p, module)
		line := fset.Position(s.Pos()).Line
		if is.Doc != nil {
			line = fset.Position(is.Doc.Pos()).Line
		}
		newGroup := i == 0 || line > prevLine+1
		switch {
		case newGroup && c <= prevClass:
			return false
		case !newGroup && c != prevClass:
			return false
		}
		prevLine, prevClass = fset.Position(s.End()).Line, c
	}
	return true
}

func regroup(fset *token.FileSet, src []byte, gd *ast.GenDecl, module string) ([]byte, bool, error) {
	groups := make([][]string, 3)
	for _, s := range gd.Specs {
		is := s.(*ast.ImportSpec)
		p, _ := strconv.Unquote(is.Path.Value)
		start := is.Pos()
		if is.Doc != nil {
			start = is.Doc.Pos()
		}
		end := is.End()
		if is.Comment != nil {
			end = is.Comment.End()
		}
		text := string(src[fset.Position(start).Offset:fset.Position(end).Offset])
		groups[class(p, module)] = append(groups[class(p, module)], text)
	}
	var b bytes.Buffer
	b.Write(src[:fset.Position(gd.Lparen).Offset+1])
	b.WriteString("\n")
	first := true
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		if !first {
			b.WriteString("\n")
		}
		first = false
		sort.Strings(g)
		for _, line := range g {
			b.WriteString("\t" + line + "\n")
		}
	}
	b.Write(src[fset.Position(gd.Rparen).Offset:])
	out, err := format.Source(b.Bytes())
	return out, false, err
}
