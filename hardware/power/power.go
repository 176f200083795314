package power

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Sentinel errors.
var (
	// ErrNotConfigured means no power-cycle command was configured, so the
	// modem cannot be power-cycled from software.
	ErrNotConfigured = errors.New("power cycle not configured")
)

// DefaultTimeout bounds a power-cycle command that sets none of its own: a
// hung GPIO script must not hold up recovery forever.
const DefaultTimeout = 2 * time.Minute

// Command power-cycles the modem by running an operator-configured program,
// for example ["/usr/local/bin/modem-power-cycle"] or
// ["uhubctl", "-l", "1-1", "-p", "2", "-a", "cycle"]. The program must
// return only once the modem has power again.
type Command struct {
	Argv    []string
	Timeout time.Duration // 0 means DefaultTimeout
}

// PowerCycle runs the command and reports its failure with the tail of
// its output, which is what an operator needs to fix the script.
func (c Command) PowerCycle(ctx context.Context) error {
	if len(c.Argv) == 0 || c.Argv[0] == "" {
		return ErrNotConfigured
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("power cycle %s: %w: %s", c.Argv[0], err, tail(out.String(), 200))
	}
	return nil
}

// None is the hook for installations without power control.
type None struct{}

// PowerCycle always returns ErrNotConfigured.
func (None) PowerCycle(context.Context) error { return ErrNotConfigured }

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return s
}
