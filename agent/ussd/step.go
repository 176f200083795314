package ussd

import (
	"strconv"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// step is one step being answered.
type step struct {
	e   *Engine
	v   *shop.Visit
	st  *state
	w   *ussd.Words
	now time.Time
	err error // the first store error; the step answers and the transaction fails
}

// Actions behind a menu's numbered choices.
const (
	actShop     = "shop"
	actSearch   = "search"
	actCart     = "cart"
	actCheckout = "checkout"
	actOrder    = "order"
	actRepeat   = "repeat"
	actMore     = "more"
	actEdit     = "edit"
	actQty      = "qty"
	actRemove   = "remove"
	actHere     = "here"
	actNew      = "new"
	actPickup   = "pickup"
	actConfirm  = "confirm"
	actContinue = "continue"
	actRestart  = "restart"
)

// run answers req.
func (s *step) run(req ussd.Request) ussd.Reply {
	st := s.st
	if req.Session != st.ID || len(st.Stack) == 0 {
		return s.begin(req.Session)
	}
	if req.Seq > 0 && req.Seq <= st.Seq {
		return st.Last // the aggregator asked again
	}
	st.Seq = max(st.Seq+1, req.Seq)
	if st.Over {
		return ussd.Close(st.Last.Text)
	}
	in := strings.TrimSpace(req.Input)
	if st.Resume {
		return s.resume(in)
	}
	top := st.top()
	switch {
	case in == ussd.KeyBack:
		if n := len(top.Starts); n > 0 {
			top.First, top.Starts = top.Starts[n-1], top.Starts[:n-1]
		} else {
			st.pop()
		}
		return s.show("")
	case in == ussd.KeyMore && top.Count > 0:
		if top.First+top.Count < s.listLen(top) {
			top.Starts = append(top.Starts, top.First)
			top.First += top.Count
		}
		return s.show("")
	}
	return s.input(in)
}

// begin starts a session: the main menu, or the offer to go on with a
// checkout an earlier session was cut off in.
func (s *step) begin(id string) ussd.Reply {
	old := *s.st
	*s.st = state{ID: id, Stack: []frame{{Screen: scrMain}}}
	if !old.Over && len(old.Stack) > 0 && checkout[old.top().Screen] && s.now.Sub(old.At) < s.e.resume {
		s.st.Stack, s.st.Mode, s.st.Pay, s.st.Resume = old.Stack, old.Mode, old.Pay, true
		return s.screen(ussd.Screen{Head: []string{s.w.Resume}, Choices: []string{s.w.Continue, s.w.StartAgain}})
	}
	return s.show("")
}

func (s *step) resume(in string) ussd.Reply {
	switch in {
	case "1":
		s.st.Resume = false
		return s.show("")
	case "2":
		s.st.Resume = false
		s.st.Stack, s.st.Mode, s.st.Pay = []frame{{Screen: scrMain}}, "", ""
		return s.show("")
	}
	return s.screen(ussd.Screen{Head: []string{s.w.Pick, s.w.Resume}, Choices: []string{s.w.Continue, s.w.StartAgain}})
}

// pick reads a choice of n; 0 when in is not one.
func pick(in string, n int) int {
	i, err := strconv.Atoi(in)
	if err != nil || i < 1 || i > n {
		return 0
	}
	return i
}

// input acts on what the shopper typed on the screen on top.
func (s *step) input(in string) ussd.Reply {
	st := s.st
	top := st.top()
	switch top.Screen {
	case scrSearch:
		if in == "" {
			return s.show(s.w.SearchAsk)
		}
		if len(s.v.Search(in)) == 0 {
			return s.show(ussd.F(s.w.NothingFor, clip(in, 20)))
		}
		st.push(frame{Screen: scrItems, Arg: "q:" + clip(in, 40)})
		return s.show("")
	case scrQty:
		n, err := strconv.Atoi(in)
		if err != nil || n < 1 {
			return s.show(s.w.Pick)
		}
		note, err := s.v.Add(top.Arg, n)
		if s.fail(err) {
			return s.show("")
		}
		if note != "" {
			return s.show(string(note))
		}
		it, _ := s.v.Item(top.Arg)
		*top = frame{Screen: scrAdded, Arg: strconv.Itoa(n) + "x " + it.Label}
		return s.show("")
	case scrSetQty:
		n, err := strconv.Atoi(in)
		i, _ := strconv.Atoi(top.Arg)
		if err != nil || n < 0 {
			return s.show(s.w.Pick)
		}
		note, err := s.v.SetQty(i, n)
		if s.fail(err) || note != "" {
			return s.show(string(note))
		}
		st.popTo(scrCart)
		return s.show("")
	case scrAddress:
		if in == "" {
			return s.show("")
		}
		st.Mode = orders.ModeDelivery
		// Saved with the profile now, as an address sent by SMS is.
		if _, _, _, err := s.v.Checkout(st.Mode, in, ""); s.fail(err) {
			return s.show("")
		}
		return s.toPay()
	}
	if top.Count > 0 && top.Opts == nil {
		n := pick(in, top.Count)
		if n == 0 {
			return s.show(s.w.Pick)
		}
		return s.pickItem(top, s.keys(top)[top.First+n-1])
	}
	n := pick(in, len(top.Opts))
	if n == 0 {
		return s.show(s.w.Pick)
	}
	return s.act(top.Opts[n-1])
}

// pickItem follows item key of the list on top.
func (s *step) pickItem(top *frame, key string) ussd.Reply {
	switch top.Screen {
	case scrCats:
		s.st.push(frame{Screen: scrItems, Arg: "c:" + key})
	case scrItems:
		s.st.push(frame{Screen: scrQty, Arg: key})
	case scrEdit:
		s.st.push(frame{Screen: scrLine, Arg: key})
	}
	return s.show("")
}

// act does what a menu choice says.
func (s *step) act(a string) ussd.Reply {
	st := s.st
	top := st.top()
	switch a {
	case actShop:
		if top.Screen == scrAdded {
			st.pop() // back to the list the item came from
			return s.show("")
		}
		st.push(frame{Screen: scrCats})
	case actSearch:
		st.push(frame{Screen: scrSearch})
	case actCart:
		st.push(frame{Screen: scrCart})
	case actEdit:
		st.push(frame{Screen: scrEdit})
	case actCheckout:
		st.Mode, st.Pay = "", ""
		st.push(frame{Screen: scrDeliver})
	case actOrder:
		st.push(frame{Screen: scrOrder})
	case actRepeat:
		return s.repeat()
	case actQty:
		st.push(frame{Screen: scrSetQty, Arg: top.Arg})
	case actRemove:
		i, _ := strconv.Atoi(top.Arg)
		if _, err := s.v.SetQty(i, 0); s.fail(err) {
			return s.show("")
		}
		st.popTo(scrCart)
	case actHere:
		st.Mode = orders.ModeDelivery
		return s.toPay()
	case actNew:
		st.push(frame{Screen: scrAddress})
	case actPickup:
		st.Mode = orders.ModePickup
		return s.toPay()
	case orders.PayCOD, orders.PayUPI:
		st.Pay = a
		st.push(frame{Screen: scrConfirm})
	case actConfirm:
		return s.place()
	}
	return s.show("")
}

// toPay goes on from the delivery choice: the payment menu when the shop
// takes more than one method, else the summary.
func (s *step) toPay() ussd.Reply {
	if pays := s.v.Payments(); len(pays) == 1 {
		s.st.Pay = pays[0]
		s.st.push(frame{Screen: scrConfirm})
		return s.show("")
	}
	s.st.push(frame{Screen: scrPay})
	return s.show("")
}

// repeat fills the cart from the latest order and goes to its summary.
func (s *step) repeat() ussd.Reply {
	short, ok, err := s.v.Repeat()
	if s.fail(err) {
		return s.show("")
	}
	if !ok {
		s.st.push(frame{Screen: scrNote, Arg: s.w.NoOrder})
		return s.show("")
	}
	s.st.Mode, s.st.Pay = s.v.Mode(), s.v.Pay()
	note := ""
	if len(short) > 0 {
		note = ussd.F(s.w.NotAll, strings.Join(short, ", "))
	}
	s.st.push(frame{Screen: scrConfirm, Arg: note})
	return s.show("")
}

// place places the order confirmed: END with its id; the shop core
// queues the same confirmation by SMS in this transaction.
func (s *step) place() ussd.Reply {
	st := s.st
	if _, note, ok, err := s.v.Checkout(st.Mode, "", st.Pay); s.fail(err) || !ok {
		st.push(frame{Screen: scrNote, Arg: string(note)})
		return s.show("")
	}
	id, note, err := s.v.Place()
	if s.fail(err) || id == "" {
		st.push(frame{Screen: scrNote, Arg: string(note)})
		return s.show("")
	}
	o, _, _, err := s.v.LastOrder()
	if s.fail(err) {
		return s.show("")
	}
	s.e.log.Info().Str("order", id).Msg("order placed by ussd")
	return s.screen(ussd.Screen{Head: []string{ussd.F(s.w.Placed, id, render.Money(o.Total))}, End: true})
}

// fail keeps the first store error; the caller shows a screen anyway and
// Step fails the transaction with it.
func (s *step) fail(err error) bool {
	if err != nil && s.err == nil {
		s.err = err
	}
	return err != nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "."
}
