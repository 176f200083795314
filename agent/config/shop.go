package config

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tokrihq/tokri/phone"
)

// Shop holds what shoppers see of the store: its name, hours, money rules
// and who may run it by SMS.
type Shop struct {
	Name string `toml:"name"` // shown in the welcome; at most 24 characters so replies fit
	// Opens and Closes are the local opening hours, "08:00" and "21:00"
	// (Closes may be past midnight, "01:00"); equal means always open.
	Opens  string `toml:"opens"`
	Closes string `toml:"closes"`
	// OrdersWhenClosed lets shoppers order while the shop is closed, for
	// when it opens; false answers only with the opening time.
	OrdersWhenClosed *bool `toml:"orders_when_closed"`

	MinOrder         Rupees `toml:"min_order"`          // smallest cart subtotal taken
	DeliveryFee      Rupees `toml:"delivery_fee"`       // added to delivered orders below FreeDeliveryFrom
	FreeDeliveryFrom Rupees `toml:"free_delivery_from"` // subtotal from which delivery is free; 0 means never free
	Pickup           *bool  `toml:"pickup"`             // shoppers may collect from the shop

	Payments []string `toml:"payments"` // "cod" and/or "upi", the first is the default
	UPIVPA   string   `toml:"upi_vpa"`  // the store's UPI address, shown when a shopper pays by UPI

	Operators   []string `toml:"operators"`    // phone numbers allowed to run the shop by SMS
	OperatorPIN string   `toml:"operator_pin"` // 4 to 8 digits, required with Operators

	Language string `toml:"language"` // "en", "hi" or "hi-Latn" (Hinglish): replies to a shopper who chose none and wrote nothing that says

	// Notify lists the order changes that send the shopper an SMS (see
	// NotifyStates); the rest are seen with STATUS. ReadyIn is the time
	// the accepted SMS promises. NotifyOperators sends each new order to
	// the Operators' phones.
	Notify          []string `toml:"notify"`
	ReadyIn         Duration `toml:"ready_in"`
	NotifyOperators *bool    `toml:"notify_operators"`

	// Summary is when the day's summary goes by SMS to the first operator:
	// "HH:MM" local, "" at closing time, "off" never.
	Summary string `toml:"summary"`

	SessionExpiry   Duration `toml:"session_expiry"`    // what a numbered reply offered is forgotten after this
	CartExpiry      Duration `toml:"cart_expiry"`       // an untouched cart is dropped after this
	MessagesPerHour int      `toml:"messages_per_hour"` // per sender, before one "slow down" reply
	RepliesPerDay   int      `toml:"replies_per_day"`   // per sender, then silence until the day turns
}

// Shop defaults: a small kirana store.
const (
	DefaultShopName        = "Tokri Store"
	DefaultOpens           = "08:00"
	DefaultCloses          = "21:00"
	DefaultMinOrder        = 100_00 // paise
	DefaultDeliveryFee     = 20_00
	DefaultFreeDelivery    = 500_00
	DefaultSessionExpiry   = 30 * time.Minute
	DefaultCartExpiry      = 24 * time.Hour
	DefaultMessagesPerHour = 30
	DefaultRepliesPerDay   = 60
	DefaultReadyIn         = time.Hour
	maxShopName            = 24
	maxVPA                 = 40
)

// NotifyStates are the order changes a shopper can be told of by SMS:
// accepted (with the time it arrives by), packed, ready (a pickup order
// packed, to collect), dispatched (out for delivery), delivered, rejected
// and cancelled (by the shop; a shopper's own CANCEL is answered anyway).
var NotifyStates = []string{"accepted", "packed", "ready", "dispatched", "delivered", "rejected", "cancelled"}

// DefaultNotify tells the shopper what they act on: when the order will
// come, that it is at the door or ready to collect, and that it will not
// come. Packed and delivered are folded away: the shopper learns nothing
// from them they can act on. A new shopper's order then costs five
// segments out from the first message to its delivery.
var DefaultNotify = []string{"accepted", "ready", "dispatched", "rejected", "cancelled"}

// Tells reports whether the change to state (one of NotifyStates) sends
// the shopper an SMS.
func (s Shop) Tells(state string) bool {
	for _, n := range s.Notify {
		if n == state {
			return true
		}
	}
	return false
}

// Rupees is an amount of money written in the file as a number of
// rupees: 20 or 52.5 (text in quotes is a type error, see checkTypes). It
// holds paise. A value that is not money is kept in Bad, so
// validate can name the field instead of the decoder failing.
type Rupees struct {
	Paise int64
	Set   bool
	Bad   string
}

