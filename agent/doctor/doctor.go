package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/user"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/config"
)

// Result is how one check went.
type Result string

// Results, from good to bad. Skip means an earlier failure made the check
// meaningless (no port, no modem).
const (
	OK   Result = "ok"
	Skip Result = "skip"
	Warn Result = "warn"
	Fail Result = "FAIL"
)

// Check is one line of the report.
type Check struct {
	Name   string `json:"check"`
	Result Result `json:"result"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// Options say what to check and how.
type Options struct {
	ConfigPath string        // shown in the config line
	Config     config.Config // what the file said, or the defaults
	ConfigErr  error         // nil when the file parsed
	// User is the service user whose access to the port and data matters
	// ("tokri"); empty means whoever runs the doctor.
	User string
	Proc string // "/proc" unless a test says otherwise
	// Now is the clock the agent would use; nil is time.Now.
	Now func() time.Time
	// ModemTimeout bounds talking to the modem (default 45 s).
	ModemTimeout time.Duration
	HTTP         *http.Client // nil: a client with a 15 s timeout
	Log          zerolog.Logger
}

// Run performs every check in order and returns one line per check.
func Run(ctx context.Context, o Options) []Check {
	if o.Proc == "" {
		o.Proc = "/proc"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ModemTimeout == 0 {
		o.ModemTimeout = 45 * time.Second
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 15 * time.Second}
	}
	var r report
	r.config(o)
	r.data(o)
	held := r.port(o)
	mt := r.modem(ctx, o, held)
	r.clock(o, mt)
	r.sync(ctx, o)
	r.socket(o)
	return r.checks
}

// report collects the lines as the checks run.
type report struct{ checks []Check }

func (r *report) add(name string, res Result, detail, fix string) {
	r.checks = append(r.checks, Check{Name: name, Result: res, Detail: detail, Fix: fix})
}

func (r *report) ok(name, detail string)        { r.add(name, OK, detail, "") }
func (r *report) fail(name, detail, fix string) { r.add(name, Fail, detail, fix) }
func (r *report) warn(name, detail, fix string) { r.add(name, Warn, detail, fix) }
func (r *report) skip(name, detail string)      { r.add(name, Skip, detail, "") }
func (r *report) addf(name string, res Result, fix string, format string, a ...any) {
	r.add(name, res, fmt.Sprintf(format, a...), fix)
}

// Failed reports whether any check failed (warnings do not count).
func Failed(checks []Check) bool {
	for _, c := range checks {
		if c.Result == Fail {
			return true
		}
	}
	return false
}

// Print writes one line per check, and the fix under a failing or
// warning one.
func Print(w io.Writer, checks []Check) {
	for _, c := range checks {
		fmt.Fprintf(w, "%-4s  %-12s %s\n", c.Result, c.Name, c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(w, "      %-12s fix: %s\n", "", c.Fix)
		}
	}
}

// PrintJSON writes the checks as one JSON array, for scripts.
func PrintJSON(w io.Writer, checks []Check) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(checks)
}

// config is the first line: the file parses.
func (r *report) config(o Options) {
	name := o.ConfigPath
	if name == "" {
		name = "(no file: defaults)"
	}
	if o.ConfigErr != nil {
		r.fail("config", o.ConfigErr.Error(), "edit "+name+" (the line named above), then run tokri doctor again")
		return
	}
	r.ok("config", name+" parses")
}

// userName names the service user in fixes.
func (o Options) userName() string {
	if o.User != "" {
		return o.User
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return fmt.Sprintf("uid %d", os.Getuid())
}
