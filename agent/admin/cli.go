package admin

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// Env is what the CLI commands need from cmd/tokri.
type Env struct {
	Data           string // the resolved data directory
	Stdout, Stderr io.Writer
	Log            zerolog.Logger
	Now            func() time.Time
	// Loc is the zone times are shown in; default time.Local.
	Loc *time.Location
}

const cliUsage = `usage:
  tokri orders   list|show|accept|reject|pack|dispatch|deliver|cancel ...
  tokri catalog  import FILE.csv | export | list
  tokri stock    set SKU UNITS
  tokri price    set SKU RUPEES
  tokri shoppers list | optout NUMBER | optin NUMBER
  tokri status
  tokri sync     now
  tokri shop     pause | resume
  tokri messages NUMBER | failed | retry ID | unreadable
  tokri today

Each takes --json for output a script can read, and -h for its flags.
`

// groups are the first words CLI understands and the commands behind them.
var groups = []struct {
	name string
	run  func(ctx context.Context, args []string, env Env) error
}{
	{"orders", ordersCLI},
	{"catalog", catalogCLI},
	{"stock", stockCLI},
	{"price", priceCLI},
	{"shoppers", shoppersCLI},
	{"status", statusCLI},
	{"sync", syncCLI},
	{"shop", shopCLI},
	{"messages", messagesCLI},
	{"today", todayCLI},
}

// Groups are the first words CLI understands, for cmd/tokri's dispatch.
var Groups = func() []string {
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.name
	}
	return names
}()

// CLI runs one admin command, args starting with its group ("orders",
// "catalog", "stock", "price", "shoppers", "status" or "sync"). It talks to the
// running agent over <data>/tokri.sock; while no agent runs, commands that
// make sense offline open <data>/tokri.db instead. -h prints help to Stderr
// and returns flag.ErrHelp.
func CLI(ctx context.Context, args []string, env Env) error {
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.Loc == nil {
		env.Loc = time.Local
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, cliUsage)
		return flag.ErrHelp
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stderr, cliUsage)
		return flag.ErrHelp
	}
	for _, g := range groups {
		if g.name == args[0] {
			return g.run(ctx, args[1:], env)
		}
	}
	return fmt.Errorf("unknown command %q (want %s)", args[0], strings.Join(Groups, ", "))
}

// verb is one subcommand's words, flags and argument names.
type verb struct {
	name string   // "orders accept"
	args []string // names of the positional arguments, e.g. "ORDER-ID"
	what string   // one line of help
	fs   *flag.FlagSet
	json bool
}

func newVerb(env Env, name, what string, args ...string) *verb {
	v := &verb{name: name, args: args, what: what, fs: flag.NewFlagSet("tokri "+name, flag.ContinueOnError)}
	v.fs.SetOutput(env.Stderr)
	v.fs.BoolVar(&v.json, "json", false, "print JSON for scripts")
	v.fs.Usage = func() {
		w := v.fs.Output()
		fmt.Fprintf(w, "usage: tokri %s", name)
		for _, a := range args {
			fmt.Fprintf(w, " %s", a)
		}
		fmt.Fprintf(w, " [flags]\n\n%s\n\nflags:\n", what)
		v.fs.PrintDefaults()
	}
	return v
}

// parse reads flags wherever they are among the arguments ("reject K7M4P
// --reason x" as well as "reject --reason x K7M4P") and checks the count.
func (v *verb) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := v.fs.Parse(args); err != nil {
			return nil, err
		}
		args = v.fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != len(v.args) {
		if len(pos) < len(v.args) {
			return nil, fmt.Errorf("tokri %s: missing %s (see tokri %s -h)", v.name, v.args[len(pos)], v.name)
		}
		return nil, fmt.Errorf("tokri %s: unexpected argument %q (see tokri %s -h)", v.name, pos[len(v.args)], v.name)
	}
	return pos, nil
}

// subUsage prints a group's verbs.
func subUsage(env Env, group string, verbs [][2]string) error {
	fmt.Fprintf(env.Stderr, "usage: tokri %s VERB ...\n\n", group)
	for _, v := range verbs {
		fmt.Fprintf(env.Stderr, "  %-34s %s\n", v[0], v[1])
	}
	fmt.Fprintf(env.Stderr, "\nRun \"tokri %s VERB -h\" for a verb's flags.\n", group)
	return flag.ErrHelp
}

func unknownVerb(group, got string, verbs [][2]string) error {
	names := make([]string, len(verbs))
	for i, v := range verbs {
		names[i], _, _ = strings.Cut(v[0], " ")
	}
	return fmt.Errorf("unknown command \"tokri %s %s\" (want %s)", group, got, strings.Join(names, ", "))
}

// wantsHelp says whether a command group was given no verb or asked for
// its list of verbs.
func wantsHelp(args []string) bool {
	return len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help"
}

// answer connects as r allows, asks the backend with ask and prints the
// answer: as JSON when the verb has --json, else through show.
func answer[T any](env Env, v *verb, r reach, ask func(b backend) (T, error), show func(T) error) error {
	b, _, done, err := env.connect(r)
	if err != nil {
		return err
	}
	defer done()
	x, err := ask(b)
	if err != nil {
		return err
	}
	if v.json {
		return printJSON(env.Stdout, x)
	}
	return show(x)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
