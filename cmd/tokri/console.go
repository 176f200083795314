package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/muesli/termenv"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/console"
)

// ConsoleMain is "tokri console": the operator's terminal UI on the
// running agent, or read only on its store while it is down.
type ConsoleMain struct {
	settings
	ascii bool
	lang  string
}

// ParseFlags implements command.
func (c *ConsoleMain) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("tokri console", flag.ContinueOnError)
	c.register(fs, false)
	fs.BoolVar(&c.ascii, "ascii", false, "no box drawing or block characters (serial consoles)")
	fs.StringVar(&c.lang, "lang", "en", "language of the console: en or hi")
	return parse(fs, args)
}

// Run implements command.
func (c *ConsoleMain) Run(ctx context.Context) error {
	if c.lang != "en" && c.lang != "hi" {
		return fmt.Errorf("--lang %q: want en or hi", c.lang)
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	env := admin.Env{Data: cfg.Agent.Data, Stdout: io.Discard, Stderr: io.Discard, Log: newLogger(io.Discard, "error"), Now: time.Now, Loc: cfg.Location()}
	out := termenv.NewOutput(os.Stdout)
	return console.Run(ctx, console.Options{
		Reach: env.Connect,
		Lang:  console.Lang(c.lang),
		ASCII: c.ascii,
		Color: !termenv.EnvNoColor() && out.EnvColorProfile() != termenv.Ascii,
		Out:   os.Stdout,
		Bell:  true,
		Loc:   cfg.Location(),
	})
}

// Close implements command.
func (c *ConsoleMain) Close() error { return nil }
