package central

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

const (
	storeID = "kirana-7"
	catalog = "../../examples/kirana.csv"
	shopper = "+919812345678"
)

// TestWalkthrough is the README's walkthrough with real processes: set up
// and serve the central server, run the agent against it on the virtual
// modem, cut the network, take an order by SMS, restart the agent, restore
// the network, sync, and find the order exactly once at the central server
// with the total the agent took.
func TestWalkthrough(t *testing.T) {
	// The central server: a store, its catalog, and the API.
	ctx, r := newRig(t, "tokri-walkthrough-")
	serve, addr := r.serveCentral(ctx, t)
	network := newLink(t, addr)

	// The store: the virtual modem, the agent's own catalog, its config.
	modemLink, phone := r.startModem(ctx, t)
	r.writeConfig(t, modemLink, network.URL(), "5s")

	agent := start(t, r.dir, "agent-1", r.bin.tokri, "run", "--config", r.cfg)
	st := r.waitStatus(ctx, t, "the first sync", func(s admin.Status) bool {
		return s.Sync.CatalogVersion > 0 && !s.Sync.LastSuccess.IsZero()
	})
	t.Logf("agent synced: catalog version %d", st.Sync.CatalogVersion)

	// The network goes down; a shopper orders anyway.
	network.cut()
	r.waitStatus(ctx, t, "a failed round with the link cut", func(s admin.Status) bool {
		return s.Sync.LastError != "" && s.Sync.LastAttempt.After(s.Sync.LastSuccess)
	})
	shop := &conversation{t: t, phone: phone}
	id := shop.order(ctx)
	cut := r.waitStatus(ctx, t, "the order waiting for sync", func(s admin.Status) bool {
		return s.Sync.Pending > 0 && s.Sync.LastError != ""
	})
	text := must(t, r.bin.tokri, "status", "--data", r.adata)
	if !strings.Contains(text, fmt.Sprintf("%d pending", cut.Sync.Pending)) || !strings.Contains(text, "last error:") {
		t.Errorf("tokri status with the link cut does not show pending records and the last error:\n%s", text)
	}
	t.Logf("link cut: order %s placed, %d records pending, last error %q", id, cut.Sync.Pending, cut.Sync.LastError)

	// The agent restarts while the link is still down: the records wait on.
	smsBefore := shop.count(ctx)
	agent.stop(t)
	agent = start(t, r.dir, "agent-2", r.bin.tokri, "run", "--config", r.cfg)
	r.waitStatus(ctx, t, "the restarted agent with the order still pending", func(s admin.Status) bool {
		return s.Running && s.Sync.Pending == cut.Sync.Pending
	})

	// The network comes back; one round sends the order.
	network.restore()
	var round admin.SyncRound
	mustJSON(t, &round, r.bin.tokri, "sync", "now", "--data", r.adata, "--json")
	after := r.waitStatus(ctx, t, "the outbox to empty", func(s admin.Status) bool {
		return s.Sync.Pending == 0 && s.Sync.LastError == ""
	})
	mustJSON(t, &round, r.bin.tokri, "sync", "now", "--data", r.adata, "--json")
	if round.Pushed != 0 || round.Duplicates != 0 {
		t.Errorf("a round after everything was sent pushed %d records (%d duplicates)", round.Pushed, round.Duplicates)
	}
	if n := shop.count(ctx); n != smsBefore {
		t.Errorf("the shopper got %d SMS after the restart, want none", n-smsBefore)
	}
	t.Logf("link restored: outbox empty, catalog version %d", after.Sync.CatalogVersion)

	// The central server has the order once, as the agent took it. Its
	// bbolt file is locked while serve runs, so the operator stops it first.
	if _, err := command(r.bin.central, "orders", "list", "--data", r.cdata, "--store", storeID); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("orders list while serve runs: %v, want it to say the file is in use", err)
	}
	agent.stop(t)
	serve.stop(t)
	if n := pushes(serve.Output(t)); n != 1 {
		t.Errorf("the server answered %d pushes, want the order to go up in exactly one", n)
	}
	got, local := r.centralOrder(t, id), r.agentOrder(t, id)
	if got.Placed == nil || got.Placed.Total != local.Total || len(got.Placed.Lines) != len(local.Lines) || got.State != string(orders.Placed) {
		t.Fatalf("central order = %+v, want the agent's total %d with %d lines, placed", got, local.Total, len(local.Lines))
	}
	t.Logf("central holds %s once: total ₹%d.%02d, %d lines", id, got.Placed.Total/100, got.Placed.Total%100, len(got.Placed.Lines))
}

