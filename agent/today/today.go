// Package today sums up the shop's day for its operator: orders, revenue,
// the items that sold most and the SMS spent per order. The console shows
// it; at closing time (or when the config says) the same summary goes to
// the operator's phone by SMS, once a day.
package today

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
)

// Item is one of the day's best sellers.
type Item struct {
	SKU  string `json:"sku"`
	Name string `json:"name"`
	Unit string `json:"unit,omitempty"`
	Qty  int    `json:"qty"`
}

// Summary is one day of the shop.
type Summary struct {
	Day       string `json:"day"`    // YYYY-MM-DD in the shop's zone
	Orders    int    `json:"orders"` // placed that day
	Open      int    `json:"open"`   // of those, still moving
	Delivered int    `json:"delivered"`
	Cancelled int    `json:"cancelled"` // cancelled or rejected
	// Revenue is the total of the day's orders that were not cancelled or
	// rejected, in paise.
	Revenue  int64  `json:"revenue"`
	Top      []Item `json:"top,omitempty"` // at most TopN, most units first
	Segments int    `json:"segments"`      // SMS segments sent that day, every kind
	// SMSPerOrder is Segments over Orders: what an order costs in SMS,
	// chat included; 0 with no orders.
	SMSPerOrder float64 `json:"sms_per_order"`
}

// TopN is how many best sellers a summary lists.
const TopN = 5

// Of sums up the day that holds now, in loc.
func Of(db *store.DB, now time.Time, loc *time.Location) (Summary, error) {
	local := now.In(loc)
	start := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	s := Summary{Day: start.Format(time.DateOnly)}
	var list []orders.Order
	err := db.View(func(tx *store.Tx) error {
		var err error
		list, err = orders.List(tx.Bolt(), orders.Filter{Since: start.UTC()})
		return err
	})
	if err != nil {
		return Summary{}, fmt.Errorf("today's orders: %w", err)
	}
	units := map[string]*Item{}
	for _, o := range list {
		if !o.CreatedAt.Before(start.AddDate(0, 0, 1)) {
			continue
		}
		s.Orders++
		switch {
		case o.State == orders.Cancelled || o.State == orders.Rejected:
			s.Cancelled++
			continue
		case o.State == orders.Delivered:
			s.Delivered++
		default:
			s.Open++
		}
		s.Revenue += o.Total
		for _, l := range o.Lines {
			it := units[l.SKU]
			if it == nil {
				it = &Item{SKU: l.SKU, Name: l.Name, Unit: l.Unit}
				units[l.SKU] = it
			}
			it.Qty += l.Qty
		}
	}
	for _, it := range units {
		s.Top = append(s.Top, *it)
	}
	slices.SortFunc(s.Top, func(a, b Item) int {
		if c := cmp.Compare(b.Qty, a.Qty); c != 0 {
			return c
		}
		return cmp.Compare(a.SKU, b.SKU)
	})
	s.Top = s.Top[:min(len(s.Top), TopN)]
	if s.Segments, err = db.SentToday(now); err != nil {
		return Summary{}, err
	}
	if s.Orders > 0 {
		s.SMSPerOrder = float64(s.Segments) / float64(s.Orders)
	}
	return s, nil
}

// smsSegments is the budget of the operator's summary.
const smsSegments = 2

// Text is the summary as the operator's SMS, in English, within two
// segments: the best sellers give way first.
func Text(shop string, s Summary) render.Reply {
	day, _ := time.Parse(time.DateOnly, s.Day)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d orders, %s. Delivered %d, open %d, cancelled %d. SMS %.1f per order (%d sent).",
		shop, day.Format("02 Jan"), s.Orders, render.Money(s.Revenue), s.Delivered, s.Open, s.Cancelled, s.SMSPerOrder, s.Segments)
	if len(s.Top) > 0 {
		b.WriteString(" Top:")
		for i, it := range s.Top {
			if i > 0 {
				b.WriteString(",")
			}
			name := it.Name
			if it.Unit != "" {
				name += " " + it.Unit
			}
			fmt.Fprintf(&b, " %s x%d", name, it.Qty)
		}
		b.WriteString(".")
	}
	return render.Fit(b.String(), protocol.English, smsSegments)
}
