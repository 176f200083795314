package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/command/golden"
)

// TestFlags: the flags "tokri console" documents parse, and a wrong
// language or a stray word gets an answer that names it.
func TestFlags(t *testing.T) {
	var c ConsoleMain
	if err := command.Parse(&c, "tokri-console", []string{"--data", "/srv/shop", "--config", "-", "--ascii", "--lang", "hi"}); err != nil {
		t.Fatal(err)
	}
	if c.data != "/srv/shop" || c.configPath != "-" || !c.ascii || c.lang != "hi" {
		t.Errorf("parsed %+v", c)
	}
	for _, args := range [][]string{{"--lang", "fr"}, {"orders"}} {
		var c ConsoleMain
		if err := command.Parse(&c, "tokri-console", args); err == nil || !strings.Contains(err.Error(), args[len(args)-1]) {
			t.Errorf("Parse(%q) = %v, want an error naming %q", args, err, args[len(args)-1])
		}
	}
}

// TestHelpGolden pins the console's help, made from its table like every
// other command's; -h and help print it and exit 0.
func TestHelpGolden(t *testing.T) {
	var out, errb bytes.Buffer
	err := table(&out, &errb).Run(context.Background(), []string{"-h"})
	if code := command.Exit("tokri-console", err, false, &out, &errb); code != 0 || errb.Len() != 0 {
		t.Errorf("-h: exit %d, stderr %q", code, errb.String())
	}
	var help bytes.Buffer
	if err := table(&help, &errb).Run(context.Background(), []string{"help"}); err != nil || help.String() != out.String() {
		t.Errorf("help: %v, printed\n%s\nwant what -h prints", err, help.String())
	}
	golden.Check(t, "help.txt", out.String())
}
