package admin

import (
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/today"
	"github.com/tokrihq/tokri/phone"
)

// Today is the answer to GET /v1/today: the day so far, and the SMS the
// operator will get at the end of it.
type Today struct {
	today.Summary
	SMS         string `json:"sms"`
	SMSSegments int    `json:"sms_segments"`
	// At is when the SMS goes ("21:00"), "" when it does not; To is the
	// phone it goes to, masked; Sent says it went today.
	At   string `json:"at,omitempty"`
	To   string `json:"to,omitempty"`
	Sent bool   `json:"sent,omitempty"`
}

func (s *service) today() (Today, error) {
	sum, err := today.Of(s.db, s.now(), s.loc)
	if err != nil {
		return Today{}, internal("today", err)
	}
	t := Today{Summary: sum, At: s.summaryAt, To: phone.Mask(s.summaryTo)}
	err = s.db.View(func(tx *store.Tx) error {
		r := today.Text(orders.ShopName(tx.Bolt()), sum)
		t.SMS, t.SMSSegments = r.Text, r.Segments
		t.Sent = today.Sent(tx.Bolt(), sum.Day)
		return nil
	})
	if err != nil {
		return Today{}, internal("today", err)
	}
	if s.summaryTo == "" {
		t.At = ""
	}
	return t, nil
}
