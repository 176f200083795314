package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/logging"
)

// SimMain is "tokri sim": the virtual modem on a pty, with its control API.
type SimMain struct {
	cfg      vmodem.Config
	control  string
	logLevel string
	latency  bool
}

// Flags implements command.Command.
func (c *SimMain) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.cfg.Link, "link", "", "symlink to create at the modem's pty device (the agent's --port)")
	fs.StringVar(&c.control, "control", "127.0.0.1:0", "loopback address of the control API")
	fs.StringVar(&c.cfg.Profile, "profile", "sim800", "modem model to imitate: "+strings.Join(vmodem.ProfileNames(), ", "))
	fs.IntVar(&c.cfg.Slots, "slots", 0, "SMS storage slots (0: the profile's)")
	fs.BoolVar(&c.latency, "latency", false, "answer with a real modem's delays (1-5 s per SMS)")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug shows every AT line")
}

// Args implements command.Arguments: --link is required.
func (c *SimMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	if c.cfg.Link == "" {
		return errors.New("--link PATH is required")
	}
	return nil
}

// Run implements command. The control URL goes to stdout so scripts can
// read it.
func (c *SimMain) Run(ctx context.Context) error {
	c.cfg.Log = logging.New(os.Stderr, c.logLevel)
	c.cfg.Latency = c.latency
	return vmodem.RunSim(ctx, c.cfg, c.control, func(url string) {
		fmt.Println(url)
	})
}

// Close implements command.
func (c *SimMain) Close() error { return nil }

// startSim runs a virtual modem in this process until ctx ends and returns
// a client for its control API; done yields RunSim's result once it has
// stopped.
func startSim(ctx context.Context, cfg vmodem.Config) (phone *vmodem.Client, done <-chan error, err error) {
	urls := make(chan string, 1)
	simErr := make(chan error, 1)
	go func() {
		simErr <- vmodem.RunSim(ctx, cfg, "127.0.0.1:0", func(u string) { urls <- u })
	}()
	select {
	case u := <-urls:
		return &vmodem.Client{BaseURL: u}, simErr, nil
	case err := <-simErr:
		return nil, nil, fmt.Errorf("virtual modem: %w", err)
	}
}
