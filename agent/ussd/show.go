package ussd

import (
	"strconv"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// screen renders sc in the shopper's language.
func (s *step) screen(sc ussd.Screen) ussd.Reply {
	sc.Lang = s.v.Lang()
	return sc.Reply()
}

// menu renders a fixed menu: choices with the actions behind them.
func (s *step) menu(head []string, back bool, choices ...[2]string) ussd.Reply {
	top := s.st.top()
	top.Opts = top.Opts[:0:0]
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = c[0]
		top.Opts = append(top.Opts, c[1])
	}
	top.Count, top.First = 0, 0
	return s.screen(ussd.Screen{Head: head, Choices: labels, Back: back})
}

// list renders the page of a list on top.
func (s *step) list(head []string, labels []string) ussd.Reply {
	top := s.st.top()
	top.Opts = nil
	if top.First >= len(labels) {
		top.First, top.Starts = 0, nil
	}
	r, n := ussd.Page(s.v.Lang(), head, labels, top.First, true)
	top.Count = n
	if n == 0 {
		top.Count = 0
	}
	return r
}

// keys are the items of the list on top: categories, SKUs or cart lines.
func (s *step) keys(f *frame) []string {
	switch f.Screen {
	case scrCats:
		return s.v.Categories()
	case scrItems:
		if len(f.Arg) > 2 && f.Arg[:2] == "q:" {
			return s.v.Search(f.Arg[2:])
		}
		if len(f.Arg) > 2 {
			return s.v.Category(f.Arg[2:])
		}
	case scrEdit:
		ls, _, err := s.v.Cart()
		s.fail(err)
		keys := make([]string, len(ls))
		for i := range ls {
			keys[i] = strconv.Itoa(i)
		}
		return keys
	}
	return nil
}

func (s *step) listLen(f *frame) int { return len(s.keys(f)) }

