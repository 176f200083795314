package shop

import (
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/phone"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/command"
	"github.com/tokrihq/tokri/protocol/match"
	"github.com/tokrihq/tokri/protocol/render"
)

// Options configure a Shop.
type Options struct {
	Config    config.Shop // with defaults applied (config.Load does)
	Cache     *catalog.Cache
	Log       zerolog.Logger
	Now       func() time.Time
	OwnNumber string // the SIM's own number: never answered
	// Location is the shop's time zone, for opening hours and the day of
	// the per-sender reply limit. Default Asia/Kolkata.
	Location *time.Location
	// Country reads numbers written without a calling code: operators in
	// the config and senders in national form. Default India.
	Country phone.Country
}

// Shop answers shoppers and the operator. It is safe for concurrent use.
type Shop struct {
	cfg     config.Shop
	cache   *catalog.Cache
	log     zerolog.Logger
	now     func() time.Time
	own     string
	country phone.Country
	loc     *time.Location
	lang    protocol.Lang
	ops     map[string]bool // operator numbers, E.164

	mu   sync.Mutex // guards following
	view *view      // categories of the catalog index last seen
}

// New returns a Shop.
func New(opts Options) *Shop {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Cache == nil {
		opts.Cache = catalog.NewCache()
	}
	if opts.Location == nil {
		loc, err := time.LoadLocation(config.DefaultTimezone)
		if err != nil {
			loc = time.UTC
		}
		opts.Location = loc
	}
	s := &Shop{
		cfg:     opts.Config,
		cache:   opts.Cache,
		log:     opts.Log.With().Str("component", "shop").Logger(),
		now:     opts.Now,
		own:     opts.OwnNumber,
		country: opts.Country,
		loc:     opts.Location,
		lang:    protocol.ParseLang(opts.Config.Language),
		ops:     make(map[string]bool),
	}
	s.cfg.Operators = nil // in E.164, for the operator check and new-order notices
	for _, n := range opts.Config.Operators {
		if e164, err := opts.Country.Normalize(n); err == nil && !s.ops[e164] {
			s.ops[e164] = true
			s.cfg.Operators = append(s.cfg.Operators, e164)
		}
	}
	return s
}

// fromOperator says whether the message came from an operator's phone.
func (c *conv) fromOperator() bool { return c.s.ops[c.in.From] }

// conv is one inbound message being handled: everything loaded for it
// and what it changes, written back by finish.
type conv struct {
	s    *Shop
	tx   *store.Tx
	btx  *bbolt.Tx
	in   store.Inbound
	now  time.Time
	lang protocol.Lang

	prof  shoppers.Profile
	sess  session
	cart  cart
	lim   limits
	idx   *match.Index
	items []catalog.Item
	v     *view

	reply string   // folded and fitted; "" sends nothing
	gone  []string // items no longer sold taken out of the cart, for the reply's note

	fresh   bool // the message starts a conversation (no session, or it expired)
	noticed bool // the reply already says the shop is closed or paused
}

// Handle answers one inbound message or missed call inside tx.
func (s *Shop) Handle(tx *store.Tx, in store.Inbound) error {
	if !s.country.Answerable(in.From, s.own) {
		return nil
	}
	// One shopper, one record, however the network wrote the number.
	in.From, _ = s.country.Normalize(in.From)
	c := &conv{s: s, tx: tx, btx: tx.Bolt(), in: in, now: s.now().UTC()}
	if err := c.load(); err != nil {
		return fmt.Errorf("shop: %w", err)
	}
	if c.optedOut() {
		return c.finish()
	}
	if c.limited() {
		return c.finish()
	}
	var err error
	switch {
	case in.Channel == store.ChannelCall:
		c.sess = session{}
		if err = c.dropGone(); err == nil {
			err = c.welcome("")
		}
	default:
		err = c.dispatch()
	}
	if err != nil {
		return fmt.Errorf("shop: %s: %w", command.Parse(in.Text).Name(), err)
	}
	if c.reply == "" && len(c.gone) > 0 {
		c.say("") // the cart changed: say so even when nothing else is said
	}
	return c.finish()
}

