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
)

func main() {
	command.Main("tokri-console", func(ctx context.Context, args []string) error { return table(os.Stdout, os.Stderr).Run(ctx, args) })
}

// table is the console's one command and version: its help is made from
// it like every other command's.
func table(stdout, stderr io.Writer) *command.Table {
	return &command.Table{
		Binary: "tokri-console",
		About:  "the operator's screen",
		Specs: []command.Spec{
			{Summary: "the operator's screen: live orders, the catalog, messages and the day so far",
				Help: "On the running agent's admin socket, or read only on its store while it is down. \"tokri console\" runs it.",
				New:  func() command.Command { return new(ConsoleMain) }},
			command.Version("tokri-console", ""),
		},
		Stdout: stdout,
		Stderr: stderr,
	}
}

// ConsoleMain is the console's flags and its run.
type ConsoleMain struct {
	configPath string
	data       string
	ascii      bool
	lang       string
}

// Flags reads the flags "tokri console" passes on unchanged.
func (c *ConsoleMain) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.configPath, "config", "", "agent config `FILE` (default "+config.DefaultPath+" if it exists; - for none)")
	fs.StringVar(&c.data, "data", "", "the agent's data `DIR` (overrides agent.data)")
	fs.BoolVar(&c.ascii, "ascii", false, "no box drawing or block characters (serial consoles)")
	fs.StringVar(&c.lang, "lang", "en", "console `LANGUAGE`: en or hi")
}

// Args implements command.Arguments: the console takes none, and --lang
// is one it speaks.
func (c *ConsoleMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
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
	env := admin.Env{Data: cfg.Agent.Data, Log: zerolog.Nop(), Now: time.Now, Loc: cfg.Location()}
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
