package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/logging"
)

// operatorGroup is the usage's heading for the operator's commands.
const operatorGroup = "operator commands"

// opSpec is one operator command in the table: its words, arguments and
// help, how it may reach the shop, and its flags and run. mk registers
// the command's own flags on fs and returns its run, which reads them; v
// holds what every operator command shares.
type opSpec struct {
	name, args, summary, help string
	reach                     admin.Reach
	mk                        func(fs *flag.FlagSet, v *verb) func(ctx context.Context) error
}

// spec is o as an entry of the command table. Its help says whether it
// works while the agent is down, from reach.
func (o opSpec) spec(stdout, stderr io.Writer, now func() time.Time, offline string) command.Spec {
	help := o.help
	if o.reach == admin.AgentOnly {
		help = strings.TrimSpace(help + " Needs the running agent.")
	} else {
		help = strings.TrimSpace(help + " Works without a running agent too.")
	}
	return command.Spec{Name: o.name, Group: operatorGroup, Args: o.args, Summary: o.summary, Help: help,
		New: func() command.Command {
			return &verb{spec: o, stdout: stdout, stderr: stderr, now: now, offline: offline}
		}}
}

// verb is one run of an operator command: the flags every one takes
// (--config, --data, --json), its arguments, and where it found the shop.
type verb struct {
	settings       // --config and --data
	spec           opSpec
	json           bool
	pos            []string // its arguments, as many as spec.args names
	run            func(ctx context.Context) error
	stdout, stderr io.Writer
	now            func() time.Time
	offline        string    // the commands that work without the agent
	env            admin.Env // set by Run from the config and flags
}

// Flags implements command.Command.
func (v *verb) Flags(fs *flag.FlagSet) {
	v.registerWhere(fs)
	fs.BoolVar(&v.json, "json", false, "print JSON for scripts (errors too)")
	v.run = v.spec.mk(fs, v)
}

// Args implements command.Arguments: exactly the arguments its synopsis
// names.
func (v *verb) Args(pos []string) error {
	names := strings.Fields(v.spec.args)
	switch {
	case len(pos) < len(names):
		return fmt.Errorf("missing %s", names[len(pos)])
	case len(pos) > len(names):
		return fmt.Errorf("unexpected argument %q", pos[len(names)])
	}
	v.pos = pos
	return nil
}

// Run implements command.Command.
func (v *verb) Run(ctx context.Context) error {
	cfg, err := v.load()
	if err != nil {
		return err
	}
	v.env = admin.Env{Data: cfg.Agent.Data, Log: logging.New(v.stderr, "warn"), Now: v.now, Loc: cfg.Location()}
	return v.run(ctx)
}

// Close implements command.Command.
func (v *verb) Close() error { return nil }

// open reaches the shop as the command's spec allows, and says in plain
// words what to do when it cannot.
func (v *verb) open() (b admin.Backend, done func(), err error) {
	b, _, done, err = v.env.Open(v.spec.reach)
	if err != nil {
		return nil, nil, explainReach(err, v.env.Data, v.offline)
	}
	return b, done, nil
}

// answer asks the shop with ask and prints the answer: as JSON with
// --json, else through show.
func answer[T any](v *verb, ask func(b admin.Backend) (T, error), show func(T) error) error {
	b, done, err := v.open()
	if err != nil {
		return err
	}
	defer done()
	x, err := ask(b)
	if err != nil {
		return err
	}
	if v.json {
		return printJSON(v.stdout, x)
	}
	return show(x)
}

// printTable prints list under header, one tab-separated row a line, in
// aligned columns; an empty list is the line empty instead.
func printTable[T any](w io.Writer, empty, header string, list []T, row func(T) string) error {
	if len(list) == 0 {
		fmt.Fprintln(w, empty)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	printList(tw, "", list, row)
	return tw.Flush()
}

// printList prints one line an item of list, or the line empty when it
// has none.
func printList[T any](w io.Writer, empty string, list []T, line func(T) string) {
	if len(list) == 0 {
		fmt.Fprintln(w, empty)
	}
	for _, x := range list {
		fmt.Fprintln(w, line(x))
	}
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// offline names the operator commands in specs that work while the agent
// is down, for the message that says it is.
func offline(specs []opSpec) string {
	var names []string
	for _, o := range specs {
		if o.reach != admin.AgentOnly {
			names = append(names, o.name)
		}
	}
	return strings.Join(names, ", ")
}
