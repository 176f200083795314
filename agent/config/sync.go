package config

import (
	"cmp"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// Sync says how the agent reaches the chain's central server. With no
// Server the store runs alone and the other settings are not checked.
type Sync struct {
	Server  string `toml:"server"`   // base URL, "https://central.example.com"; empty means the store runs alone
	StoreID string `toml:"store_id"` // as made by `tokri-central store add`
	// Secret is the store's secret; SecretFile names a file holding it
	// instead, so the config itself may be readable by all. Exactly one.
	Secret     string `toml:"secret"`
	SecretFile string `toml:"secret_file"`
	// PinSHA256 is the hex SHA-256 of the server's certificate (printed by
	// `tokri-central serve`); it replaces CA checks, so a self-signed
	// certificate works.
	PinSHA256  string   `toml:"pin_sha256"`
	DailyBytes int64    `toml:"daily_bytes"` // bytes per day the links to central may carry at the IP level, sync's and the USSD relay's; 0 means no cap
	Interval   Duration `toml:"interval"`    // between rounds while the link is up
	MaxBackoff Duration `toml:"max_backoff"` // longest wait between attempts while it is down
	Batch      int      `toml:"batch"`       // records per push
	// PostQuantum adds ML-KEM-768 to the TLS key exchange, some 2.5 KB a
	// connection at the IP level; off, X25519 alone (see
	// uplink.Options.PostQuantum).
	PostQuantum bool `toml:"post_quantum"`
}

// Sync defaults. A commit wakes the uplink, so orders leave at once and
// the interval only paces idle rounds: every two hours an idle agent asks
// for catalog news, about 2.6 KB at the IP level on a new TLS connection
// that resumes the last one's session (central drops a connection idle for
// a minute), some 30 KB a day. A failed round is retried within a quarter
// of an hour, sooner than the idle interval.
const (
	DefaultSyncInterval   = 2 * time.Hour
	DefaultSyncMaxBackoff = 15 * time.Minute
	DefaultSyncBatch      = 100
	maxSyncBatch          = 500 // the server's limit per push
)

var (
	syncStoreID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	syncPin     = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
)

func (s *Sync) applyDefaults() {
	s.Interval.Duration = cmp.Or(s.Interval.Duration, DefaultSyncInterval)
	s.MaxBackoff.Duration = cmp.Or(s.MaxBackoff.Duration, DefaultSyncMaxBackoff)
	s.Batch = cmp.Or(s.Batch, DefaultSyncBatch)
}

func (s Sync) validate() []Problem {
	var p []Problem
	bad := func(field, format string, args ...any) {
		p = append(p, Problem{Field: "sync." + field, Msg: fmt.Sprintf(format, args...)})
	}
	if s.DailyBytes < 0 {
		bad("daily_bytes", "must be 0 (no cap) or positive")
	}
	if s.Interval.Duration < 5*time.Second {
		bad("interval", "at least 5s")
	}
	if s.MaxBackoff.Duration < 5*time.Second {
		bad("max_backoff", "at least 5s")
	}
	if s.Batch < 1 || s.Batch > maxSyncBatch {
		bad("batch", "1 to %d records", maxSyncBatch)
	}
	if s.Server == "" {
		return p
	}
	u, err := url.Parse(s.Server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("server", "%q is not a URL such as \"https://central.example.com\"", s.Server)
	}
	if !syncStoreID.MatchString(s.StoreID) {
		bad("store_id", "1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit")
	}
	switch {
	case s.Secret == "" && s.SecretFile == "":
		bad("secret", "needed with a server (or secret_file)")
	case s.Secret != "" && s.SecretFile != "":
		bad("secret_file", "give secret or secret_file, not both")
	case s.Secret != "" && len(s.Secret) < 32:
		bad("secret", "too short to be a store secret (64 hex characters)")
	}
	if s.PinSHA256 != "" {
		if !syncPin.MatchString(strings.ReplaceAll(s.PinSHA256, ":", "")) {
			bad("pin_sha256", "64 hex characters (colons allowed)")
		} else if u != nil && u.Scheme == "http" {
			bad("pin_sha256", "a pin needs an https:// server")
		}
	}
	return p
}

// ReadSecret returns the store secret, from SecretFile if that is set.
func (s Sync) ReadSecret() (string, error) {
	if s.SecretFile == "" {
		return s.Secret, nil
	}
	b, err := os.ReadFile(s.SecretFile)
	if err != nil {
		return "", fmt.Errorf("read sync secret: %w", err)
	}
	secret := strings.TrimSpace(string(b))
	if len(secret) < 32 {
		return "", fmt.Errorf("sync secret in %s is too short", s.SecretFile)
	}
	return secret, nil
}

// Pin is PinSHA256 without colons, lowercased.
func (s Sync) Pin() string {
	return strings.ToLower(strings.ReplaceAll(s.PinSHA256, ":", ""))
}
