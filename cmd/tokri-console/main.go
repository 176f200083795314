// Command tokri-console is the operator's screen: live orders, the
// catalog, messages and the day so far, on the running agent's admin
// socket, or read only on its store while it is down. "tokri console"
// runs it. It is its own binary because the terminal UI library probes
// the terminal when it loads; the agent and its other commands must not.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/muesli/termenv"
	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/console"
	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/version"
)

func main() { command.Main("tokri-console", run) }

func run(ctx context.Context, args []string) error {
	if len(args) == 1 && (args[0] == "version" || args[0] == "--version") {
		fmt.Println(version.Line("tokri-console"))
		return nil
	}
	return command.Run(ctx, new(ConsoleMain), args)
}

// ConsoleMain is the console's flags and its run.
type ConsoleMain struct {
	configPath string
	data       string
	ascii      bool
	lang       string
}

// ParseFlags reads the flags "tokri console" passes on unchanged.
func (c *ConsoleMain) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("tokri-console", flag.ContinueOnError)
	fs.StringVar(&c.configPath, "config", "", "agent config file (default "+config.DefaultPath+" if it exists; - for none)")
	fs.StringVar(&c.data, "data", "", "the agent's data directory (overrides agent.data)")
	fs.BoolVar(&c.ascii, "ascii", false, "no box drawing or block characters (serial consoles)")
	fs.StringVar(&c.lang, "lang", "en", "language of the console: en or hi")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see tokri-console -h)", fs.Arg(0))
	}
	if c.lang != "en" && c.lang != "hi" {
		return fmt.Errorf("--lang %q: want en or hi", c.lang)
	}
	return nil
}

// Run draws the console until the operator quits or ctx ends.
func (c *ConsoleMain) Run(ctx context.Context) error {
	cfg, err := config.Find(c.configPath)
	if err != nil {
		return err
	}
	if c.data != "" {
		cfg.Agent.Data = c.data
	}
	env := admin.Env{Data: cfg.Agent.Data, Stdout: io.Discard, Stderr: io.Discard, Log: zerolog.Nop(), Now: time.Now, Loc: cfg.Location()}
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

// Close implements the commands' pattern; the console holds nothing open
// after Run.
func (c *ConsoleMain) Close() error { return nil }
