package command

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/tokrihq/tokri/internal/version"
)

// Spec is one command in a binary's table.
type Spec struct {
	Name    string // the words after the binary: "run", "orders accept"
	Group   string // the heading the usage lists it under
	Args    string // its arguments in the synopsis: "ORDER-ID", "[CODE]"
	Summary string // one line, in the usage and atop its help
	Help    string // more about it, in its own help only; optional
	// New makes the command: its flags and its run.
	New func() Command
	// Exec, in place of New, is a command that takes its words unparsed
	// (tokri console becomes tokri-console, which has its own help); its
	// flag.ErrHelp prints the help here.
	Exec func(ctx context.Context, args []string, stdout io.Writer) error
}

// Group is a heading of the usage, with an optional note under it.
type Group struct{ Name, Note string }

// Table is every command of one binary. Its usage, each command's and
// each group's help and the README's reference are all made from it.
type Table struct {
	Binary string // "tokri"
	About  string // what the binary is, one line atop the usage
	Groups []Group
	Specs  []Spec
	Footer string // after the list of commands; optional

	Stdout, Stderr io.Writer
}

// Run runs the command args name. Help that was asked for ("help",
// "help TOPIC", "-h" anywhere a command takes flags) goes to Stdout and is
// no error; a command line that names nothing runnable prints the usage or
// the group's list to Stderr and is a usage error.
func (t *Table) Run(ctx context.Context, args []string) error {
	if s, _ := t.find(nil); len(args) == 0 && s == nil {
		t.Usage(t.Stderr)
		return errShown
	}
	switch args[0] {
	case "help", "-h", "--help":
		return t.help(args[1:])
	case "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	s, rest := t.find(args)
	if s == nil || len(rest) == 0 && s.Name != "" && len(t.verbs(s.Name)) > 0 {
		return t.notFound(args)
	}
	var err error
	if s.Exec != nil {
		err = s.Exec(ctx, rest, t.Stdout)
	} else {
		err = Run(ctx, s.New(), t.Binary+" "+s.Name, rest)
	}
	if errors.Is(err, flag.ErrHelp) {
		if s.Name == "" {
			return t.Help(t.Stdout, s)
		}
		return t.help(strings.Fields(s.Name))
	}
	return err
}

// help is "help [TOPIC...]": the usage, a command's help or a group's.
func (t *Table) help(topic []string) error {
	s, rest := t.find(topic)
	if len(topic) == 0 && s == nil {
		t.Usage(t.Stdout)
		return nil
	}
	if s != nil && len(rest) == 0 {
		if verbs := t.verbs(s.Name); len(verbs) > 0 && s.Name != "" {
			// "messages NUMBER" and "messages failed": both.
			t.Help(t.Stdout, s)
			fmt.Fprintln(t.Stdout)
			t.groupHelp(t.Stdout, s.Name, verbs)
			return nil
		}
		return t.Help(t.Stdout, s)
	}
	if verbs := t.verbs(strings.Join(topic, " ")); len(verbs) > 0 {
		t.groupHelp(t.Stdout, strings.Join(topic, " "), verbs)
		return nil
	}
	return &UsageError{Cmd: t.Binary + " help", Msg: fmt.Sprintf("no command %q", strings.Join(topic, " "))}
}

// find is the command named by the longest run of leading words of args,
// and the words after it. A command with no name is the binary's own
// (tokri-console is one command).
func (t *Table) find(args []string) (*Spec, []string) {
	var best *Spec
	var n int
	for i := range t.Specs {
		words := strings.Fields(t.Specs[i].Name)
		if len(words) == 0 && best == nil {
			best = &t.Specs[i]
			continue
		}
		if len(words) > n && len(words) <= len(args) && slices.Equal(words, args[:len(words)]) {
			best, n = &t.Specs[i], len(words)
		}
	}
	return best, args[n:]
}

// verbs are the commands whose name starts with the words of prefix,
// and the command named prefix itself ("messages NUMBER") when it has any.
func (t *Table) verbs(prefix string) []Spec {
	var self, out []Spec
	for _, s := range t.Specs {
		switch {
		case s.Name == prefix:
			self = append(self, s)
		case strings.HasPrefix(s.Name, prefix+" "):
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return append(self, out...)
}

// notFound explains a command line that names no command: a group with
// no verb or asking for help gets its list, anything else a usage error.
func (t *Table) notFound(args []string) error {
	for n := len(args); n > 0; n-- {
		prefix := strings.Join(args[:n], " ")
		verbs := t.verbs(prefix)
		if len(verbs) == 0 {
			continue
		}
		if n == len(args) || strings.HasPrefix(args[n], "-") && args[n] != "-h" && args[n] != "--help" {
			t.groupHelp(t.Stderr, prefix, verbs)
			return errShown
		}
		if w := args[n]; w == "-h" || w == "--help" || w == "help" {
			t.groupHelp(t.Stdout, prefix, verbs)
			return nil
		}
		var names []string
		for _, v := range verbs {
			if v.Name != prefix {
				names = append(names, strings.TrimPrefix(v.Name, prefix+" "))
			}
		}
		return &UsageError{Cmd: t.Binary + " " + prefix,
			Msg: fmt.Sprintf("unknown command %q (want %s)", t.Binary+" "+prefix+" "+args[n], strings.Join(names, ", "))}
	}
	return &UsageError{Cmd: t.Binary, Msg: fmt.Sprintf("unknown command %q", args[0])}
}

// Usage writes the binary's list of commands, by group.
func (t *Table) Usage(w io.Writer) {
	fmt.Fprintf(w, "%s: %s\n\nusage: %s COMMAND [ARGS] [flags]\n", t.Binary, t.About, t.Binary)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, g := range t.Groups {
		fmt.Fprintf(tw, "\n%s:\n", g.Name)
		if g.Note != "" {
			fmt.Fprintf(tw, "  %s\n", g.Note)
		}
		for _, s := range t.Specs {
			if s.Group == g.Name {
				fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(s.Name+" "+s.Args), s.Summary)
			}
		}
	}
	tw.Flush()
	if t.Footer != "" {
		fmt.Fprintf(w, "\n%s\n", t.Footer)
	}
	fmt.Fprintf(w, "\nRun \"%s help COMMAND\" or \"%s COMMAND -h\" for a command's flags.\n", t.Binary, t.Binary)
}

func (t *Table) groupHelp(w io.Writer, group string, verbs []Spec) {
	fmt.Fprintf(w, "usage: %s %s VERB [ARGS] [flags]\n\n", t.Binary, group)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range verbs {
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(strings.TrimPrefix(s.Name+" ", group+" ")+s.Args), s.Summary)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun \"%s %s VERB -h\" for a verb's flags.\n", t.Binary, group)
}

// Help writes one command's help: its synopsis, what it does and every
// flag it takes, each written --name.
func (t *Table) Help(w io.Writer, s *Spec) error {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", strings.TrimSpace(t.Binary+" "+s.Name+" "+s.Args)+" [flags]", s.Summary)
	if s.Help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(s.Help))
	}
	if s.New == nil {
		return nil
	}
	fs := NewFlagSet(t.Binary + " " + s.Name)
	s.New().Flags(fs)
	PrintFlags(w, fs)
	return nil
}

