package admin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/phone"
	"github.com/tokrihq/tokri/sync/outbox"
)

// service does the work behind every endpoint on one store. The server
// runs it inside the agent; the CLI runs it on the file when no agent does.
type service struct {
	db      *store.DB
	now     func() time.Time
	log     zerolog.Logger
	running bool           // Status.Running: true inside the agent
	agent   func() Status  // the agent's part of Status; nil without one
	sync    Syncer         // the sync client; nil when the store runs alone
	loc     *time.Location // the shop's zone, for "today"
	country phone.Country  // of numbers typed without a calling code

	summaryAt, summaryTo string  // when and to whom the day's summary goes; "" for never
	imports              imports // the catalog import running or last run
}

// Action is an operator's state change of an order.
type Action string

// The actions, each the verb of "tokri orders VERB ID".
const (
	Accept   Action = "accept"
	Reject   Action = "reject"
	Pack     Action = "pack"
	Dispatch Action = "dispatch"
	Deliver  Action = "deliver"
	Cancel   Action = "cancel"
)

// actionStates maps each action to the state it moves an order to.
var actionStates = map[Action]orders.State{
	Accept:   orders.Accepted,
	Reject:   orders.Rejected,
	Pack:     orders.Packed,
	Dispatch: orders.Dispatched,
	Deliver:  orders.Delivered,
	Cancel:   orders.Cancelled,
}

// States are the order states in their life order, for filters and counts.
var States = []orders.State{orders.Placed, orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered, orders.Rejected, orders.Cancelled}

// OpenStates are the states in which an order still needs the operator.
var OpenStates = []orders.State{orders.Placed, orders.Accepted, orders.Packed, orders.Dispatched}

func (s *service) orders(f orders.Filter) ([]orders.Order, error) {
	for _, st := range f.States {
		if !slices.Contains(States, st) {
			return nil, invalid("state", fmt.Sprintf("unknown state %q (want one of %s)", st, JoinStates(States)))
		}
	}
	if f.Limit < 0 {
		return nil, invalid("limit", "must not be negative")
	}
	return list(s, "list orders", func(tx *bbolt.Tx) ([]orders.Order, error) { return orders.List(tx, f) })
}

// list reads a list in one transaction; none is [] in JSON, not null.
func list[T any](s *service, what string, read func(tx *bbolt.Tx) ([]T, error)) ([]T, error) {
	var out []T
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		out, err = read(tx.Bolt())
		return err
	})
	if err != nil {
		return nil, internal(what, err)
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

func (s *service) order(id string) (orders.Order, error) {
	if id == "" {
		return orders.Order{}, invalid("id", "an order ID is required")
	}
	var o orders.Order
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		o, err = orders.Get(tx.Bolt(), id)
		return err
	})
	if err != nil {
		return orders.Order{}, s.orderErr(id, err)
	}
	return o, nil
}

func (s *service) act(id string, a Action, reason string) (orders.Order, error) {
	to, err := actTarget(id, a)
	if err != nil {
		return orders.Order{}, err
	}
	if a == Reject && reason == "" {
		return orders.Order{}, invalid("reason", "required to reject an order (the shopper is told why)")
	}
	now := s.now().UTC()
	var o orders.Order
	err = s.db.Update(func(tx *store.Tx) error {
		var err error
		o, err = orders.Transition(tx, id, to, reason, orders.ByOperator, now)
		return err
	})
	if errors.Is(err, orders.ErrBadTransition) {
		return orders.Order{}, s.moveErr(id, to, err)
	}
	if err != nil {
		return orders.Order{}, s.orderErr(id, err)
	}
	s.log.Info().Str("order", o.ID).Str("state", string(o.State)).Msg("order changed by operator")
	return o, nil
}

func (s *service) orderErr(id string, err error) error {
	switch {
	case errors.Is(err, orders.ErrNotFound):
		return notFound("id", fmt.Sprintf("unknown order ID %q", id), err)
	}
	return internal("order "+id, err)
}

