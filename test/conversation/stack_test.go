package conversation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/system"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/systemtest"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// stack is one shop running end to end: store, shop, agent, serial
// driver, virtual modem and its control API. Its clock moves only when
// the script says so (a minute per message, and "advance" lines), so
// replies that depend on opening hours and per-hour limits come out as in
// the golden files.
type stack struct {
	t     *testing.T
	ctx   context.Context // for control calls; ends at cleanup
	clock *testtime.Clock
	db    *store.DB
	vmc   *vmodem.Client

	inbound int              // messages and calls delivered so far
	seq     int              // the modem's sent log has been read up to here
	ids     testkit.OrderIDs // orders placed, for "#n"
}

// newStack starts a fresh shop with the example catalog. Everything stops
// at the end of the test: the agent, then the modem, then the store.
func newStack(t *testing.T, cfg config.Shop) *stack {
	t.Helper()
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	clk := testtime.NewClock(testkit.ShopStart)
	// The network's time is the test's too, so the agent's clock keeps it.
	vm := testkit.StartVModem(t, vmodem.Config{Now: clk.Now, Log: log.Level(zerolog.WarnLevel).With().Str("side", "vmodem").Logger()})
	// The golden conversations were written for a SIM with no daily cap.
	conf := config.Default()
	conf.Shop, conf.Agent.OwnNumber, conf.Agent.DailyCap = cfg, testkit.OwnSIM, 0
	sys, a := systemtest.Start(t, vm, system.Options{Config: conf, SystemClock: clk.Now, Log: log.With().Str("side", "agent").Logger()})
	testkit.ImportShop(t, sys.DB, cfg.Name, testkit.ExampleCatalog(t))
	// A call that rings before Init has turned on caller ID is lost, as
	// on a real modem; a shop starts taking messages once it is ready.
	a.WaitModem()
	return &stack{t: t, ctx: vm.Ctx, clock: clk, db: sys.DB, vmc: vm.Client}
}

// reply is one message that went out over the air, with the priority the
// outbox gave it.
type reply struct {
	vmodem.Sent
	id       uint64
	priority store.Priority
}

// exchange makes one phone send an SMS (or call, if text is nil) a
// minute after the last, waits until the shop has handled it and the
// outbox is empty, and returns what the modem sent meanwhile, in the
// order the shop queued it. want is how many messages the golden file
// expects; more or fewer is the caller's to compare.
func (s *stack) exchange(from string, text *string, want int) []reply {
	s.t.Helper()
	s.clock.Add(time.Minute) // people take a minute to answer
	if text == nil {
		if err := s.vmc.Call(s.ctx, from); err != nil {
			s.t.Fatalf("call from %s: %v", from, err)
		}
	} else if err := s.vmc.SendSMS(s.ctx, vmodem.SMS{From: from, Text: *text}); err != nil {
		s.t.Fatalf("sms from %s: %v", from, err)
	}
	s.inbound++
	if want > 0 {
		// Returns as soon as the golden number of messages went out; the
		// store says below whether that was all.
		_, _ = s.vmc.WaitSent(s.ctx, s.seq, want, 10*time.Second)
	}
	s.waitHandled(uint64(s.inbound))
	s.waitDrained()
	// Everything the shop queued is on the modem's log now: the modem
	// logs a message before it answers +CMGS, and the agent takes it out
	// of the outbox only after that answer.
	return s.sentSinceLast()
}

// sentSinceLast is what the modem sent since the last call, with the
// priorities the store gave it.
func (s *stack) sentSinceLast() []reply {
	s.t.Helper()
	sent, err := s.vmc.SentSince(s.ctx, s.seq)
	if err != nil {
		s.t.Fatalf("sent log: %v", err)
	}
	if len(sent) > 0 {
		s.seq = sent[len(sent)-1].Seq
	}
	return s.withPriority(sent)
}

// waitHandled waits until inbound id exists, is handled and nothing else
// is pending: the store's word that the shop has acted on it.
func (s *stack) waitHandled(id uint64) {
	s.t.Helper()
	testtime.Eventually(s.t, fmt.Sprintf("inbound %d handled", id), func() (bool, string) {
		in, err := s.db.Inbound(id)
		if errors.Is(err, store.ErrNotFound) {
			und, _ := s.db.Undecodable()
			return false, fmt.Sprintf("not in the store (%d undecodable)", len(und))
		}
		if err != nil {
			return false, err.Error()
		}
		if !in.Handled {
			return false, "pending"
		}
		p, err := s.db.Pending()
		if err != nil {
			return false, err.Error()
		}
		return len(p) == 0, fmt.Sprintf("%d others pending", len(p))
	})
	if _, err := s.db.Inbound(id + 1); !errors.Is(err, store.ErrNotFound) {
		s.t.Errorf("one message became more than one inbound (inbound %d: %v)", id+1, err)
	}
}

// waitDrained waits until the outbox holds nothing, due or not.
func (s *stack) waitDrained() {
	s.t.Helper()
	testtime.Eventually(s.t, "the outbox drained", func() (bool, string) {
		next, err := s.db.NextOutbound(s.clock.Now().Add(24*time.Hour), 0)
		if err != nil {
			return false, err.Error()
		}
		if !next.OK {
			return true, ""
		}
		o := next.Out
		return false, fmt.Sprintf("outbound %d to %s, attempts %d, last error %q", o.ID, o.To, o.Attempts, o.LastError)
	})
}

// withPriority finds each sent message in the store's sent log by
// recipient and message references, to learn its priority and the order
// the shop queued it in (the modem sends replies before notifications).
func (s *stack) withPriority(sent []vmodem.Sent) []reply {
	s.t.Helper()
	log, err := s.db.SentLog(0)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []reply
	for _, m := range sent {
		r := reply{Sent: m, priority: -1}
		for _, l := range log {
			if l.To == m.To && slices.Equal(l.MRs, m.MRs) {
				r.id, r.priority = l.ID, l.Priority
				break
			}
		}
		if r.priority < 0 {
			s.t.Errorf("sent %+v is not in the store's sent log", m)
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b reply) int { return int(a.id) - int(b.id) })
	return out
}

// moveOrder runs a "shop <verb> [reason]" line as the console does: the
// sender's latest order moves on, and what the shopper is told goes out
// over the air.
func (s *stack) moveOrder(from, l string, want int) []reply {
	s.t.Helper()
	s.clock.Add(10 * time.Minute)
	if err := testkit.MoveOrder(s.db, from, l, s.clock.Now()); err != nil {
		s.t.Fatal(err)
	}
	if want > 0 {
		_, _ = s.vmc.WaitSent(s.ctx, s.seq, want, 10*time.Second)
	}
	s.waitDrained()
	return s.sentSinceLast()
}
