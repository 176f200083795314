// Package command is the frame the Tokri binaries run their subcommands
// in: one table per binary names every command with its synopsis, flags and
// handler, and the usage, each command's help, flag parsing, exit codes and
// the way errors are printed all come from it, so every command stops on the
// same signals, explains itself the same way and exits the same way.
package command

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Command is one subcommand: it registers its flags, then runs until it
// is done or ctx ends, then Close lets go of what Run opened.
type Command interface {
	Flags(fs *flag.FlagSet)
	Run(ctx context.Context) error
	Close() error
}

// Arguments is a Command that takes positional arguments or checks its
// flags together; Args gets what is left after the flags. A Command
// without it takes no arguments.
type Arguments interface {
	Args(args []string) error
}

// ErrUsage marks a command line the binary cannot run: an unknown command
// or flag, a missing or extra argument. Exit gives it code 2.
var ErrUsage = errors.New("usage")

// UsageError is a misuse of one command, with the command to see help for.
type UsageError struct {
	Cmd string // "tokri orders accept"
	Msg string
}

func (e *UsageError) Error() string {
	return fmt.Sprintf("%s (see \"%s -h\")", e.Msg, e.Cmd)
}

// Is makes errors.Is(err, ErrUsage) hold.
func (e *UsageError) Is(target error) bool { return target == ErrUsage }

// Run parses c's flags from args (flags may stand before, between or after
// the arguments), hands it the arguments, runs it and closes it. A flag
// error comes back before anything is opened. name is the command's full
// name for errors, "tokri run".
func Run(ctx context.Context, c Command, name string, args []string) error {
	if err := Parse(c, name, args); err != nil {
		return err
	}
	defer c.Close()
	return c.Run(ctx)
}

// Parse sets c's flags and arguments from args without running it.
func Parse(c Command, name string, args []string) error {
	fs := NewFlagSet(name)
	c.Flags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if a, ok := c.(Arguments); ok {
		if err := a.Args(pos); err != nil {
			if errors.Is(err, ErrUsage) {
				return err
			}
			return &UsageError{Cmd: name, Msg: err.Error()}
		}
		return nil
	}
	if len(pos) > 0 {
		return &UsageError{Cmd: name, Msg: fmt.Sprintf("unexpected argument %q", pos[0])}
	}
	return nil
}

// NewFlagSet is a flag set that reports its errors only by return, so
// that help and errors are printed one way, by the table.
func NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseInterspersed reads flags wherever they stand among the arguments
// ("reject K7M4P --reason x" as well as "reject --reason x K7M4P"); after
// "--" everything is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &UsageError{Cmd: fs.Name(), Msg: err.Error()}
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// Main runs run with the binary's arguments, under a context that Ctrl-C
// or SIGTERM (systemd's stop) ends, and exits with Exit's code.
func Main(name string, run func(ctx context.Context, args []string) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	os.Exit(Exit(name, err, WantsJSON(os.Args[1:]), os.Stdout, os.Stderr))
}

// Exit is the exit code for run's error: 0 for none (help that was asked
// for is no error), 2 for a usage error, else 1. The error goes to stderr
// as "name: error", or with asJSON (the command line had --json) to stdout
// as {"error": ..., "code": ...} (an error with an ErrorCode method as
// itself) so a script reads it where it reads the
// answer.
func Exit(name string, err error, asJSON bool, stdout, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	code := 1
	if errors.Is(err, ErrUsage) || errors.Is(err, flag.ErrHelp) {
		code = 2
	}
	if errors.Is(err, errShown) || errors.Is(err, flag.ErrHelp) {
		return code // the usage is already printed
	}
	if asJSON {
		var out any = struct {
			Error string `json:"error"`
			Code  string `json:"code"`
		}{err.Error(), map[bool]string{true: "usage", false: "error"}[code == 2]}
		// An error with a code of its own (the agent's answer) is
		// printed whole, with its field and problems.
		var coded interface{ ErrorCode() string }
		if errors.As(err, &coded) {
			out = coded
		}
		b, _ := json.Marshal(out)
		fmt.Fprintln(stdout, string(b))
		return code
	}
	fmt.Fprintln(stderr, name+":", err)
	return code
}

// errShown is a usage error whose text (the usage itself) is already
// printed.
var errShown = &UsageError{Msg: "usage shown"}

// WantsJSON says whether a command line asked for JSON output.
func WantsJSON(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "--json", "-json", "--json=true", "-json=true":
			return true
		}
	}
	return false
}