// show renders the screen on top, with note above it when not empty.
func (s *step) show(note string) ussd.Reply {
	w := s.w
	top := s.st.top()
	head := func(h ...string) []string { return append([]string{note}, h...) }
	switch top.Screen {
	case scrMain:
		cart := w.CartEmpty
		ls, sub, err := s.v.Cart()
		s.fail(err)
		if len(ls) > 0 {
			cart = ussd.F(w.CartCount, len(ls), render.Money(sub))
		}
		return s.menu(head(s.v.ShopName()), false,
			[2]string{w.Shop, actShop}, [2]string{w.Search, actSearch}, [2]string{cart, actCart},
			[2]string{w.Checkout, actCheckout}, [2]string{w.MyOrder, actOrder}, [2]string{w.Repeat, actRepeat})
	case scrCats:
		keys := s.keys(top)
		labels := make([]string, len(keys))
		for i, k := range keys {
			labels[i] = s.v.CategoryName(k)
		}
		return s.list(head(w.Categories), labels)
	case scrItems:
		keys := s.keys(top)
		labels := make([]string, len(keys))
		for i, k := range keys {
			if it, ok := s.v.Item(k); ok {
				labels[i] = render.Item(it.Label, "", it.Price)
				if it.Stock <= 0 {
					labels[i] += " (-)"
				}
			}
		}
		title := top.Arg[2:]
		if top.Arg[:2] == "c:" {
			title = s.v.CategoryName(title)
		}
		return s.list(head(title+":"), labels)
	case scrSearch:
		if note == "" {
			note = w.SearchAsk
		}
		return s.screen(ussd.Screen{Head: []string{note}, Back: true})
	case scrQty:
		it, ok := s.v.Item(top.Arg)
		if !ok || it.Stock <= 0 {
			return s.screen(ussd.Screen{Head: head(ussd.F(w.OutOfStock, it.Label)), Back: true})
		}
		return s.screen(ussd.Screen{Head: head(render.Item(it.Label, "", it.Price), ussd.F(w.HowMany, strconv.Itoa(min(it.Stock, 99)))), Back: true})
	case scrAdded:
		ls, sub, err := s.v.Cart()
		s.fail(err)
		return s.menu(head(ussd.F(w.Added, top.Arg), ussd.F(w.CartTotal, w.Count(len(ls)), render.Money(sub))), true,
			[2]string{w.Checkout, actCheckout}, [2]string{w.ShopMore, actShop}, [2]string{w.Cart, actCart})
	case scrCart:
		ls, sub, err := s.v.Cart()
		s.fail(err)
		if len(ls) == 0 {
			return s.menu(head(w.Empty), true, [2]string{w.Shop, actShop})
		}
		h := head(ussd.F(w.CartTotal, w.Count(len(ls)), render.Money(sub)))
		for _, l := range ls {
			h = append(h, l.Label+" x"+strconv.Itoa(l.Qty))
		}
		return s.menu(h, true, [2]string{w.Checkout, actCheckout}, [2]string{w.EditItems, actEdit})
	case scrEdit:
		ls, _, err := s.v.Cart()
		s.fail(err)
		labels := make([]string, len(ls))
		for i, l := range ls {
			labels[i] = l.Label + " x" + strconv.Itoa(l.Qty)
		}
		if len(ls) == 0 {
			s.st.pop()
			return s.show(note)
		}
		return s.list(head(w.PickToEdit), labels)
	case scrLine:
		l, ok := s.cartLine(top)
		if !ok {
			s.st.popTo(scrCart)
			return s.show(note)
		}
		return s.menu(head(l.Label+" x"+strconv.Itoa(l.Qty)+" "+render.Money(l.Price*int64(l.Qty))), true,
			[2]string{w.ChangeQty, actQty}, [2]string{w.Remove, actRemove})
	case scrSetQty:
		l, ok := s.cartLine(top)
		if !ok {
			s.st.popTo(scrCart)
			return s.show(note)
		}
		return s.screen(ussd.Screen{Head: head(l.Label+" x"+strconv.Itoa(l.Qty), w.NewQty), Back: true})
	case scrDeliver:
		ls, _, err := s.v.Cart()
		s.fail(err)
		if len(ls) == 0 {
			return s.menu(head(w.Empty), true, [2]string{w.Shop, actShop})
		}
		// Closed, paused or under the minimum order: say so before asking.
		if _, n, _, err := s.v.Checkout(s.st.Mode, "", ""); s.fail(err) || n != "" {
			return s.screen(ussd.Screen{Head: head(string(n)), Back: true})
		}
		var choices [][2]string
		h := head(w.HowGet)
		if a := s.v.Address(); a != "" {
			h = head(ussd.F(w.DeliverTo, clip(a, 60)))
			choices = append(choices, [2]string{w.DeliverHere, actHere}, [2]string{w.NewAddress, actNew})
		} else {
			choices = append(choices, [2]string{w.Deliver, actNew})
		}
		if s.v.Pickup() {
			choices = append(choices, [2]string{w.Pickup, actPickup})
		}
		return s.menu(h, true, choices...)
	case scrAddress:
		return s.screen(ussd.Screen{Head: head(w.AskAddress), Back: true})
	case scrPay:
		var choices [][2]string
		for _, p := range s.v.Payments() {
			choices = append(choices, [2]string{s.payText(p), p})
		}
		return s.menu(head(w.PayBy), true, choices...)
	case scrConfirm:
		sum, n, ok, err := s.v.Checkout(s.st.Mode, "", s.st.Pay)
		s.fail(err)
		if !ok {
			return s.screen(ussd.Screen{Head: head(string(n)), Back: true})
		}
		mode := w.ByDelivery
		if sum.Mode == orders.ModePickup {
			mode = w.ByPickup
		}
		return s.menu(head(top.Arg, ussd.F(w.Summary, w.Count(sum.Items), render.Money(sum.Total)), ussd.F(w.ModeLine, mode, s.payText(sum.Pay))), true,
			[2]string{w.Confirm, actConfirm})
	case scrOrder:
		o, state, ok, err := s.v.LastOrder()
		s.fail(err)
		if !ok {
			return s.screen(ussd.Screen{Head: head(w.NoOrder), Back: true})
		}
		return s.menu(head(ussd.F(w.OrderLine, o.ID, state), ussd.F(w.Summary, w.Count(len(o.Lines)), render.Money(o.Total))), true,
			[2]string{w.RepeatThis, actRepeat})
	case scrNote:
		return s.screen(ussd.Screen{Head: head(top.Arg), Back: true})
	}
	s.st.Stack = []frame{{Screen: scrMain}}
	return s.show(note)
}

// cartLine is the cart line the screen f is about (its Arg is the line's
// index); false if the cart no longer has it.
func (s *step) cartLine(f *frame) (shop.CartLine, bool) {
	i, _ := strconv.Atoi(f.Arg)
	ls, _, err := s.v.Cart()
	s.fail(err)
	if i < 0 || i >= len(ls) {
		return shop.CartLine{}, false
	}
	return ls[i], true
}

func (s *step) payText(p string) string {
	if p == orders.PayUPI {
		return s.w.PayUPI
	}
	return s.w.PayCOD
}