// pushes counts the outbox pushes the server accepted, from its request
// log (serve --debug logs every request).
func pushes(log string) int {
	n := 0
	for _, line := range strings.Split(log, "\n") {
		var r struct {
			Method, Path, Store string
			Status              int
		}
		if json.Unmarshal([]byte(line), &r) == nil && r.Method == "POST" && r.Path == "/v1/outbox" && r.Store == storeID && r.Status == 200 {
			n++
		}
	}
	return n
}

// writeConfig writes the agent's config: the modem at modemLink, its store
// in the rig, and a round with server every interval (and no longer apart
// while it fails).
func (r *rig) writeConfig(t *testing.T, modemLink, server, interval string) {
	t.Helper()
	cfg := fmt.Sprintf(`[modem]
port = %q
poll_interval = "2s"

[agent]
data = %q
daily_cap = 1000

[shop]
opens = "00:00"
closes = "00:00"

[sync]
server = %q
store_id = %q
secret = %q
interval = %q
max_backoff = %[6]q
`, modemLink, r.adata, server, storeID, r.secret, interval)
	if err := os.WriteFile(r.cfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// waitStatus polls "tokri status --json" until ok says yes, and returns
// that status.
func (r *rig) waitStatus(ctx context.Context, t *testing.T, what string, ok func(admin.Status) bool) admin.Status {
	t.Helper()
	var st admin.Status
	testtime.Until(t, what, func() bool {
		out, err := command(r.bin.tokri, "status", "--data", r.adata, "--json")
		if err != nil {
			return false // the agent is starting or stopping
		}
		st = admin.Status{}
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("tokri status --json: %v\n%s", err, out)
		}
		return st.Sync != nil && ok(st)
	})
	return st
}

// conversation is one shopper texting the shop through the virtual modem.
type conversation struct {
	t     *testing.T
	phone *vmodem.Client
	seq   int // the last network entry read
}

// say texts the shop and returns its reply.
func (c *conversation) say(ctx context.Context, text string) string {
	c.t.Helper()
	c.t.Logf("shopper: %s", text)
	if err := c.phone.SendSMS(ctx, vmodem.SMS{From: shopper, Text: text}); err != nil {
		c.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		sent, _ := c.phone.WaitSent(ctx, c.seq, 1, 5*time.Second) // a long poll that ends empty polls again
		for _, s := range sent {
			c.seq = s.Seq
			if s.To == shopper {
				c.t.Logf("shop: %s", s.Text)
				return s.Text
			}
		}
	}
	c.t.Fatalf("no reply to %q", text)
	return ""
}

// count is how many SMS the shopper has had so far.
func (c *conversation) count(ctx context.Context) int {
	c.t.Helper()
	all, err := c.phone.Sent(ctx)
	if err != nil {
		c.t.Fatal(err)
	}
	n := 0
	for _, s := range all {
		if s.To == shopper {
			n++
		}
	}
	return n
}

var (
	placedRe  = regexp.MustCompile(`Order ([` + orders.IDAlphabet + `]{5}) placed`)
	choicesRe = regexp.MustCompile(`(?m)(^|\s)1[.)]`)
)

// order orders two packs of atta and a bottle of oil in one message, and
// answers the shop as a shopper would until the order is placed.
func (c *conversation) order(ctx context.Context) string {
	c.t.Helper()
	reply := c.say(ctx, "2 atta 5kg, 1 oil")
	for turn := 0; turn < 8; turn++ {
		lower := strings.ToLower(reply)
		switch {
		case placedRe.MatchString(reply):
			return placedRe.FindStringSubmatch(reply)[1]
		case strings.Contains(reply, "YES"):
			reply = c.say(ctx, "yes")
		case strings.Contains(reply, "ADDR"):
			reply = c.say(ctx, "ADDR 12 MG Road")
		case choicesRe.MatchString(reply):
			reply = c.say(ctx, "1")
		case strings.Contains(lower, "checkout"):
			reply = c.say(ctx, "checkout")
		default:
			c.t.Fatalf("the shopper does not know what to answer to %q", reply)
		}
	}
	c.t.Fatal("no order placed after 8 turns")
	return ""
}
