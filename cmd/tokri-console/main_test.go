package main

import (
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/command"
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
