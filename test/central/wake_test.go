package central

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/orders"
)

// TestOrderLeavesOnCommit runs the agent with a sync round only every hour:
// an order placed by SMS must still reach the central server at once,
// because its commit wakes the uplink instead of waiting for the hour.
func TestOrderLeavesOnCommit(t *testing.T) {
	dir := keptDir(t, "tokri-wake-")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin := build(t, dir)
	cdata, adata := filepath.Join(dir, "central"), filepath.Join(dir, "agent")
	secret := addStore(t, bin, cdata)
	serve, addr := serveCentral(ctx, t, bin, dir, cdata)
	modemLink, phone := startModem(ctx, t, bin, dir, adata)
	cfg := filepath.Join(dir, "tokri.toml")
	writeConfig(t, cfg, modemLink, adata, "http://"+addr, secret, "1h")

	agent := start(t, dir, "agent", bin.tokri, "run", "--config", cfg)
	first := waitStatus(ctx, t, bin, adata, "the first round at start", func(s admin.Status) bool {
		return !s.Sync.LastSuccess.IsZero() && s.Sync.Pending == 0
	})
	id := (&conversation{t: t, phone: phone}).order(ctx)
	// The next round by the clock is an hour away; only the order's
	// commit can have started this one.
	waitStatus(ctx, t, bin, adata, "order "+id+" at the central server", func(s admin.Status) bool {
		return s.Sync.Pending == 0 && s.Sync.LastSuccess.After(first.Sync.LastSuccess)
	})
	var local []orders.Order
	mustJSON(t, &local, bin.tokri, "orders", "list", "--data", adata, "--json")
	if len(local) != 1 || local[0].ID != id || !local[0].Synced {
		t.Fatalf("agent's orders = %+v, want %s alone, acknowledged by central", local, id)
	}
	agent.stop(t)
	serve.stop(t)
	if n := pushes(serve.Output(t)); n == 0 {
		t.Error("the server log shows no push of the order")
	}
}
