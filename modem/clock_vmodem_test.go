package modem_test

import (
	"context"
	"testing"
	"time"

	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/modem"
)

// TestNetworkTimeFromVModem reads NITZ time and the SMSC from the virtual
// modem over its pty.
func TestNetworkTimeFromVModem(t *testing.T) {
	network := time.Date(2026, 12, 7, 3, 45, 30, 0, time.UTC)
	vm := testkit.StartVModem(t, vmodem.Config{Now: func() time.Time { return network }})
	port, err := serial.Open(vm.Link(), 115200)
	if err != nil {
		t.Fatal(err)
	}
	m := modem.New(port, modem.Options{Log: testkit.Log(t)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() { cancel(); <-done }()
	if err := m.Init(ctx); err != nil {
		t.Fatal(err)
	}
	m.EnableNetworkTime(ctx)
	got, err := m.NetworkTime(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(network) {
		t.Errorf("NetworkTime = %v, want %v", got, network)
	}
	smsc, err := m.SMSC(ctx)
	if err != nil || smsc == "" {
		t.Errorf("SMSC = %q, %v; want the SIM's centre", smsc, err)
	}
}
