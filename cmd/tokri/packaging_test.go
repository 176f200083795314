package main

import (
	"path/filepath"
	"testing"

	"github.com/tokrihq/tokri/agent/config"
)

// TestPackagedConfigLoads keeps the commented /etc/tokri/tokri.toml that
// the .deb installs valid: a store's first start must not fail on it.
func TestPackagedConfigLoads(t *testing.T) {
	cfg, err := config.Load(filepath.Join("..", "..", "packaging", "tokri.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Modem.Port != "/dev/tokri-modem" || cfg.Agent.Data != config.DefaultData {
		t.Errorf("packaged config: port %q, data %q; want the udev link and the unit's StateDirectory", cfg.Modem.Port, cfg.Agent.Data)
	}
}
