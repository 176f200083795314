package vmodem

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

func TestRunSim(t *testing.T) {
	testtime.NoLeaks(t)
	link := filepath.Join(t.TempDir(), "modem")
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	cfg := Config{Link: link, Profile: "huawei-e1752", Log: zerolog.New(zerolog.NewTestWriter(t))}
	go func() { done <- RunSim(ctx, cfg, "127.0.0.1:0", func(u string) { urls <- u }) }()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("RunSim ended: %v", err)
	case <-time.After(wait):
		t.Fatal("no control url")
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Fatalf("url %q", url)
	}
	c := &Client{BaseURL: url, HTTP: &httpClientNoKeepAlive}
	st, err := c.State(ctx)
	if err != nil || st.Profile != "huawei-e1752" || st.Link != link || st.Storage.Total != 30 {
		t.Fatalf("state %+v %v", st, err)
	}
	s := openStream(t, link)
	s.expect("^RSSI:13\r\n")
	if got := s.cmd("AT"); got != "AT\r\r\nOK\r\n" {
		t.Errorf("AT: %q", got)
	}
	s.close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunSim: %v", err)
	}
	if _, err := os.Lstat(link); !os.IsNotExist(err) {
		t.Errorf("link left behind: %v", err)
	}
	if _, err := c.State(context.Background()); err == nil {
		t.Error("control api still answering")
	}
}

func TestRunSimRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":8089", "192.0.2.1:80", "example.com:80", "nonsense"} {
		err := RunSim(context.Background(), Config{}, addr, nil)
		if err == nil {
			t.Errorf("%s accepted", addr)
		}
		if addr != "nonsense" && !errors.Is(err, ErrNotLoopback) {
			t.Errorf("%s: %v", addr, err)
		}
	}
	if err := checkLoopback("[::1]:0"); err != nil {
		t.Errorf("::1: %v", err)
	}
	if err := checkLoopback("localhost:0"); err != nil {
		t.Errorf("localhost: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(Config{Profile: "nokia-3310"}); !errors.Is(err, ErrUnknownProfile) {
		t.Errorf("profile: %v", err)
	}
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	if _, err := New(Config{Link: f}); !errors.Is(err, ErrLinkOccupied) {
		t.Errorf("occupied: %v", err)
	}
	// A stale symlink from an earlier run is replaced.
	l := filepath.Join(t.TempDir(), "modem")
	os.Symlink("/dev/pts/9999", l)
	m, err := New(Config{Link: l, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if target, _ := os.Readlink(l); target != m.Path() {
		t.Errorf("link -> %s, want %s", target, m.Path())
	}
	m.Close()
	if _, err := os.Lstat(l); !os.IsNotExist(err) {
		t.Errorf("Close left the link: %v", err)
	}
	if err := m.Run(context.Background()); !errors.Is(err, ErrNotRunning) {
		t.Errorf("run after close: %v", err)
	}
}

func TestPeriodicRSSI(t *testing.T) {
	e, out, done := tapEngine(t, "huawei-e1752")
	defer done()
	out.Reset()
	e.t.rssi = time.Millisecond
	e.periodicRSSI()
	tick := func() {
		select {
		case h := <-e.m.timerCh:
			e.fire(h)
			e.settle()
		case <-time.After(wait):
			t.Fatal("no tick")
		}
	}
	for i := 0; i < 3; i++ {
		tick()
	}
	if got := out.String(); got != "\r\n^RSSI:18\r\n\r\n^RSSI:18\r\n\r\n^BOOT:48175390,0,0,0,89\r\n" {
		t.Errorf("ticks: %q", got)
	}
	out.Reset()
	e.input([]byte("AT^CURC=0\r"))
	e.settle()
	out.Reset()
	tick()
	if out.Len() != 0 {
		t.Errorf("with ^CURC=0: %q", out.String())
	}
}

// httpClientNoKeepAlive keeps a closed server from leaving idle connections behind.
var httpClientNoKeepAlive = http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