// UnmarshalTOML implements toml.Unmarshaler.
func (r *Rupees) UnmarshalTOML(v any) error {
	r.Set = true
	switch x := v.(type) {
	case int64:
		if x < 0 || x > math.MaxInt64/100 {
			r.Bad = strconv.FormatInt(x, 10)
			return nil
		}
		r.Paise = x * 100
	case float64:
		p := math.Round(x * 100)
		if x < 0 || p > 1e15 || math.Abs(p-x*100) > 1e-6 {
			r.Bad = strconv.FormatFloat(x, 'f', -1, 64)
			return nil
		}
		r.Paise = int64(p)
	default:
		r.Bad = fmt.Sprint(v)
	}
	return nil
}

func (s *Shop) applyDefaults() {
	s.Name = cmp.Or(s.Name, DefaultShopName)
	s.Opens = cmp.Or(s.Opens, DefaultOpens)
	s.Closes = cmp.Or(s.Closes, DefaultCloses)
	if s.OrdersWhenClosed == nil {
		t := true
		s.OrdersWhenClosed = &t
	}
	if !s.MinOrder.Set {
		s.MinOrder.Paise = DefaultMinOrder
	}
	if !s.DeliveryFee.Set {
		s.DeliveryFee.Paise = DefaultDeliveryFee
	}
	if !s.FreeDeliveryFrom.Set {
		s.FreeDeliveryFrom.Paise = DefaultFreeDelivery
	}
	if s.Pickup == nil {
		t := true
		s.Pickup = &t
	}
	if len(s.Payments) == 0 {
		s.Payments = []string{"cod"}
		if s.UPIVPA != "" {
			s.Payments = append(s.Payments, "upi")
		}
	}
	for i, p := range s.Payments {
		s.Payments[i] = strings.ToLower(strings.TrimSpace(p))
	}
	s.Language = cmp.Or(s.Language, "en")
	if s.Notify == nil {
		s.Notify = append([]string(nil), DefaultNotify...)
	}
	for i, n := range s.Notify {
		s.Notify[i] = strings.ToLower(strings.TrimSpace(n))
	}
	s.ReadyIn.Duration = cmp.Or(s.ReadyIn.Duration, DefaultReadyIn)
	if s.NotifyOperators == nil {
		// Operators who run the shop by SMS hear of its orders there.
		t := len(s.Operators) > 0
		s.NotifyOperators = &t
	}
	s.SessionExpiry.Duration = cmp.Or(s.SessionExpiry.Duration, DefaultSessionExpiry)
	s.CartExpiry.Duration = cmp.Or(s.CartExpiry.Duration, DefaultCartExpiry)
	s.MessagesPerHour = cmp.Or(s.MessagesPerHour, DefaultMessagesPerHour)
	s.RepliesPerDay = cmp.Or(s.RepliesPerDay, DefaultRepliesPerDay)
}

