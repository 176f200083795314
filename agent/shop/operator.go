package shop

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/phone"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/command"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// Wrong operator PINs: after maxPINFails in pinWindow, an allowlisted
// number's PIN alone no longer works until the window passes. Anyone can
// send an SMS that claims the operator's number, so the lock must not
// lock the operator out: the SMS that tells of the lock goes to the
// number itself, which the spoofer cannot read, and carries an unlock
// code. The operator's PIN followed by that code ("OP 4321482913 ORDERS")
// works at once; a guesser must find PIN and code together, one in 10^10,
// while the lock answers nothing.
const (
	maxPINFails = 3
	pinWindow   = time.Hour
	opListMax   = 20 // new orders listed by ORDERS
	codeDigits  = 6
	// An ORDERS reply costs up to opBudget GSM-7 segments, each order's
	// address cut to maxOpAddress characters.
	opBudget     = 2
	maxOpAddress = 40
)

// pinLockedText tells the operator's phone of a lock; %s is the code.
const pinLockedText = "3 wrong PINs: SMS control locked for 1 hour. If it was you, send your PIN then %s, e.g. OP PIN%s ORDERS"

// unlockCode is the code for the lock that began at lockedAt on number:
// derived from the PIN, so it needs no storing and only the shop (and the
// phone it is sent to) knows it.
func unlockCode(pin, number string, lockedAt time.Time) string {
	mac := hmac.New(sha256.New, []byte(pin))
	fmt.Fprintf(mac, "tokri-pin-unlock\n%s\n%d", number, lockedAt.UnixNano())
	sum := mac.Sum(nil)
	return fmt.Sprintf("%0*d", codeDigits, binary.BigEndian.Uint64(sum[:8])%1_000_000)
}

// operator runs a command from an allowlisted number. Replies are in
// English: operators read the same words the console shows.
func (c *conv) operator(op command.Operator) error {
	c.lang = protocol.English
	c.sess = session{}
	recent := c.lim.PINFails[:0:0]
	for _, t := range c.lim.PINFails {
		if c.now.Sub(t) < pinWindow {
			recent = append(recent, t)
		}
	}
	c.lim.PINFails = recent
	log := c.s.log.With().Str("from", phone.Mask(c.in.From)).Logger()
	want := c.s.cfg.OperatorPIN
	if len(recent) >= maxPINFails {
		code := unlockCode(want, string(key(c.in.From)), recent[maxPINFails-1])
		if want == "" || subtle.ConstantTimeCompare([]byte(op.PIN), []byte(want+code)) != 1 {
			log.Warn().Msg("operator pin locked: not answering")
			return nil
		}
		log.Warn().Msg("operator pin lock lifted with the unlock code")
		op.PIN = want
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(op.PIN), []byte(want)) != 1 {
		c.lim.PINFails = append(c.lim.PINFails, c.now)
		log.Warn().Int("fails", len(c.lim.PINFails)).Msg("operator pin wrong")
		if len(c.lim.PINFails) == maxPINFails && want != "" {
			code := unlockCode(want, string(key(c.in.From)), c.now)
			c.say(fmt.Sprintf(pinLockedText, code, code))
			return nil
		}
		c.say(text.Template(c.lang, text.OpDenied))
		return nil
	}
	c.lim.PINFails = nil
	if err := op.Check(); err != nil {
		c.say(text.Template(c.lang, text.OpHelp))
		return nil
	}
	log.Info().Str("verb", op.Verb).Msg("operator command")
	done := func(format string, args ...any) {
		c.say(text.Format(c.lang, text.OpDone, clip(fmt.Sprintf(format, args...), maxReason)))
	}
	failed := func(format string, args ...any) {
		c.say(text.Format(c.lang, text.OpFailed, clip(fmt.Sprintf(format, args...), maxReason)))
	}
	switch op.Verb {
	case command.OpHelp:
		c.say(text.Template(c.lang, text.OpHelp))
	case command.OpOrders:
		return c.opOrders()
	case command.OpAccept, command.OpReject, command.OpDeliver:
		id := op.Args[0]
		reason := strings.ToLower(strings.Join(op.Args[1:], " "))
		o, err := c.opMove(op.Verb, id, reason)
		switch {
		case errors.Is(err, orders.ErrNotFound):
			failed("no order %s", id)
		case errors.Is(err, orders.ErrBadTransition):
			failed("%s is %s", id, o.State)
		case err != nil:
			return err
		default:
			done("%s %s", o.ID, o.State)
		}
	case command.OpStock:
		n, _ := strconv.Atoi(op.Args[1])
		if err := catalog.Move(c.btx, catalog.Movement{SKU: op.Args[0], Counted: true, Count: n, Reason: "operator", At: c.now}); err != nil {
			return c.opCatalogErr(err, op.Args[0], failed)
		}
		done("%s stock %d", op.Args[0], n)
	case command.OpPrice:
		p, _ := command.ParseRupees(op.Args[1])
		if err := catalog.SetPrice(c.btx, op.Args[0], p); err != nil {
			return c.opCatalogErr(err, op.Args[0], failed)
		}
		done("%s price %s", op.Args[0], render.Money(p))
	case command.OpPause:
		if err := SetPaused(c.btx, true); err != nil {
			return err
		}
		done("shop paused")
	case command.OpResume:
		if err := SetPaused(c.btx, false); err != nil {
			return err
		}
		done("shop open")
	}
	return nil
}

