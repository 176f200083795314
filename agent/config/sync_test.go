package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSyncDefaults(t *testing.T) {
	c := mustParse(t, "[sync]\n")
	s := c.Sync
	if s.Interval.Duration != 2*time.Hour || s.MaxBackoff.Duration != 15*time.Minute || s.Batch != 100 || s.DailyBytes != 0 || s.PostQuantum {
		t.Errorf("defaults = %+v", s)
	}
}

func TestSyncProblems(t *testing.T) {
	pin := strings.Repeat("ab", 32)
	tests := []struct {
		name string
		toml string
		want []string // fields with a problem, in order
	}{
		{"alone", "", nil},
		{"alone ignores missing id", "daily_bytes = 1000000", nil},
		{"full", `server = "https://c.example.com"
store_id = "kirana-7"
secret = "` + strings.Repeat("f", 64) + `"
pin_sha256 = "` + pin + `"
post_quantum = true
daily_bytes = 2000000
interval = "30s"
max_backoff = "10m"
batch = 50`, nil},
		{"pin with colons", `server = "https://c"
store_id = "s"
secret_file = "/etc/tokri/sync.secret"
pin_sha256 = "` + strings.ToUpper(pin[:2]) + ":" + pin[2:] + `"`, nil},
		{"missing id and secret", `server = "https://c.example.com"`, []string{"sync.store_id", "sync.secret"}},
		{"bad url", `server = "c.example.com"
store_id = "s"
secret = "` + strings.Repeat("f", 64) + `"`, []string{"sync.server"}},
		{"both secrets", `server = "http://c"
store_id = "S"
secret = "` + strings.Repeat("f", 64) + `"
secret_file = "x"`, []string{"sync.store_id", "sync.secret_file"}},
		{"short secret", `server = "http://c"
store_id = "s"
secret = "abc"`, []string{"sync.secret"}},
		{"pin over http", `server = "http://c"
store_id = "s"
secret = "` + strings.Repeat("f", 64) + `"
pin_sha256 = "` + pin + `"`, []string{"sync.pin_sha256"}},
		{"bad pin", `server = "https://c"
store_id = "s"
secret = "` + strings.Repeat("f", 64) + `"
pin_sha256 = "abc"`, []string{"sync.pin_sha256"}},
		{"numbers", `daily_bytes = -1
interval = "1s"
max_backoff = "10s"
batch = 501`, []string{"sync.daily_bytes", "sync.interval", "sync.batch"}},
		{"backoff too short", `max_backoff = "1s"`, []string{"sync.max_backoff"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.toml", []byte("[sync]\n"+tt.toml+"\n"))
			var got []string
			var ce *Error
			if errors.As(err, &ce) {
				for _, p := range ce.Problems {
					got = append(got, p.Field)
					if p.Line == 0 && strings.Contains(tt.toml, strings.TrimPrefix(p.Field, "sync.")+" =") {
						t.Errorf("problem %s has no line", p.Field)
					}
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("problems = %v, want %v (%v)", got, tt.want, err)
			}
		})
	}
}

func TestSyncReadSecret(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	short := filepath.Join(dir, "short")
	secret := strings.Repeat("e", 64)
	os.WriteFile(good, []byte(secret+"\n"), 0o600)
	os.WriteFile(short, []byte("abc\n"), 0o600)
	tests := []struct {
		s       Sync
		want    string
		wantErr bool
	}{
		{Sync{Secret: secret}, secret, false},
		{Sync{SecretFile: good}, secret, false},
		{Sync{SecretFile: short}, "", true},
		{Sync{SecretFile: filepath.Join(dir, "missing")}, "", true},
	}
	for _, tt := range tests {
		got, err := tt.s.ReadSecret()
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ReadSecret(%+v) = %q, %v", tt.s, got, err)
		}
	}
	if p := (Sync{PinSHA256: "AB:cd"}).Pin(); p != "abcd" {
		t.Errorf("Pin = %q", p)
	}
}
