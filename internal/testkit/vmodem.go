package testkit

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/tokrihq/tokri/hardware/vmodem"
)

// VModem is a virtual modem on a pty with its control API served by an
// httptest server.
type VModem struct {
	*vmodem.Modem
	Client *vmodem.Client  // the control API
	Ctx    context.Context // for control calls; ends at cleanup
}

// StartVModem runs a virtual modem made from cfg until the test ends; an
// empty cfg.Link becomes a link in t.TempDir(). Register anything that
// must stop before the modem (an agent on it) after this call.
func StartVModem(t testing.TB, cfg vmodem.Config) *VModem {
	t.Helper()
	if cfg.Link == "" {
		cfg.Link = filepath.Join(t.TempDir(), "modem")
	}
	vm, err := vmodem.New(cfg)
	if err != nil {
		t.Fatalf("vmodem.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vm.Run(ctx) }()
	srv := httptest.NewServer(vm.Handler())
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("vmodem.Run: %v", err)
		}
		srv.Close()
	})
	return &VModem{Modem: vm, Client: &vmodem.Client{BaseURL: srv.URL, HTTP: srv.Client()}, Ctx: ctx}
}
