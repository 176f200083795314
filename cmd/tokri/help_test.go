package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/command/golden"
	"github.com/tokrihq/tokri/internal/testkit/seed"
)

// TestHelpGolden pins the usage and every command's and group's help, and
// checks that "help CMD", "CMD -h" and "CMD --help" print the same on
// stdout and exit 0.
func TestHelpGolden(t *testing.T) {
	var all strings.Builder
	usage, _, code, _ := tokriExit(t, "", "help")
	if code != 0 {
		t.Errorf("help: exit %d, want 0", code)
	}
	all.WriteString("$ tokri help\n" + usage)
	groups := map[string]bool{}
	for _, s := range table(nil, nil, seed.Clock).Specs {
		if s.Exec != nil && s.Name != "version" {
			continue // tokri console: tokri-console's own help
		}
		words := strings.Fields(s.Name)
		if len(words) > 1 {
			groups[words[0]] = true
		}
		help, errOut, code, err := tokriExit(t, "", append([]string{"help"}, words...)...)
		if code != 0 || errOut != "" {
			t.Errorf("help %s: exit %d, %v, stderr %q", s.Name, code, err, errOut)
		}
		for _, flag := range []string{"-h", "--help"} {
			out, _, code, _ := tokriExit(t, "", append(words, flag)...)
			if code != 0 || out != help {
				t.Errorf("%s %s: exit %d, printed\n%s\nwant what help %s prints:\n%s", s.Name, flag, code, out, s.Name, help)
			}
		}
		if strings.Contains(help, "Usage of") {
			t.Errorf("help %s is Go's default:\n%s", s.Name, help)
		}
		fmt.Fprintf(&all, "\n$ tokri help %s\n%s", s.Name, help)
	}
	for _, g := range []string{"catalog", "messages", "modem", "orders", "price", "shop", "shoppers", "stock", "sync"} {
		if !groups[g] && g != "messages" {
			t.Errorf("no group %s in the table", g)
		}
		help, _, code, _ := tokriExit(t, "", "help", g)
		if code != 0 {
			t.Errorf("help %s: exit %d", g, code)
		}
		fmt.Fprintf(&all, "\n$ tokri help %s\n%s", g, help)
	}
	golden.Check(t, "help.txt", all.String())
}

// Every operator command's help lists --data, --config and --json, and
// only the flags the command takes.
func TestOperatorHelpFlags(t *testing.T) {
	flagRE := regexp.MustCompile(`(?m)^  --([a-z-]+)`)
	for _, o := range opSpecs {
		help, _, _, _ := tokriExit(t, "", append(strings.Fields(o.name), "-h")...)
		var got []string
		for _, m := range flagRE.FindAllStringSubmatch(help, -1) {
			got = append(got, m[1])
		}
		has := strings.Join(got, " ")
		for _, want := range []string{"config", "data", "json"} {
			if !strings.Contains(has, want) {
				t.Errorf("tokri %s -h lacks --%s:\n%s", o.name, want, help)
			}
		}
		reason := strings.Contains(has, "reason")
		if takes := o.name == "orders reject" || o.name == "orders cancel"; reason != takes {
			t.Errorf("tokri %s -h lists --reason: %v, want %v", o.name, reason, takes)
		}
	}
}

// Misuse exits 2 with the reason on stderr and the way to help; an
// unknown command or group alone prints the list it needs.
func TestMisuseExits2(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{nil, "usage: tokri COMMAND"},
		{[]string{"frobnicate"}, `tokri: unknown command "frobnicate" (see "tokri -h")`},
		{[]string{"orders"}, "usage: tokri orders VERB"},
		{[]string{"messages"}, "  NUMBER      a shopper's conversation, both ways"},
		{[]string{"orders", "frobnicate"}, `unknown command "tokri orders frobnicate" (want list, show, accept, reject, pack, dispatch, deliver, cancel)`},
		{[]string{"orders", "accept"}, `tokri: missing ORDER-ID (see "tokri orders accept -h")`},
		{[]string{"orders", "accept", "K7M4P", "--reason", "x"}, `flag provided but not defined: -reason`},
		{[]string{"run", "extra"}, `tokri: unexpected argument "extra" (see "tokri run -h")`},
		{[]string{"run", "--nope"}, `flag provided but not defined: -nope`},
		{[]string{"help", "nothing"}, `tokri: no command "nothing"`},
		{[]string{"version", "x"}, `unexpected argument "x"`},
		{[]string{"dial", "*1#", "*2#"}, `unexpected argument "*2#"`},
		{[]string{"send"}, `--to and --text are required`},
	} {
		out, errOut, code, _ := tokriExit(t, "", tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.stderr) || out != "" {
			t.Errorf("tokri %s: exit %d, stdout %q, stderr\n%s\nwant exit 2 and stderr with %q", strings.Join(tc.args, " "), code, out, errOut, tc.stderr)
		}
	}
}

func TestVersionVerbs(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, _, code, _ := tokriExit(t, "", args...)
		if code != 0 || !strings.HasPrefix(out, "tokri ") {
			t.Errorf("tokri %s: exit %d, %q", args[0], code, out)
		}
	}
}

// The README's command reference is the table's, word for word.
func TestREADMECommandReference(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- commands: begin (cmd/tokri TestREADMECommandReference) -->\n", "<!-- commands: end -->"
	readme := string(b)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q ... %q around the command reference", begin, end)
	}
	var want strings.Builder
	table(nil, nil, seed.Clock).Markdown(&want)
	if golden.Updating() {
		readme = readme[:i+len(begin)] + want.String() + readme[j:]
		if err := os.WriteFile("../../README.md", []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := readme[i+len(begin) : j]; got != want.String() {
		t.Errorf("README.md's command reference differs from the command table (run with -update to rewrite it):\n%s", want.String())
	}
}
