package main

import (
	"context"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
)

// AdminMain runs the operator's commands (orders, catalog, stock, price,
// shoppers, status) through the running agent's admin socket, or on the
// store file while the agent is down.
type AdminMain struct {
	settings
	args []string
}

// ParseFlags implements command. It takes --data and --config wherever
// they stand and leaves the rest to the command itself.
func (c *AdminMain) ParseFlags(args []string) error {
	c.args = nil
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "data" && name != "config") {
			c.args = append(c.args, a)
			continue
		}
		if !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		if name == "data" {
			c.data = value
		} else {
			c.configPath = value
		}
	}
	return nil
}

// Run implements command.
func (c *AdminMain) Run(ctx context.Context) error {
	cfg, err := c.load()
	if err != nil {
		return err
	}
	return admin.CLI(ctx, c.args, admin.Env{
		Data:   cfg.Agent.Data,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Log:    newLogger(os.Stderr, "warn"),
		Now:    time.Now,
		Loc:    cfg.Location(),
	})
}

// Close implements command.
func (c *AdminMain) Close() error { return nil }

func isAdminGroup(name string) bool { return slices.Contains(admin.Groups, name) }
