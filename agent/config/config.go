package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // a Pi image may lack /usr/share/zoneinfo

	"github.com/BurntSushi/toml"

	"github.com/tokrihq/tokri/phone"
)

// Config is the whole agent configuration. Zero values mean "use the default".
type Config struct {
	Modem Modem `toml:"modem"`
	Agent Agent `toml:"agent"`
	Shop  Shop  `toml:"shop"`
	Sync  Sync  `toml:"sync"`
	USSD  USSD  `toml:"ussd"`
	Clock Clock `toml:"clock"`

	Outbox    Outbox    `toml:"outbox"`
	Retention Retention `toml:"retention"`
}

// Modem says how to reach and look after the GSM modem.
type Modem struct {
	Port           string   `toml:"port"`            // serial device, e.g. /dev/ttyUSB2
	Baud           int      `toml:"baud"`            // 115200 unless the modem needs less
	PIN            string   `toml:"pin"`             // SIM PIN, if the SIM asks for one
	Trace          string   `toml:"trace"`           // file to append the (redacted) AT trace to
	PowerCycle     []string `toml:"power_cycle"`     // command that power-cycles the modem
	HealthInterval Duration `toml:"health_interval"` // how often signal and registration are checked
	PollInterval   Duration `toml:"poll_interval"`   // how often storage is listed in case an indication was lost
	StatusReports  *bool    `toml:"status_reports"`  // ask the network for delivery reports
	// The SIM's balance: the USSD code that answers it ("*121#"), how
	// often to run it, and the amount (in the SIM's currency, 20 for
	// Rs 20) under which the operators are told; 0 never tells.
	BalanceCode  string   `toml:"balance_code"`
	BalanceEvery Duration `toml:"balance_every"`
	BalanceLow   float64  `toml:"balance_low"`
}

// Agent holds the agent's own settings.
type Agent struct {
	Data      string `toml:"data"`      // data directory: the bbolt file and the admin socket
	LogLevel  string `toml:"log_level"` // debug, info, warn, error
	DailyCap  int    `toml:"daily_cap"` // SMS segments the SIM may send per day
	Timezone  string `toml:"timezone"`  // where the SIM's day starts and ends
	OwnNumber string `toml:"own_number"`
	// CountryCode is the calling code of numbers written without one
	// ("9800000001" is +919800000001 with "91"). Default "91".
	CountryCode string `toml:"country_code"`
}

// Duration is a time.Duration written as "30s" or "5m" in the file.
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration such as \"30s\" or \"5m\": %q", b)
	}
	d.Duration = v
	return nil
}

// Defaults fit a Pi in an Indian kirana store with one prepaid SIM.
const (
	DefaultBaud           = 115200
	DefaultDailyCap       = 100
	DefaultTimezone       = "Asia/Kolkata"
	DefaultHealthInterval = time.Minute
	DefaultPollInterval   = 30 * time.Second
	DefaultData           = "/var/lib/tokri"
	DefaultPath           = "/etc/tokri/tokri.toml"
)

// Default returns the configuration used when there is no file.
func Default() Config {
	var c Config
	c.applyDefaults()
	return c
}

func (c *Config) applyDefaults() {
	c.Modem.Baud = cmp.Or(c.Modem.Baud, DefaultBaud)
	c.Modem.HealthInterval.Duration = cmp.Or(c.Modem.HealthInterval.Duration, DefaultHealthInterval)
	c.Modem.PollInterval.Duration = cmp.Or(c.Modem.PollInterval.Duration, DefaultPollInterval)
	c.Modem.BalanceEvery.Duration = cmp.Or(c.Modem.BalanceEvery.Duration, 4*time.Hour)
	if c.Modem.StatusReports == nil {
		t := true
		c.Modem.StatusReports = &t
	}
	c.Agent.Data = cmp.Or(c.Agent.Data, DefaultData)
	c.Agent.LogLevel = cmp.Or(c.Agent.LogLevel, "info")
	c.Agent.DailyCap = cmp.Or(c.Agent.DailyCap, DefaultDailyCap)
	c.Agent.Timezone = cmp.Or(c.Agent.Timezone, DefaultTimezone)
	c.Agent.CountryCode = cmp.Or(c.Agent.CountryCode, string(phone.India))
	c.Shop.applyDefaults()
	c.Sync.applyDefaults()
	c.USSD.applyDefaults()
	c.Retention.applyDefaults()
}

// Country is the country of numbers written without a calling code; India
// when agent.country_code is not a valid one (validation reports that).
func (c Config) Country() phone.Country {
	cc, err := phone.ParseCountry(c.Agent.CountryCode)
	if err != nil {
		return phone.India
	}
	return cc
}

// Location is the SIM's day for the daily cap.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Agent.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Load reads and validates the file at path.
func Load(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, b)
}

