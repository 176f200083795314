package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/command/golden"
)

// central runs one tokri-central command line and returns what it printed
// and the exit code the binary would give.
func central(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	code = command.Exit("tokri-central", err, command.WantsJSON(args), &out, &errb)
	return out.String(), errb.String(), code
}

// TestHelpGolden pins the usage and every command's help; "help CMD" and
// "CMD -h" print the same and exit 0, misuse exits 2.
func TestHelpGolden(t *testing.T) {
	var all strings.Builder
	usage, _, code := central("help")
	if code != 0 {
		t.Errorf("help: exit %d", code)
	}
	all.WriteString("$ tokri-central help\n" + usage)
	for _, s := range table(nil, nil).Specs {
		words := strings.Fields(s.Name)
		help, _, code := central(append([]string{"help"}, words...)...)
		if h, _, c := central(append(words, "-h")...); code != 0 || c != 0 || h != help {
			t.Errorf("%s -h: exit %d, printed\n%s\nwant exit 0 and\n%s", s.Name, c, h, help)
		}
		fmt.Fprintf(&all, "\n$ tokri-central help %s\n%s", s.Name, help)
	}
	golden.Check(t, "help.txt", all.String())
	for _, args := range [][]string{nil, {"nope"}, {"store"}, {"serve", "extra"}, {"serve", "--tls-cert", "c.pem"}} {
		if _, _, code := central(args...); code != 2 {
			t.Errorf("tokri-central %s: exit %d, want 2", strings.Join(args, " "), code)
		}
	}
}
