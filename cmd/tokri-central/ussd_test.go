package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
	"github.com/tokrihq/tokri/sync/relay"
)

// serveUntil runs serve on data until the returned stop is called.
func serveUntil(t *testing.T, data string) (base string, stop func()) {
	t.Helper()
	addr, stopServe := startServe(t, &bytes.Buffer{}, "--data", data)
	return "http://" + addr, func() {
		if err := stopServe(); err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

// startServe runs "tokri-central serve" on a free loopback port with args
// added, its log going to stderr, and returns the address it listens on.
// stop ends it and returns how Run ended.
func startServe(t *testing.T, stderr io.Writer, args ...string) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv := &ServeMain{Stderr: stderr}
	if err := command.Parse(srv, "tokri-central serve", append([]string{"--addr", "127.0.0.1:0"}, args...)); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	return srv.Addr(ctx), func() error {
		cancel()
		err := <-done
		srv.Close()
		return err
	}
}

func dialOnce(t *testing.T, url string) ussd.Reply {
	t.Helper()
	f, _ := gateway.Lookup("africastalking")
	call := &gateway.Call{Format: f, URL: url, Request: ussd.Request{Session: "s", Phone: "+919812345678", Code: "*384*7#"}}
	rep, err := call.Dial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The callback URL printed for a store reaches its agent; once the agent
// has said its SMS number and the shop's language, central tells
// shoppers that number in that language while the agent is away, also
// after central restarts.
func TestUSSDURLAndAwayNumber(t *testing.T) {
	data := t.TempDir()
	secret := regexp.MustCompile(`(?m)^[0-9a-f]{64}$`).FindString(cli(t, "store", "add", "--data", data, "kirana-7"))
	path := strings.TrimPrefix(strings.TrimSpace(cli(t, "ussd", "url", "--data", data, "--store", "kirana-7", "--format", "africastalking", "--base", "https://c.example/")), "https://c.example")
	if !regexp.MustCompile(`^/ussd/africastalking/kirana-7/[0-9a-f]{32}$`).MatchString(path) {
		t.Fatalf("ussd url path %q", path)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"ussd", "url", "--data", data, "--store", "nope", "--format", "hubtel"}, &out, &errb); err == nil {
		t.Error("ussd url for an unknown store succeeded")
	}
	if err := run(context.Background(), []string{"ussd", "url", "--data", data, "--store", "kirana-7", "--format", "smoke-signals"}, &out, &errb); err == nil {
		t.Error("ussd url for an unknown format succeeded")
	}

	base, stop := serveUntil(t, data)
	// While serve holds the store file, the command asks serve.
	if again := strings.TrimSpace(cli(t, "ussd", "url", "--data", data, "--store", "kirana-7", "--format", "africastalking", "--base", "https://c.example")); again != "https://c.example"+path {
		t.Errorf("ussd url while serve runs = %q, want the same URL", again)
	}
	if err := run(context.Background(), []string{"ussd", "url", "--data", data, "--store", "nope", "--format", "hubtel"}, &out, &errb); err == nil || !strings.Contains(err.Error(), `no store "nope"`) {
		t.Errorf("ussd url for an unknown store while serve runs: %v", err)
	}
	if rep := dialOnce(t, base+path); !rep.End || strings.Contains(rep.Text, "+91") {
		t.Errorf("no agent ever connected: %+v, want END without a number", rep)
	}
	c, err := relay.NewClient(relay.ClientOptions{Server: base, StoreID: "kirana-7", Secret: secret, Number: "+919800000000", Lang: protocol.Hindi,
		Step:    func(context.Context, ussd.Request) (ussd.Reply, error) { return ussd.Con("Sharma Kirana"), nil },
		Backoff: backoff.Policy{Base: 20 * time.Millisecond, Max: 20 * time.Millisecond}, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	agentDone := make(chan struct{})
	go func() { c.Run(ctx); close(agentDone) }()
	testtime.Until(t, "the agent's screen through central", func() bool { return dialOnce(t, base+path).Text == "Sharma Kirana" })
	cancel()
	<-agentDone
	stop()

	base, stop = serveUntil(t, data)
	defer stop()
	if rep := dialOnce(t, base+path); !rep.End || !strings.Contains(rep.Text, "ऑर्डर +919800000000 पर SMS करें") {
		t.Errorf("after a restart with the agent away: %+v, want END naming +919800000000 in Hindi", rep)
	}
}

// A numbers file saved before languages were kept still gives the
// number (in English); one with languages gives both.
func TestSavedContactsLoad(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{`{"kirana-7":"+919800000000"}`, "SMS your order to +919800000000."},
		{`{"kirana-7":{"number":"+919800000000","lang":"hi-Latn"}}`, "Apna order +919800000000 par SMS karein."},
	} {
		path := filepath.Join(t.TempDir(), numbersFile)
		if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
			t.Fatal(err)
		}
		hub := relay.NewHub(relay.HubOptions{Secret: func(context.Context, string) (string, error) { return "", errors.New("none") }, Log: zerolog.Nop()})
		keepContacts(hub, path, zerolog.Nop())
		c := hub.Contact("kirana-7")
		if got := ussd.Away(c.Lang, c.Number); !strings.Contains(got, tc.want) {
			t.Errorf("from %s: %q, want %q", tc.file, got, tc.want)
		}
		hub.Close()
	}
}