// Find reads the config file a command was pointed at: path itself, or
// with no path the file at DefaultPath when there is one, or no file at
// all for "-". Without a file it is the defaults, so a command run from a
// checkout works with flags alone.
func Find(path string) (Config, error) {
	named := path
	if path == "-" {
		return Default(), nil
	}
	if path == "" {
		if _, err := os.Stat(DefaultPath); err != nil {
			return Default(), nil
		}
		path = DefaultPath
	}
	cfg, err := Load(path)
	if err != nil && named == "" && errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	return cfg, err
}

// Parse decodes and validates a configuration file's contents; name is
// used in error messages.
func Parse(name string, b []byte) (Config, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(b), &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Config{}, &Error{File: name, Problems: []Problem{{
				Line: pe.Position.Line, Field: pe.LastKey, Msg: pe.Message,
			}}}
		}
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	lines := indexKeys(string(b))
	// Settings of the wrong type are reported and left out, so that the
	// rest decodes and every mistake shows in this one run.
	probs := checkTypes(raw, lines)
	var clean bytes.Buffer
	if err := toml.NewEncoder(&clean).Encode(raw); err != nil {
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	var c Config
	if _, err := toml.Decode(clean.String(), &c); err != nil {
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	c.applyDefaults()
	typed := len(probs)
	for _, p := range c.validate() {
		if slices.ContainsFunc(probs[:typed], func(q Problem) bool { return q.Field == p.Field }) {
			continue // its value was already reported and left out
		}
		p.Line = lines[p.Field]
		if p.Line == 0 {
			// A setting that is missing: point at its section.
			section, _, _ := strings.Cut(p.Field, ".")
			p.Line = lines[section]
		}
		probs = append(probs, p)
	}
	if len(probs) > 0 {
		slices.SortStableFunc(probs, func(a, b Problem) int { return a.Line - b.Line })
		return Config{}, &Error{File: name, Problems: probs}
	}
	c.normalizeNumbers()
	return c, nil
}

// normalizeNumbers rewrites the valid file's numbers in E.164, so every
// reader (the shop, the summary, the balance alert) sees one form.
func (c *Config) normalizeNumbers() {
	cc := c.Country()
	if c.Agent.OwnNumber != "" {
		c.Agent.OwnNumber, _ = cc.Normalize(c.Agent.OwnNumber)
	}
	for i, n := range c.Shop.Operators {
		c.Shop.Operators[i], _ = cc.Normalize(n)
	}
}

func (c Config) validate() []Problem {
	var p []Problem
	bad := func(field, format string, args ...any) {
		p = append(p, Problem{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	switch c.Modem.Baud {
	case 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600:
	default:
		bad("modem.baud", "%d is not a serial speed a modem uses (9600 ... 921600)", c.Modem.Baud)
	}
	if c.Modem.PIN != "" && !allDigits(c.Modem.PIN, 4, 8) {
		bad("modem.pin", "a SIM PIN is 4 to 8 digits")
	}
	if c.Modem.HealthInterval.Duration < 5*time.Second {
		bad("modem.health_interval", "at least 5s, or the modem does nothing but answer health checks")
	}
	if c.Modem.PollInterval.Duration < time.Second {
		bad("modem.poll_interval", "at least 1s")
	}
	if c.Modem.BalanceCode != "" && c.Modem.BalanceEvery.Duration < 10*time.Minute {
		bad("modem.balance_every", "at least 10m: each check is a USSD session on the shop's SIM")
	}
	if c.Modem.BalanceLow < 0 {
		bad("modem.balance_low", "an amount such as 20, or 0 to send no alert")
	}
	if c.Agent.DailyCap < 0 {
		bad("agent.daily_cap", "must be positive (SMS segments per day)")
	}
	switch c.Agent.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("agent.log_level", "%q is not one of debug, info, warn, error", c.Agent.LogLevel)
	}
	if _, err := time.LoadLocation(c.Agent.Timezone); err != nil {
		bad("agent.timezone", "%q is not a time zone such as \"Asia/Kolkata\"", c.Agent.Timezone)
	}
	if _, err := phone.ParseCountry(c.Agent.CountryCode); err != nil {
		bad("agent.country_code", "%q: %v", c.Agent.CountryCode, err)
	}
	if c.Agent.OwnNumber != "" {
		if _, err := c.Country().Normalize(c.Agent.OwnNumber); err != nil {
			bad("agent.own_number", "%q: %v; write it as \"+919812345678\" or \"9812345678\"", c.Agent.OwnNumber, err)
		}
	}
	p = append(p, c.Shop.validate(c.Country())...)
	p = append(p, c.Sync.validate()...)
	p = append(p, c.USSD.validate()...)
	p = append(p, c.Outbox.validate()...)
	p = append(p, c.Retention.validate()...)
	return p
}

func allDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// DataPath returns a path inside the data directory.
func (c Config) DataPath(name string) string { return filepath.Join(c.Agent.Data, name) }