// ParseClock reads a time of day "08:00" or "8:30" as minutes after
// midnight.
func ParseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || !allDigits(h, 1, 2) || !allDigits(m, 2, 2) {
		return 0, false
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if hh > 23 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// OpenAt reports whether the shop's hours include t (already in the
// shop's time zone).
func (s Shop) OpenAt(t time.Time) bool {
	o, ok1 := ParseClock(s.Opens)
	c, ok2 := ParseClock(s.Closes)
	if !ok1 || !ok2 || o == c {
		return true
	}
	m := t.Hour()*60 + t.Minute()
	if o < c {
		return m >= o && m < c
	}
	return m >= o || m < c // open past midnight
}

// SummaryAt is when the day's summary goes to the operator, in minutes
// after local midnight; ok is false when it never goes (or the setting is
// bad, which Validate reports).
func (s Shop) SummaryAt() (minutes int, ok bool) {
	switch s.Summary {
	case "off":
		return 0, false
	case "":
		return ParseClock(s.Closes)
	}
	return ParseClock(s.Summary)
}

// HasPayment reports whether method ("cod", "upi") is accepted.
func (s Shop) HasPayment(method string) bool {
	for _, p := range s.Payments {
		if p == method {
			return true
		}
	}
	return false
}

func (s Shop) validate(country phone.Country) []Problem {
	var p []Problem
	bad := func(field, format string, args ...any) {
		p = append(p, Problem{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if n := utf8.RuneCountInString(s.Name); n > maxShopName || strings.TrimSpace(s.Name) == "" {
		bad("shop.name", "1 to %d characters, so every reply fits one SMS (got %d)", maxShopName, n)
	}
	if _, ok := ParseClock(s.Opens); !ok {
		bad("shop.opens", "%q is not a time of day such as \"08:00\"", s.Opens)
	}
	if _, ok := ParseClock(s.Closes); !ok {
		bad("shop.closes", "%q is not a time of day such as \"21:00\"", s.Closes)
	}
	for field, r := range map[string]Rupees{
		"shop.min_order": s.MinOrder, "shop.delivery_fee": s.DeliveryFee, "shop.free_delivery_from": s.FreeDeliveryFrom,
	} {
		if r.Bad != "" {
			bad(field, "%q is not an amount in rupees such as 20 or \"52.50\"", r.Bad)
		} else if r.Paise > 100_000_00 {
			bad(field, "more than Rs100000 is surely a typo")
		}
	}
	if len(s.Payments) == 0 {
		bad("shop.payments", "at least one of \"cod\", \"upi\"")
	}
	seen := map[string]bool{}
	for _, m := range s.Payments {
		if m != "cod" && m != "upi" {
			bad("shop.payments", "%q is not \"cod\" or \"upi\"", m)
		}
		if seen[m] {
			bad("shop.payments", "%q is listed twice", m)
		}
		seen[m] = true
	}
	if s.HasPayment("upi") && !validVPA(s.UPIVPA) {
		bad("shop.upi_vpa", "UPI payment needs the store's UPI address, such as \"store@okaxis\"")
	} else if s.UPIVPA != "" && !validVPA(s.UPIVPA) {
		bad("shop.upi_vpa", "%q is not a UPI address such as \"store@okaxis\"", s.UPIVPA)
	}
	for i, n := range s.Operators {
		if _, err := country.Normalize(n); err != nil {
			bad("shop.operators", "number %d, %q: %v; write it as \"+919812345678\" or \"9812345678\"", i+1, n, err)
		}
	}
	if len(s.Operators) > 0 && !allDigits(s.OperatorPIN, 4, 8) {
		bad("shop.operator_pin", "operators need a PIN of 4 to 8 digits")
	} else if s.OperatorPIN != "" && !allDigits(s.OperatorPIN, 4, 8) {
		bad("shop.operator_pin", "a PIN is 4 to 8 digits")
	}
	if l := strings.ToLower(s.Language); l != "en" && l != "hi" && l != "hi-latn" {
		bad("shop.language", "%q is not \"en\", \"hi\" or \"hi-Latn\"", s.Language)
	}
	for _, n := range s.Notify {
		known := false
		for _, k := range NotifyStates {
			known = known || n == k
		}
		if !known {
			bad("shop.notify", "%q is not one of %s", n, strings.Join(NotifyStates, ", "))
		}
	}
	if d := s.ReadyIn.Duration; d < 5*time.Minute || d > 7*24*time.Hour {
		bad("shop.ready_in", "between 5m and 168h (got %v)", d)
	}
	if *s.NotifyOperators && len(s.Operators) == 0 {
		bad("shop.notify_operators", "needs shop.operators, the phones to tell")
	}
	if _, ok := ParseClock(s.Summary); !ok && s.Summary != "" && s.Summary != "off" {
		bad("shop.summary", "%q is not a time such as \"21:00\", or \"off\"", s.Summary)
	}
	if d := s.SessionExpiry.Duration; d < time.Minute || d > 24*time.Hour {
		bad("shop.session_expiry", "between 1m and 24h (got %v)", d)
	}
	if d := s.CartExpiry.Duration; d < time.Hour || d > 30*24*time.Hour {
		bad("shop.cart_expiry", "between 1h and 720h (got %v)", d)
	}
	if s.MessagesPerHour < 1 || s.MessagesPerHour > 1000 {
		bad("shop.messages_per_hour", "between 1 and 1000 (got %d)", s.MessagesPerHour)
	}
	if s.RepliesPerDay < 1 || s.RepliesPerDay > 1000 {
		bad("shop.replies_per_day", "between 1 and 1000 (got %d)", s.RepliesPerDay)
	}
	return p
}

// validVPA checks the shape of a UPI address: "name@bank", GSM-7 safe.
func validVPA(v string) bool {
	name, bank, ok := strings.Cut(v, "@")
	if !ok || name == "" || bank == "" || len(v) > maxVPA {
		return false
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_@", r)) {
			return false
		}
	}
	return true
}
