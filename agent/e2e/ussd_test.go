package e2e

import (
	"context"
	"testing"

	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestUSSD: the agent's current modem runs a USSD code and decodes the
// answer whether the modem prints it as text, packed GSM 7-bit hex or
// UCS-2 hex.
func TestUSSD(t *testing.T) {
	cases := []struct {
		mode, reply string
	}{
		{"text", "Main Bal:Rs.45.50, valid till 31-12-2025"},
		{"gsm7hex", "Main Bal:Rs.45.50 @ Rs 1/day"},
		{"ucs2hex", "शेष राशि ₹45.50, वैधता 31-12-2025"},
	}
	onEveryProfile(t, func(t *testing.T, r *rig) {
		ru := r.start(nil)
		m := ru.WaitModem()
		for _, tc := range cases {
			if err := r.vmc.SetUSSD(r.ctx, vmodem.USSD{Code: "*123#", Reply: tc.reply, Mode: tc.mode}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(r.ctx, deadline)
			rep, err := m.USSD(ctx, "*123#")
			cancel()
			if err != nil {
				t.Errorf("%s: USSD: %v", tc.mode, err)
				continue
			}
			if rep.Text != tc.reply || rep.Status != 0 {
				t.Errorf("%s: USSD = %d %q, want 0 %q", tc.mode, rep.Status, rep.Text, tc.reply)
			}
		}
		// The modem is still the agent's after USSD: an SMS is answered.
		r.sms(smsFrom(phone(500), "hi"))
		r.waitSent(0, 1)
	})
}
