package config

import (
	"cmp"
	"time"
)

// Outbox says how the SIM's daily cap is shared ([outbox] in the file).
// Zero values take the store's defaults.
type Outbox struct {
	// Share is the fraction of the daily cap replies to one number may
	// use in a day, 0 to 1 (0.05: five of a 100 cap).
	Share float64 `toml:"share"`
	// Reserve is the fraction of the daily cap kept for order
	// notifications and the operator, 0 to 1.
	Reserve float64 `toml:"reserve"`
	// ReplyMaxAge is how old a reply may be and still be sent ("30m").
	ReplyMaxAge Duration `toml:"reply_max_age"`
	// PerNumber bounds the replies queued to one number.
	PerNumber int `toml:"per_number"`
	// MaxQueued bounds the replies queued in all.
	MaxQueued int `toml:"max_queued"`
	// NewShare is the fraction of chat's part of the cap that replies to
	// numbers never answered before may use, 0 to 1.
	NewShare float64 `toml:"new_share"`
}

// Retention says how long the store keeps what it no longer needs
// ([retention] in the file).
type Retention struct {
	// Keep is how long handled messages, the sent log and reports stay.
	Keep Duration `toml:"keep"`
	// Orders is how long delivered, rejected and cancelled orders stay
	// after their last change. Open orders and changes the server does
	// not hold yet stay whatever their age.
	Orders Duration `toml:"orders"`
	// Incomplete is how long the parts of a long message wait for the
	// rest before they are answered as they are.
	Incomplete Duration `toml:"incomplete"`
	// Every is how often retention runs.
	Every Duration `toml:"every"`
}

// Retention defaults: parts of a long message come within seconds of
// each other, so five minutes is long; records stay a month for the
// operator.
const (
	DefaultKeep       = 30 * 24 * time.Hour
	DefaultOrders     = 365 * 24 * time.Hour
	DefaultIncomplete = 5 * time.Minute
	DefaultEvery      = time.Minute
)

func (r *Retention) applyDefaults() {
	r.Keep.Duration = cmp.Or(r.Keep.Duration, DefaultKeep)
	r.Orders.Duration = cmp.Or(r.Orders.Duration, DefaultOrders)
	r.Incomplete.Duration = cmp.Or(r.Incomplete.Duration, DefaultIncomplete)
	r.Every.Duration = cmp.Or(r.Every.Duration, DefaultEvery)
}

func (o Outbox) validate() []Problem {
	var p []Problem
	bad := func(field, msg string) { p = append(p, Problem{Field: field, Msg: msg}) }
	if o.Share < 0 || o.Share > 1 {
		bad("outbox.share", "a fraction of the daily cap, 0 to 1 (0.05 is five of 100)")
	}
	if o.NewShare < 0 || o.NewShare > 1 {
		bad("outbox.new_share", "a fraction of chat's part of the cap, 0 to 1")
	}
	if o.Reserve < 0 || o.Reserve >= 1 {
		bad("outbox.reserve", "a fraction of the daily cap, 0 to below 1")
	}
	if d := o.ReplyMaxAge.Duration; d < 0 || d > 24*time.Hour {
		bad("outbox.reply_max_age", "minutes, at most 24h: a reply later than that helps no one")
	}
	if o.PerNumber < 0 || o.PerNumber > 100 {
		bad("outbox.per_number", "0 to 100 replies")
	}
	if o.MaxQueued < 0 || o.MaxQueued > 100_000 {
		bad("outbox.max_queued", "0 to 100000 replies")
	}
	return p
}

func (r Retention) validate() []Problem {
	var p []Problem
	bad := func(field, msg string) { p = append(p, Problem{Field: field, Msg: msg}) }
	if r.Keep.Duration < 7*24*time.Hour {
		bad("retention.keep", "at least 168h: a message re-read from the modem after its record is gone would be taken again")
	}
	if r.Orders.Duration < 7*24*time.Hour {
		bad("retention.orders", "at least 168h: shoppers ask about last week's order")
	}
	if d := r.Incomplete.Duration; d < 30*time.Second || d > 24*time.Hour {
		bad("retention.incomplete", "30s to 24h")
	}
	if d := r.Every.Duration; d < time.Second || d > time.Hour {
		bad("retention.every", "1s to 1h")
	}
	return p
}
