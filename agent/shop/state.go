package shop

import (
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
)

// The store makes these buckets on open; the code here assumes each exists.
func init() { store.Declare("agent/shop", bucketSessions, bucketCarts, bucketLimits, bucketState) }

// Buckets of the shop.
var (
	bucketSessions = []byte("shop/sessions")
	bucketCarts    = []byte("shop/carts")
	bucketLimits   = []byte("shop/limits")
	bucketState    = []byte("shop/state")
)

var keyPaused = []byte("paused")

// Screens: what the last reply offered, so that a bare number means the
// right thing.
const (
	screenNone    = ""
	screenWelcome = "welcome" // numbered categories
	screenItems   = "items"   // a category's items or search results
	screenChoice  = "choice"  // which item ambiguous order words meant
	screenCart    = "cart"    // the cart, paged
	screenAddress = "address" // waiting for the delivery address
	screenConfirm = "confirm" // waiting for YES
	screenCancel  = "cancel"  // waiting for YES to cancel order Words
)

// session is what the conversation remembers between messages.
type session struct {
	Screen string    `json:"s,omitempty"`
	At     time.Time `json:"at"`

	// A paged list: the categories or SKUs it holds, the page shown and
	// the starts of the pages before it (for 0, back).
	Title  string   `json:"ti,omitempty"`
	Keys   []string `json:"k,omitempty"`
	First  int      `json:"f,omitempty"`
	Count  int      `json:"n,omitempty"`
	Starts []int    `json:"ps,omitempty"`

	// The choice on screen is for Qty packs of Words; Pending are the
	// ambiguous lines still to ask about, Notes what to say when done.
	Words   string    `json:"w,omitempty"`
	Qty     int       `json:"q,omitempty"`
	Pending []pending `json:"pl,omitempty"`
	Notes   []string  `json:"no,omitempty"`
	// Instead says the choice on screen offers items in stock in place
	// of Words, an item sold out.
	Instead bool `json:"in,omitempty"`

	// Checkout choices made so far.
	Mode string `json:"m,omitempty"` // "delivery" or "pickup"
	Pay  string `json:"p,omitempty"` // "cod" or "upi"
}

// pending is one ambiguous line of an order.
type pending struct {
	Words   string   `json:"w"`
	Qty     int      `json:"q"`
	SKUs    []string `json:"k"`
	Instead bool     `json:"in,omitempty"` // SKUs are in stock in place of Words, sold out
}

// cart is a shopper's cart: SKUs and counts only, so prices are always
// today's.
type cart struct {
	Lines []cartLine `json:"l,omitempty"`
	At    time.Time  `json:"at"`
}

type cartLine struct {
	SKU string `json:"k"`
	Qty int    `json:"q"`
}

// qty of sku in the cart.
func (c *cart) qty(sku string) int {
	for _, l := range c.Lines {
		if l.SKU == sku {
			return l.Qty
		}
	}
	return 0
}

// add puts n more packs of sku in the cart.
func (c *cart) add(sku string, n int) {
	for i := range c.Lines {
		if c.Lines[i].SKU == sku {
			c.Lines[i].Qty += n
			return
		}
	}
	c.Lines = append(c.Lines, cartLine{SKU: sku, Qty: n})
}

// limits are one sender's counters.
type limits struct {
	Hour     time.Time   `json:"h"`            // start of the current hour window
	Msgs     int         `json:"m,omitempty"`  // messages in it
	HourWarn bool        `json:"hw,omitempty"` // slow-down sent in it
	Day      string      `json:"d,omitempty"`  // local date of Replies
	Replies  int         `json:"r,omitempty"`  // replies that day
	DayWarn  bool        `json:"dw,omitempty"` // slow-down sent that day
	LastIn   uint64      `json:"li,omitempty"` // hash of the last message
	Repeats  int         `json:"rp,omitempty"` // times in a row it came
	LastOut  uint64      `json:"lo,omitempty"` // hash of the last reply
	PINFails []time.Time `json:"pf,omitempty"` // wrong operator PINs in the last hour
}

// key is the bucket key of a phone number: its digits.
func key(number string) []byte {
	return []byte(strings.TrimPrefix(number, "+"))
}

// Paused reports whether the operator paused the shop (by SMS or at the
// console): it takes no new orders until resumed.
func Paused(tx *bbolt.Tx) bool {
	b := tx.Bucket(bucketState)
	return b != nil && string(b.Get(keyPaused)) == "1"
}

// SetPaused pauses or resumes taking orders; the operator's PAUSE and
// RESUME and the admin API both turn this one switch.
func SetPaused(tx *bbolt.Tx, p bool) error {
	b := tx.Bucket(bucketState)
	v := "0"
	if p {
		v = "1"
	}
	return b.Put(keyPaused, []byte(v))
}
