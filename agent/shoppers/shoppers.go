package shoppers

import (
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol"
)

// The store makes these buckets on open; the code here assumes each exists.
func init() { store.Declare("agent/shoppers", bucketProfiles) }

var bucketProfiles = []byte("shoppers/profiles") // number -> Profile JSON

// ErrInvalid means a profile cannot be stored as given.
var ErrInvalid = errors.New("shoppers: invalid profile")

// Profile is one shopper.
type Profile struct {
	Number    string        `json:"number"`
	Lang      protocol.Lang `json:"lang,omitempty"`
	OptedOut  bool          `json:"opted_out,omitempty"` // sent STOP: no notifications
	Address   string        `json:"address,omitempty"`
	LastOrder string        `json:"last_order,omitempty"` // order id
	FirstSeen time.Time     `json:"first_seen"`
	LastSeen  time.Time     `json:"last_seen"`
}

// LangOr is the profile's language, or def if it has none that Tokri
// speaks.
func (p Profile) LangOr(def protocol.Lang) protocol.Lang {
	if p.Lang.Valid() {
		return p.Lang
	}
	return def
}

// Get reads the profile of number; found is false (and the profile empty)
// for a number never stored.
func Get(tx *bbolt.Tx, number string) (p Profile, found bool, err error) {
	if found, err = store.Load(tx, bucketProfiles, []byte(number), &p); err != nil {
		return Profile{}, false, err
	}
	return p, found, nil
}

// Put stores p, replacing the profile of p.Number. Times are kept in UTC.
func Put(tx *bbolt.Tx, p Profile) error {
	if p.Number == "" {
		return fmt.Errorf("put shopper: empty number: %w", ErrInvalid)
	}
	if p.Lang != "" && !p.Lang.Valid() {
		return fmt.Errorf("put shopper: language %q: %w", p.Lang, ErrInvalid)
	}
	p.FirstSeen, p.LastSeen = p.FirstSeen.UTC(), p.LastSeen.UTC()
	return store.Save(tx, bucketProfiles, []byte(p.Number), p)
}

// List is every profile, by number.
func List(tx *bbolt.Tx) ([]Profile, error) {
	return store.All[Profile](tx, bucketProfiles)
}

// SetOptOut records that number wants no more messages (STOP), or wants
// them again (START). A number never seen gets a profile.
func SetOptOut(tx *bbolt.Tx, number string, out bool) error {
	return modify(tx, number, func(p *Profile) { p.OptedOut = out })
}

// SetLastOrder records the id of number's latest order.
func SetLastOrder(tx *bbolt.Tx, number, orderID string) error {
	return modify(tx, number, func(p *Profile) { p.LastOrder = orderID })
}

func modify(tx *bbolt.Tx, number string, fn func(*Profile)) error {
	p, found, err := Get(tx, number)
	if err != nil {
		return err
	}
	if !found {
		p = Profile{Number: number}
	}
	fn(&p)
	return Put(tx, p)
}
