package main

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// A screen shows in a box no wider than a handset, long lines wrapped at
// a space, nothing lost.
func TestBox(t *testing.T) {
	testtime.NoLeaks(t)
	got := box("Sharma Kirana\n1 Fortune Chakki Fresh Atta 5kg Rs255\n0 Back")
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n != boxWidth+4 {
			t.Errorf("line %q is %d wide, want %d", l, n, boxWidth+4)
		}
	}
	words := strings.Fields(strings.NewReplacer("│", " ", "┌", " ", "┐", " ", "└", " ", "┘", " ", "─", " ").Replace(got))
	if strings.Join(words, " ") != "Sharma Kirana 1 Fortune Chakki Fresh Atta 5kg Rs255 0 Back" {
		t.Errorf("box lost or changed words:\n%s", got)
	}
	if len(lines) != 6 {
		t.Errorf("want 4 text lines in a box, got\n%s", got)
	}
}

func TestLocalURL(t *testing.T) {
	testtime.NoLeaks(t)
	for in, want := range map[string]string{
		"0.0.0.0:8090":  "http://127.0.0.1:8090/ussd/hubtel/tok",
		":8090":         "http://127.0.0.1:8090/ussd/hubtel/tok",
		"10.0.0.5:8090": "http://10.0.0.5:8090/ussd/hubtel/tok",
	} {
		if got := localURL(in, "hubtel", "tok"); got != want {
			t.Errorf("localURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// The demo's /dial is a USSD session with the demo agent, through its own
// callback listener in the Africa's Talking format.
func TestDemoDial(t *testing.T) {
	testtime.NoLeaks(t)
	var out syncBuffer
	d := &DemoMain{in: strings.NewReader("/dial\n5\n0\nq\n/quit\n"), out: &out}
	if err := command.Parse(d, "tokri demo", []string{"--data", t.TempDir(), "--config", "../../examples/demo.toml", "--catalog", "../../examples/kirana.csv"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := d.Run(ctx); err != nil {
		t.Fatal(err)
	}
	d.Close()
	got := out.String()
	for _, want := range []string{"│ Sharma Kirana", "│ 5 My order", "│ You have no orders yet.", "Hung up."} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q:\n%s", want, got)
		}
	}
}
