package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mustParse parses src as a tokri.toml, failing the test on an error.
func mustParse(t *testing.T, src string) Config {
	t.Helper()
	c, err := Parse("tokri.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseGood(t *testing.T) {
	src := `
[modem]
port = "/dev/ttyUSB2"
baud = 9600
pin = "1234"
health_interval = "2m"
power_cycle = ["/usr/local/bin/modem-reset", "--hard"]

[agent]
data = "/srv/tokri"
daily_cap = 95
`
	c := mustParse(t, src)
	if c.Modem.Port != "/dev/ttyUSB2" || c.Modem.Baud != 9600 || c.Modem.PIN != "1234" {
		t.Errorf("modem = %+v", c.Modem)
	}
	if c.Modem.HealthInterval.Duration != 2*time.Minute || c.Modem.PollInterval.Duration != DefaultPollInterval {
		t.Errorf("intervals = %v, %v", c.Modem.HealthInterval, c.Modem.PollInterval)
	}
	if len(c.Modem.PowerCycle) != 2 || c.Agent.Data != "/srv/tokri" || c.Agent.DailyCap != 95 {
		t.Errorf("agent = %+v", c.Agent)
	}
	if c.Location().String() != "Asia/Kolkata" || !*c.Modem.StatusReports {
		t.Errorf("defaults not applied: %v %v", c.Location(), *c.Modem.StatusReports)
	}
}

func TestParseErrorsNameLineAndField(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // each must appear in the error
	}{
		{"bad baud", "[modem]\nport = \"/dev/x\"\nbaud = 12\n", []string{"tokri.toml:3: modem.baud:"}},
		{"unknown key", "[modem]\nprot = \"/dev/x\"\n", []string{"tokri.toml:2: modem.prot: unknown setting"}},
		{"bad duration", "[modem]\n\nhealth_interval = \"soon\"\n", []string{"tokri.toml:3: modem.health_interval: expected a duration in quotes", `health_interval = "5m"`}},
		{"syntax", "[agent]\ndaily_cap = = 3\n", []string{"tokri.toml:2"}},
		{"wrong type", "[agent]\ndaily_cap = \"many\"\n", []string{"tokri.toml:2", "daily_cap"}},
		{"several at once", "[agent]\nlog_level = \"loud\"\ntimezone = \"Mars/Olympus\"\n",
			[]string{"tokri.toml:2: agent.log_level:", "tokri.toml:3: agent.timezone:"}},
		{"unquoted pin", "[shop]\noperators = [\"+919800000001\"]\noperator_pin = 1234\n",
			[]string{`tokri.toml:3: shop.operator_pin: expected text in quotes, found the number 1234; for example: operator_pin = "1234"`}},
		{"quoted money", "[shop]\nmin_order = \"100\"\n",
			[]string{`tokri.toml:2: shop.min_order: expected an amount of rupees as a number, without quotes, found the text "100"; for example: min_order = 100`}},
		{"every wrong type in one run", "[modem]\nbaud = \"9600\"\nstatus_reports = \"yes\"\n[agent]\ndaily_cap = 1.5\n[shop]\noperators = \"+919800000001\"\n",
			[]string{"tokri.toml:2: modem.baud: expected a whole number", "baud = 9600",
				"tokri.toml:3: modem.status_reports: expected true or false", "tokri.toml:5: agent.daily_cap: expected a whole number",
				`tokri.toml:7: shop.operators: expected a list of text in quotes, found the text "+919800000001"; for example: operators = ["+919800000001"]`}},
		{"types and values together", "[agent]\nlog_level = \"loud\"\ndaily_cap = \"many\"\n",
			[]string{"tokri.toml:2: agent.log_level:", "tokri.toml:3: agent.daily_cap: expected a whole number"}},
		{"typo", "[modem]\nprot = \"/dev/x\"\n", []string{"tokri.toml:2: modem.prot: unknown setting (did you mean port?)"}},
		{"section as value", "modem = 3\n", []string{"tokri.toml:1: modem: expected a section [modem], found the number 3"}},
		{"pin", "[modem]\npin = \"12ab\"\n", []string{"tokri.toml:2: modem.pin:"}},
		{"missing setting points at its section", "[agent]\ndaily_cap = 50\n\n[shop]\noperators = [\"+919800000001\"]\n",
			[]string{"tokri.toml:4: shop.operator_pin:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("tokri.toml", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.toml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	if _, err := Load("../../examples/tokri.toml"); err != nil {
		t.Fatal(err)
	}
}

// TestFind: "-" is no file at all, a named file must exist and parse.
func TestFind(t *testing.T) {
	cfg, err := Find("-")
	if err != nil || cfg.Agent.Data != DefaultData {
		t.Errorf(`Find("-") = %q, %v; want the defaults`, cfg.Agent.Data, err)
	}
	if _, err := Find(filepath.Join(t.TempDir(), "missing.toml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Find(a missing file) = %v, want not exist", err)
	}
	path := filepath.Join(t.TempDir(), "tokri.toml")
	if err := os.WriteFile(path, []byte("[agent]\ndata = \"/srv/shop\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cfg, err := Find(path); err != nil || cfg.Agent.Data != "/srv/shop" {
		t.Errorf("Find(%s) = %q, %v; want /srv/shop", path, cfg.Agent.Data, err)
	}
}

// TestTypeErrorReportedOnce: a setting left out for its type is not
// reported again as missing.
func TestTypeErrorReportedOnce(t *testing.T) {
	_, err := Parse("tokri.toml", []byte("[shop]\noperators = [\"+919800000001\"]\noperator_pin = 1234\n"))
	if err == nil || strings.Count(err.Error(), "operator_pin") != 2 || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v, want one line about operator_pin", err)
	}
}