func (c *conv) opCatalogErr(err error, sku string, failed func(string, ...any)) error {
	switch {
	case errors.Is(err, catalog.ErrNotFound):
		failed("no item %s", sku)
	case errors.Is(err, catalog.ErrInvalid):
		failed("bad value for %s", sku)
	default:
		return fmt.Errorf("operator catalog change: %w", err)
	}
	return nil
}

// opMove moves an order as the operator asked. DELIVER walks an order
// through the states it has not passed yet.
func (c *conv) opMove(verb, id, reason string) (orders.Order, error) {
	o, err := orders.Get(c.btx, id)
	if err != nil {
		return o, err
	}
	var path []orders.State
	switch verb {
	case command.OpAccept:
		path = []orders.State{orders.Accepted}
	case command.OpReject:
		path = []orders.State{orders.Rejected}
	case command.OpDeliver:
		chain := []orders.State{orders.Placed, orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered}
		at := -1
		for i, s := range chain {
			if s == o.State {
				at = i
			}
		}
		if at < 0 || at == len(chain)-1 {
			return o, orders.ErrBadTransition
		}
		path = chain[at+1:]
	}
	for i, to := range path {
		move := orders.Transition
		if i < len(path)-1 {
			// Steps DELIVER passes through are not worth an SMS each.
			move = orders.TransitionQuiet
		}
		next, err := move(c.tx, id, to, reason, orders.ByOperator, c.now)
		if err != nil {
			return o, err
		}
		o = next
	}
	return o, nil
}

// opOrders lists orders waiting for the shop, newest first.
func (c *conv) opOrders() error {
	list, err := orders.List(c.btx, orders.Filter{States: []orders.State{orders.Placed}, Limit: opListMax})
	if err != nil {
		return fmt.Errorf("list orders: %w", err)
	}
	if len(list) == 0 {
		c.say(text.Template(c.lang, text.OpNoOrders))
		return nil
	}
	lines := make([]string, len(list))
	for i, o := range list {
		where := text.Template(c.lang, text.ModePickup)
		if o.Mode == orders.ModeDelivery {
			where = clip(o.Address, maxOpAddress)
		}
		lines[i] = text.Format(c.lang, text.OpOrderLine, o.ID, render.Money(o.Total), o.Shopper, where)
	}
	// Two segments: the number and address of each order is what the
	// operator calls and rides to.
	p := render.PageAt(render.List{Items: lines, More: "+%d more"}, 0, c.lang, opBudget)
	c.sayPage(p)
	return nil
}