// load reads the shopper's profile, session, cart and counters; expired
// sessions and carts start empty, and so does a record that does not
// decode (logged, so one bad record cannot silence a shopper).
func (c *conv) load() error {
	s := c.s
	p, found, err := shoppers.Get(c.btx, c.in.From)
	if err != nil {
		return fmt.Errorf("read shopper: %w", err)
	}
	if !found {
		p = shoppers.Profile{Number: c.in.From, FirstSeen: c.now}
	}
	c.prof = p
	k := key(c.in.From)
	for _, r := range []struct {
		b []byte
		v any
	}{{bucketSessions, &c.sess}, {bucketCarts, &c.cart}, {bucketLimits, &c.lim}} {
		if _, err := store.Load(c.btx, r.b, k, r.v); err != nil {
			s.log.Warn().Err(err).Str("from", phone.Mask(c.in.From)).Msg("starting record afresh")
		}
	}
	if c.now.Sub(c.sess.At) > s.cfg.SessionExpiry.Duration {
		c.sess = session{}
		c.fresh = true
	}
	if c.now.Sub(c.cart.At) > s.cfg.CartExpiry.Duration {
		c.cart = cart{}
	}
	c.lang = s.lang
	if c.prof.Lang.Valid() {
		c.lang = c.prof.Lang
	} else if l, ok := protocol.Detect(c.in.Text); ok {
		// Devanagari is answered in Hindi, Hindi in Latin letters in
		// Hinglish; a first message in either also sets the shopper's
		// language, until they choose one (HINDI, HINGLISH, ENGLISH).
		c.lang = l
		if !found {
			c.prof.Lang = l
		}
	}
	return nil
}

// optedOut reports whether the sender sent STOP and this message is not
// START: such a number gets nothing back, not even the menu, until START.
func (c *conv) optedOut() bool {
	if !c.prof.OptedOut {
		return false
	}
	if c.in.Channel == store.ChannelCall {
		return true
	}
	_, start := command.Parse(c.in.Text).(command.Start)
	return !start
}

// catalog loads the matcher and the items of the catalog, once.
func (c *conv) catalog() error {
	if c.idx != nil {
		return nil
	}
	idx, items, err := c.s.cache.Index(c.btx)
	if err != nil {
		return fmt.Errorf("catalog index: %w", err)
	}
	c.idx, c.items = idx, items
	c.v, err = c.s.viewOf(c.btx, idx, items)
	return err
}

// finish writes back what changed and queues the reply.
func (c *conv) finish() error {
	k := key(c.in.From)
	c.sess.At = c.now
	if c.reply != "" {
		c.lim.Replies++
		c.lim.LastOut = hashText(c.reply)
	}
	c.prof.Number = c.in.From
	c.prof.LastSeen = c.now
	if err := shoppers.Put(c.btx, c.prof); err != nil {
		return fmt.Errorf("shop: save shopper: %w", err)
	}
	for _, r := range []struct {
		b []byte
		v any
	}{{bucketSessions, c.sess}, {bucketCarts, c.cart}, {bucketLimits, c.lim}} {
		if err := store.Save(c.btx, r.b, k, r.v); err != nil {
			return fmt.Errorf("shop: %w", err)
		}
	}
	if c.reply == "" {
		return nil
	}
	pri := store.Reply
	if c.fromOperator() {
		pri = store.Operator // the operator's answers go before chat
	}
	if _, err := c.tx.Enqueue(store.Outbound{To: c.in.From, Text: c.reply, Priority: pri, InReplyTo: c.in.ID}); err != nil {
		return fmt.Errorf("shop: queue reply: %w", err)
	}
	return nil
}

// say sets the reply: s folded and fitted to the shopper's budget.
func (c *conv) say(s string) {
	c.reply = c.fit(s).Text
}

// sayPage sets the reply to a page already rendered.
func (c *conv) sayPage(p render.Page) { c.reply = p.Text }

// hashText is FNV-1a of s, to recognise a message seen before without
// keeping its text.
func hashText(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// Notices are the order notices the config asks for, for
// orders.SetNotices: what shoppers are told, the time promised and which
// operator phones hear of new orders.
func (s *Shop) Notices() orders.Notices {
	n := orders.Notices{ReadyIn: s.cfg.ReadyIn.Duration, Zone: s.loc.String()}
	for _, st := range config.NotifyStates {
		if s.cfg.Tells(st) {
			n.Tell = append(n.Tell, st)
		}
	}
	if s.cfg.NotifyOperators != nil && *s.cfg.NotifyOperators {
		n.Operators = append(n.Operators, s.cfg.Operators...)
	}
	return n
}
