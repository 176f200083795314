// Package command is the frame the Tokri binaries run their subcommands
// in, so that every one stops on the same signals and exits the same way.
package command

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Command is one subcommand: its flags, then a run until it is done or
// ctx ends, then Close, which lets go of what Run opened.
type Command interface {
	ParseFlags(args []string) error
	Run(ctx context.Context) error
	Close() error
}

// Run parses c's flags from args, runs it and closes it. A flag error
// comes back before anything is opened.
func Run(ctx context.Context, c Command, args []string) error {
	if err := c.ParseFlags(args); err != nil {
		return err
	}
	defer c.Close()
	return c.Run(ctx)
}

// Main runs run with the binary's arguments, under a context that Ctrl-C
// or SIGTERM (systemd's stop) ends, and exits with Exit's code.
func Main(name string, run func(ctx context.Context, args []string) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	os.Exit(Exit(name, err, os.Stderr))
}

// Exit is the exit code for run's error: 0 for none, 2 for a usage error
// (flag.ErrHelp: the usage is already printed), else 1 with "name: error"
// written to stderr.
func Exit(name string, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 2
	}
	fmt.Fprintln(stderr, name+":", err)
	return 1
}