// moveErr says in the operator's words why order id cannot move to state
// to: it is already there, or where it is and what it can do next.
func (s *service) moveErr(id string, to orders.State, cause error) error {
	o, err := s.order(id)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("order %s is already %s", o.ID, o.State)
	if o.State != to {
		var can []string
		for _, a := range []Action{Accept, Reject, Pack, Dispatch, Deliver, Cancel} {
			if orders.Allowed(o.State, actionStates[a], orders.ByOperator) {
				can = append(can, string(a))
			}
		}
		msg = fmt.Sprintf("order %s is %s, so it cannot be %s", o.ID, o.State, to)
		if len(can) > 0 {
			msg += "; it can be: " + strings.Join(can, ", ")
		} else {
			msg += "; it is finished"
		}
	}
	return &Error{Code: CodeConflict, Field: "action", Msg: msg, err: cause}
}

func csvSummary(ce *catalog.CSVError) string {
	n := len(ce.Problems) + ce.More
	if n == 1 {
		return "catalog csv: 1 bad line; nothing imported"
	}
	return fmt.Sprintf("catalog csv: %d bad lines; nothing imported", n)
}

// exportCSV writes the whole catalog; it renders into memory first so a
// failed read never leaves half a file behind.
func (s *service) exportCSV(w io.Writer) error {
	items, err := s.items()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := catalog.WriteCSV(&buf, items); err != nil {
		return internal("export catalog", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write catalog csv: %w", err)
	}
	return nil
}

func (s *service) items() ([]catalog.Item, error) { return list(s, "list items", catalog.Items) }

func (s *service) setStock(sku string, n int) (catalog.Item, error) {
	if n < 0 {
		return catalog.Item{}, invalid("stock", fmt.Sprintf("%d is negative", n))
	}
	if n > catalog.MaxStock {
		return catalog.Item{}, invalid("stock", fmt.Sprintf("%d is over the most an item may have, %d", n, catalog.MaxStock))
	}
	at := s.now()
	return s.changeItem(sku, func(tx *bbolt.Tx) error {
		return catalog.Move(tx, catalog.Movement{SKU: sku, Counted: true, Count: n, Reason: "set", At: at})
	}, "stock set")
}

func (s *service) setPrice(sku string, paise int64) (catalog.Item, error) {
	if paise <= 0 {
		return catalog.Item{}, invalid("price", "must be more than zero")
	}
	if paise > catalog.MaxPrice {
		return catalog.Item{}, invalid("price", "is over the most a unit may cost, "+catalog.FormatRupees(catalog.MaxPrice))
	}
	return s.changeItem(sku, func(tx *bbolt.Tx) error { return catalog.SetPrice(tx, sku, paise) }, "price set")
}

// setActive offers an item to shoppers again or withdraws it; a
// withdrawn item keeps its stock and price for when it comes back.
func (s *service) setActive(sku string, active bool) (catalog.Item, error) {
	what := "item withdrawn"
	if active {
		what = "item offered"
	}
	return s.changeItem(sku, func(tx *bbolt.Tx) error { return catalog.SetActive(tx, sku, active) }, what)
}

func (s *service) changeItem(sku string, change func(tx *bbolt.Tx) error, what string) (catalog.Item, error) {
	if sku == "" {
		return catalog.Item{}, invalid("sku", "a SKU is required")
	}
	var it catalog.Item
	err := s.db.Update(func(tx *store.Tx) error {
		if err := change(tx.Bolt()); err != nil {
			return err
		}
		var err error
		it, err = catalog.Get(tx.Bolt(), sku)
		return err
	})
	if errors.Is(err, catalog.ErrNotFound) {
		return catalog.Item{}, notFound("sku", fmt.Sprintf("unknown SKU %q", sku), err)
	}
	if errors.Is(err, catalog.ErrInvalid) {
		return catalog.Item{}, &Error{Code: CodeInvalid, Field: "sku", Msg: err.Error(), err: err}
	}
	if err != nil {
		return catalog.Item{}, internal(what+" "+sku, err)
	}
	s.log.Info().Str("sku", sku).Int64("price", it.Price).Int("stock", it.Stock).Msg(what)
	return it, nil
}

func (s *service) shoppers() ([]shoppers.Profile, error) {
	return list(s, "list shoppers", shoppers.List)
}

// number reads a shopper's number as the shop keys it, however the
// operator typed it.
func (s *service) number(raw string) (string, error) {
	n, err := s.country.Normalize(raw)
	if err != nil {
		return "", invalid("number", fmt.Sprintf("%q is not a phone number: %v", raw, err))
	}
	return n, nil
}

// setOptOut records the shopper's choice. A number the shop has never
// heard from may be opted out too (a shopper asking in person), but not
// opted in: that would make a profile out of nothing.
func (s *service) setOptOut(number string, out bool) (shoppers.Profile, error) {
	number, err := s.number(number)
	if err != nil {
		return shoppers.Profile{}, err
	}
	var p shoppers.Profile
	err = s.db.Update(func(tx *store.Tx) error {
		_, ok, err := shoppers.Get(tx.Bolt(), number)
		if err != nil {
			return err
		}
		if !ok && !out {
			return errUnknownShopper
		}
		if err := shoppers.SetOptOut(tx.Bolt(), number, out); err != nil {
			return err
		}
		p, _, err = shoppers.Get(tx.Bolt(), number)
		return err
	})
	if errors.Is(err, errUnknownShopper) {
		return shoppers.Profile{}, notFound("number", fmt.Sprintf("unknown shopper %s", number), err)
	}
	if err != nil {
		return shoppers.Profile{}, internal("set opt-out", err)
	}
	s.log.Info().Str("shopper", phone.Mask(number)).Bool("opted_out", out).Msg("shopper opt-out changed")
	return p, nil
}

// errUnknownShopper stops an opt-in transaction for a number with no profile.
var errUnknownShopper = errors.New("admin: unknown shopper")

func (s *service) status() (Status, error) {
	var st Status
	if s.agent != nil {
		st = s.agent()
	}
	st.Running = s.running
	if s.running {
		st.StoreCommits = s.db.Commits()
	}
	if s.sync != nil {
		st.Sync = syncStatusOf(s.sync.Status()) // reads the store: not inside a View below
	}
	now := s.now()
	st.Now = now.UTC()
	stats, err := s.db.Stats(now)
	if err != nil {
		return Status{}, internal("status", err)
	}
	q := &st.Queues
	q.InboxPending = stats.InboxPending
	q.Incomplete = stats.PartialGroups
	q.Undecodable = stats.Undecodable
	q.OutboxReply = stats.Queued[store.Reply]
	q.OutboxNotification = stats.Queued[store.Notification] + stats.Queued[store.Operator]
	q.OutboxBulk = stats.Queued[store.Bulk]
	q.OutboxWaiting = q.OutboxReply + q.OutboxNotification + q.OutboxBulk
	q.SentToday = stats.SentToday
	q.Capped = stats.Capped
	q.Failed = stats.Failed
	q.DroppedToday = stats.Pressure.Dropped
	q.HeldNumbers = stats.Pressure.Held
	q.ChatCapped = stats.Pressure.ChatCapped
	q.NewCapped = stats.Pressure.NewCapped
	err = s.db.View(func(tx *store.Tx) error {
		open, err := orders.List(tx.Bolt(), orders.Filter{States: OpenStates})
		if err != nil {
			return err
		}
		for _, o := range open {
			if st.OpenOrders == nil {
				st.OpenOrders = map[string]int{}
			}
			st.OpenOrders[string(o.State)]++
		}
		st.Items = catalog.Count(tx.Bolt())
		st.Shop.Paused = shop.Paused(tx.Bolt())
		if !s.running {
			n, err := outbox.Count(tx.Bolt())
			if err != nil {
				return err
			}
			st.Sync = &SyncStatus{Pending: n}
		}
		return nil
	})
	if err != nil {
		return Status{}, internal("status", err)
	}
	return st, nil
}

func internal(what string, err error) *Error {
	return &Error{Code: CodeInternal, Msg: what + ": " + err.Error(), err: err}
}

// JoinStates lists states for a message, comma-separated.
func JoinStates(ss []orders.State) string {
	var b bytes.Buffer
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(s))
	}
	return b.String()
}

// find lists the active items that match a shopper-style query, best
// first, through the shop's match index.
func (s *service) find(cache *catalog.Cache, q string) ([]catalog.Item, error) {
	if cache == nil {
		cache = catalog.NewCache()
	}
	out := []catalog.Item{}
	err := s.db.View(func(tx *store.Tx) error {
		idx, items, err := cache.Index(tx.Bolt())
		if err != nil {
			return err
		}
		for _, h := range idx.Find(q, 20).Hits {
			if h.Item >= 0 && h.Item < len(items) {
				out = append(out, items[h.Item])
			}
		}
		return nil
	})
	if err != nil {
		return nil, internal("find items", err)
	}
	return out, nil
}
