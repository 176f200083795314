package central

import (
	"testing"

	"github.com/tokrihq/tokri/agent/admin"
)

// TestOrderLeavesOnCommit runs the agent with a sync round only every hour:
// an order placed by SMS must still reach the central server at once,
// because its commit wakes the uplink instead of waiting for the hour.
func TestOrderLeavesOnCommit(t *testing.T) {
	ctx, r := newRig(t, "tokri-wake-")
	serve, addr := r.serveCentral(ctx, t)
	modemLink, phone := r.startModem(ctx, t)
	r.writeConfig(t, modemLink, "http://"+addr, "1h")

	agent := start(t, r.dir, "agent", r.bin.tokri, "run", "--config", r.cfg)
	first := r.waitStatus(ctx, t, "the first round at start", func(s admin.Status) bool {
		return !s.Sync.LastSuccess.IsZero() && s.Sync.Pending == 0
	})
	id := (&conversation{t: t, phone: phone}).order(ctx)
	// The next round by the clock is an hour away; only the order's
	// commit can have started this one.
	r.waitStatus(ctx, t, "order "+id+" at the central server", func(s admin.Status) bool {
		return s.Sync.Pending == 0 && s.Sync.LastSuccess.After(first.Sync.LastSuccess)
	})
	r.agentOrder(t, id)
	agent.stop(t)
	serve.stop(t)
	if n := pushes(serve.Output(t)); n == 0 {
		t.Error("the server log shows no push of the order")
	}
}