// PrintFlags lists fs's flags, "--name VALUE  what (default x)", for help.
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	var n int
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "\nflags:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		arg := "--" + f.Name
		if value != "" {
			arg += " " + strings.ToUpper(value)
		}
		switch f.DefValue {
		case "", "0", "false", "0s":
		default:
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", arg, usage)
	})
	tw.Flush()
}

// Markdown is the command reference for a README: each command's
// synopsis and summary, by group.
func (t *Table) Markdown(w io.Writer) {
	for _, g := range t.Groups {
		fmt.Fprintf(w, "\n%s:\n\n| command | what it does |\n|---|---|\n", g.Name)
		for _, s := range t.Specs {
			if s.Group == g.Name {
				fmt.Fprintf(w, "| `%s` | %s |\n", strings.TrimSpace(t.Binary+" "+s.Name+" "+s.Args), s.Summary)
			}
		}
	}
}

// Version is the "version" command, also run as --version: the build's
// version, Go release and platform.
func Version(binary, group string) Spec {
	return Spec{Name: "version", Group: group, Summary: "the build's version, Go release and platform",
		Exec: func(_ context.Context, args []string, stdout io.Writer) error {
			if len(args) > 0 {
				if args[0] == "-h" || args[0] == "--help" {
					return flag.ErrHelp
				}
				return &UsageError{Cmd: binary + " version", Msg: fmt.Sprintf("unexpected argument %q", args[0])}
			}
			_, err := fmt.Fprintln(stdout, version.Line(binary))
			return err
		}}
}
