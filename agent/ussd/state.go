package ussd

import (
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// The store makes these buckets on open; the code here assumes each exists.
func init() { store.Declare("agent/ussd", bucketSessions) }

var bucketSessions = []byte("ussd/sessions")

// Screens of the shop.
const (
	scrMain    = "main"
	scrCats    = "cats"    // categories, paged
	scrItems   = "items"   // a category's items or search results, paged; Arg "c:" or "q:" and the name
	scrSearch  = "search"  // waiting for a word
	scrQty     = "qty"     // how many of item Arg
	scrAdded   = "added"   // Arg was added
	scrCart    = "cart"    // the cart and its total
	scrEdit    = "edit"    // the cart's lines, paged
	scrLine    = "line"    // cart line Arg (its index)
	scrSetQty  = "setqty"  // new count of cart line Arg
	scrDeliver = "deliver" // delivery here, to a new address, or pickup
	scrAddress = "address" // waiting for an address
	scrPay     = "pay"     // payment method
	scrConfirm = "confirm" // the summary; Arg is a note to show above it
	scrOrder   = "order"   // the latest order
	scrNote    = "note"    // Arg said, then back
)

// checkout screens: a session dropped on one of them is offered back.
var checkout = map[string]bool{scrDeliver: true, scrAddress: true, scrPay: true, scrConfirm: true}

// frame is one screen on the session's stack.
type frame struct {
	Screen string   `json:"s"`
	Arg    string   `json:"a,omitempty"`
	First  int      `json:"f,omitempty"` // first list item on the page shown
	Count  int      `json:"c,omitempty"` // list items on it
	Starts []int    `json:"p,omitempty"` // first items of the pages before it
	Opts   []string `json:"o,omitempty"` // what each numbered choice of a menu does
}

// state is one shopper's USSD session.
type state struct {
	ID     string     `json:"id"`
	Seq    int        `json:"n,omitempty"` // inputs answered
	At     time.Time  `json:"at"`
	Over   bool       `json:"over,omitempty"`   // END was sent
	Resume bool       `json:"resume,omitempty"` // asking whether to continue Stack
	Stack  []frame    `json:"st"`
	Last   ussd.Reply `json:"l"` // answered again to a retried step

	// Checkout choices of this session.
	Mode string `json:"m,omitempty"`
	Pay  string `json:"py,omitempty"`
}

func (st *state) top() *frame { return &st.Stack[len(st.Stack)-1] }

func (st *state) push(f frame) { st.Stack = append(st.Stack, f) }

// pop goes one screen back; the first screen stays.
func (st *state) pop() {
	if len(st.Stack) > 1 {
		st.Stack = st.Stack[:len(st.Stack)-1]
	}
}

// popTo drops screens down to the last one named s, or to the first.
func (st *state) popTo(s string) {
	for len(st.Stack) > 1 && st.top().Screen != s {
		st.pop()
	}
}

func sessionKey(phone string) []byte { return []byte(strings.TrimPrefix(phone, "+")) }

func loadState(tx *bbolt.Tx, phone string) (st state, err error) {
	_, err = store.Load(tx, bucketSessions, sessionKey(phone), &st)
	return st, err
}

func saveState(tx *bbolt.Tx, phone string, st state) error {
	return store.Save(tx, bucketSessions, sessionKey(phone), st)
}
