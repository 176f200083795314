package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/user"
	"time"

	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/doctor"
	"github.com/tokrihq/tokri/internal/logging"
)

// DoctorMain is "tokri doctor": what is wrong with this store, and how to
// fix it, one line per check.
type DoctorMain struct {
	settings
	json    bool
	user    string
	timeout time.Duration
}

// errUnhealthy makes the exit status say a check failed; the report has
// already said which.
var errUnhealthy = errors.New("some checks failed")

// Flags implements command.Command.
func (c *DoctorMain) Flags(fs *flag.FlagSet) {
	c.register(fs, true)
	fs.BoolVar(&c.json, "json", false, "print the checks as JSON")
	fs.StringVar(&c.user, "user", "", `service user whose access matters (default "tokri" when run as root and it exists, else you)`)
	fs.DurationVar(&c.timeout, "timeout", 45*time.Second, "how long to wait for the modem")
}

// Run implements command.
func (c *DoctorMain) Run(ctx context.Context) error {
	path := c.configPath
	if path == "-" {
		path = ""
	} else if path == "" {
		if _, err := os.Stat(config.DefaultPath); err == nil {
			path = config.DefaultPath
		}
	}
	cfg, cfgErr := c.load()
	if cfgErr != nil {
		cfg = config.Default()
		c.apply(&cfg)
	}
	who := c.user
	if who == "" && os.Getuid() == 0 {
		if _, err := user.Lookup("tokri"); err == nil {
			who = "tokri"
		}
	}
	checks := doctor.Run(ctx, doctor.Options{
		ConfigPath:   path,
		Config:       cfg,
		ConfigErr:    cfgErr,
		User:         who,
		ModemTimeout: c.timeout,
		Log:          logging.New(os.Stderr, "error"),
	})
	if c.json {
		if err := doctor.PrintJSON(os.Stdout, checks); err != nil {
			return err
		}
	} else {
		doctor.Print(os.Stdout, checks)
	}
	if doctor.Failed(checks) {
		return errUnhealthy
	}
	return nil
}

// Close implements command.
func (c *DoctorMain) Close() error { return nil }
