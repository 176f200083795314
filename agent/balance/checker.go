package balance

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
)

// The store makes these buckets on open; the code here assumes each exists.
func init() { store.Declare("agent/balance", bucket) }

var (
	bucket  = []byte("balance")
	keyLast = []byte("last")
)

// Options configure a Checker. DB, USSD and Code are required.
type Options struct {
	DB *store.DB
	// USSD runs a code on the modem and returns the network's answer.
	USSD func(ctx context.Context, code string) (string, error)
	Code string
	// Every is the time between checks. Default 4 hours.
	Every time.Duration
	// Retry is the wait after a failed check (no modem yet, no network).
	// Default 5 minutes.
	Retry time.Duration
	// Low is the balance, in hundredths, under which the operators are
	// told; 0 tells nothing about the amount.
	Low       int64
	Operators []string
	Log       zerolog.Logger
	Now       func() time.Time
}

// Status is the last check, for tokri status.
type Status struct {
	Code      string    `json:"code"`
	Reading   *Reading  `json:"reading,omitempty"` // nil until an answer was read
	Text      string    `json:"text,omitempty"`    // the network's answer, shortened
	CheckedAt time.Time `json:"checked_at,omitzero"`
	Error     string    `json:"error,omitempty"` // of the last check, if it failed
	Low       bool      `json:"low,omitempty"`   // under the set amount
}

// record is the stored state: the last status and the alerts sent.
type record struct {
	Status
	LowSent bool `json:"low_sent,omitempty"`
	OutSent bool `json:"out_sent,omitempty"`
}

// Checker runs the balance code on a schedule.
type Checker struct {
	opts Options
	log  zerolog.Logger

	mu   sync.Mutex // guards following
	last Status
}

// New returns a Checker.
func New(opts Options) *Checker {
	if opts.Every == 0 {
		opts.Every = 4 * time.Hour
	}
	if opts.Retry == 0 {
		opts.Retry = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Checker{opts: opts, log: opts.Log.With().Str("component", "balance").Logger(), last: Status{Code: opts.Code}}
}

// Status is the last check.
func (c *Checker) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Run checks at once and then every Every (Retry after a failure) until
// ctx ends.
func (c *Checker) Run(ctx context.Context) error {
	if rec, err := c.load(); err == nil && !rec.CheckedAt.IsZero() {
		c.mu.Lock()
		c.last = rec.Status
		c.mu.Unlock()
	}
	for {
		wait := c.opts.Every
		if err := c.Check(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			c.log.Warn().Err(err).Msg("balance check failed")
			wait = c.opts.Retry
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// Check runs the code once, stores the reading and texts the operators
// about a low balance or an empty SMS pack, in one transaction.
func (c *Checker) Check(ctx context.Context) error {
	now := c.opts.Now().UTC()
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	answer, err := c.opts.USSD(cctx, c.opts.Code)
	cancel()
	if err != nil {
		c.fail(err)
		return fmt.Errorf("run %s: %w", c.opts.Code, err)
	}
	r, ok := Parse(answer)
	if !ok {
		err := fmt.Errorf("no balance in the answer to %s", c.opts.Code)
		c.fail(err)
		return err
	}
	st := Status{Code: c.opts.Code, Reading: &r, Text: short(answer), CheckedAt: now, Low: c.opts.Low > 0 && r.Amount < c.opts.Low}
	err = c.opts.DB.Update(func(tx *store.Tx) error {
		rec, err := get(tx.Bolt())
		if err != nil {
			return err
		}
		var say []string
		switch {
		case st.Low && !rec.LowSent:
			say = append(say, fmt.Sprintf("balance %s is below %s", money(r.Amount, r.Currency), money(c.opts.Low, r.Currency)))
			rec.LowSent = true
		case !st.Low:
			rec.LowSent = false
		}
		switch {
		case r.SMS == 0 && !rec.OutSent:
			say = append(say, "its SMS pack has run out")
			rec.OutSent = true
		case r.SMS > 0:
			rec.OutSent = false
		}
		rec.Status = st
		if len(say) > 0 {
			text := "Tokri: the shop's SIM " + strings.Join(say, " and ") + ". Recharge it so shoppers keep getting replies."
			for _, op := range c.opts.Operators {
				if _, err := tx.Enqueue(store.Outbound{To: op, Text: text, Priority: store.Notification}); err != nil {
					return fmt.Errorf("queue balance alert: %w", err)
				}
			}
		}
		return put(tx.Bolt(), rec)
	})
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.last = st
	c.mu.Unlock()
	c.log.Info().Int64("amount", r.Amount).Int("sms", r.SMS).Bool("low", st.Low).Msg("balance checked")
	return nil
}

// fail records a failed check, keeping the last reading.
func (c *Checker) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last.Code, c.last.Error = c.opts.Code, err.Error()
}

func (c *Checker) load() (rec record, err error) {
	err = c.opts.DB.View(func(tx *store.Tx) error {
		rec, err = get(tx.Bolt())
		return err
	})
	return rec, err
}

func get(tx *bbolt.Tx) (rec record, err error) {
	_, err = store.Load(tx, bucket, keyLast, &rec)
	return rec, err
}

func put(tx *bbolt.Tx, rec record) error { return store.Save(tx, bucket, keyLast, rec) }

// Money writes hundredths with the currency as the network wrote it.
func money(v int64, cur string) string {
	return strings.TrimSpace(fmt.Sprintf("%s %d.%02d", cur, v/100, v%100))
}

// Line is the status as one line for tokri status.
func (s Status) Line() string {
	switch {
	case s.Reading == nil && s.Error != "":
		return fmt.Sprintf("%s: not read yet (%s)", s.Code, s.Error)
	case s.Reading == nil:
		return fmt.Sprintf("%s: not checked yet", s.Code)
	}
	l := money(s.Reading.Amount, s.Reading.Currency)
	if s.Low {
		l += " (LOW)"
	}
	switch {
	case s.Reading.SMS == 0:
		l += ", SMS pack used up"
	case s.Reading.SMS > 0:
		l += fmt.Sprintf(", %d SMS left", s.Reading.SMS)
	}
	l += ", checked " + s.CheckedAt.Format("2 Jan 15:04 MST")
	if s.Error != "" {
		l += "; last check failed: " + s.Error
	}
	return l
}

// short keeps an answer to one screen for the status.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 160 {
		s = string([]rune(s)[:157]) + "..."
	}
	return s
}
