package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/seed"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// serveAdmin serves the admin API of db on <dir>/tokri.sock until the test
// ends, and waits until it answers.
func serveAdmin(t *testing.T, dir string, db *store.DB) string {
	t.Helper()
	return serveAdminWith(t, dir, admin.Options{DB: db, Cache: catalog.NewCache(), Status: agentStatus, Log: testkit.Log(t), Now: seed.Clock})
}

// agentStatus stands in for the agent's Status func.
func agentStatus() admin.Status {
	return admin.Status{
		Version:   "test",
		StartedAt: seed.Now.Add(-3 * time.Hour),
		Modem: admin.ModemStatus{State: "ready", Registration: "registered, home", Registered: true,
			Operator: "Airtel", CSQ: 21, DBm: -71, Bars: 3, SIM: "ready"},
		Queues: admin.Queues{DailyCap: 200},
	}
}

// serveAdminWith is serveAdmin with the server's options given.
func serveAdminWith(t *testing.T, dir string, opts admin.Options) string {
	t.Helper()
	sock := filepath.Join(dir, admin.SocketName)
	srv := admin.NewServer(opts)
	seed.Serve(t, func(ctx context.Context) error { return srv.Serve(ctx, sock) })
	c := admin.Dial(sock)
	defer c.Close()
	testtime.Until(t, "the socket to answer", func() bool { _, err := c.Status(context.Background()); return err == nil })
	return sock
}

// tokri runs one tokri command line on the data in dir (times shown in
// UTC) and returns what it printed and its exit code.
func tokri(t *testing.T, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	out, errw, _, err := tokriExit(t, dir, args...)
	return out, errw, err
}

// tokriExit is tokri with the exit code the binary would give, and the
// error as the binary prints it in stderr.
func tokriExit(t *testing.T, dir string, args ...string) (stdout, stderr string, code int, err error) {
	t.Helper()
	if dir != "" {
		cfg := filepath.Join(t.TempDir(), "utc.toml")
		if err := os.WriteFile(cfg, []byte("[agent]\ntimezone = \"UTC\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--data", dir, "--config", cfg)
	}
	var out, errw bytes.Buffer
	err = table(&out, &errw, seed.Clock).Run(context.Background(), args)
	code = command.Exit("tokri", err, command.WantsJSON(args), &out, &errw)
	return out.String(), errw.String(), code, err
}

// tokriJSON runs a command with --json on the data in dir and decodes
// what it printed.
func tokriJSON[T any](t *testing.T, dir string, args ...string) T {
	t.Helper()
	var v T
	out, _, err := tokri(t, dir, append(args, "--json")...)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%s --json: %v\n%s", strings.Join(args, " "), err, out)
	}
	return v
}

// staleSocket leaves a socket file at path that nothing listens on, as a
// killed agent would.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// syncBuffer is a bytes.Buffer safe to write from one goroutine while
// another reads it after.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
