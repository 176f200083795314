package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestShortSMSGetsOneWelcome: one short message in, one one-segment GSM-7
// welcome out, the inbound handled once and the modem's copy deleted.
func TestShortSMSGetsOneWelcome(t *testing.T) {
	onEveryProfile(t, func(t *testing.T, r *rig) {
		r.start(nil)
		from := phone(1)
		r.sms(vmodem.SMS{From: from, Text: "2 kg atta bhejo"})

		sent := r.waitSent(0, 1)
		s := sent[0]
		if s.To != from || s.Text != agent.WelcomeText || s.Segments != 1 || s.Encoding != "gsm7" || s.StatusReport || s.DecodeError != "" {
			t.Errorf("reply = %+v, want one gsm7 segment of the welcome to %s", s, from)
		}
		r.eventually("the inbound handled", func() (bool, string) {
			in := r.inbound()
			return len(in) == 1 && in[0].Handled, short(dump(in))
		})
		in := r.inbound()[0]
		if in.Channel != store.ChannelSMS || in.From != from || in.Text != "2 kg atta bhejo" || in.Encoding != "gsm7" || in.Parts != 1 {
			t.Errorf("inbound = %+v", in)
		}
		r.waitStorageEmpty()
		// Nothing more goes out: a later message gets exactly one
		// more reply, so the first was not answered twice.
		r.sms(vmodem.SMS{From: from, Text: "aur 1 l tel"})
		all := r.waitSent(0, 2)
		if n := sentTo(all)[from]; n != 2 {
			t.Errorf("%d replies to %s for 2 messages: %+v", n, from, all)
		}
	})
}

// TestLongMessageOutOfOrder: the parts of a long message arrive in any
// order, each as its own stored message, with 8- or 16-bit references;
// the handler sees the whole text once, and the echo of it goes out in as
// many segments as it needs.
func TestLongMessageOutOfOrder(t *testing.T) {
	t.Parallel()
	gsm := "Order for Sharma ji: " + strings.Repeat("2 kg atta @ Rs 45/kg, 1 l oil @ Rs 160; ", 9) + "deliver by 7pm. Thanks!"
	hindi := "शर्मा जी का ऑर्डर: " + strings.Repeat("2 किलो आटा, 1 लीटर सरसों तेल, 500 ग्राम चीनी; ", 3) + "शाम 7 बजे तक भेज दो।"
	cases := []struct {
		name     string
		text     string
		encoding string
		refBits  int
		order    []int
		parts    int
	}{
		{"gsm7-ref8", gsm, "gsm7", 8, []int{3, 1, 2}, 3},
		{"gsm7-ref16", gsm, "gsm7", 16, []int{2, 3, 1}, 3},
		{"ucs2-ref8", hindi, "ucs2", 8, []int{3, 2, 1}, 3},
		{"ucs2-ref16", hindi, "ucs2", 16, []int{2, 1, 3}, 3},
	}
	for _, profile := range profiles {
		for i, tc := range cases {
			t.Run(profile+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				r := newRig(t, profile)
				r.start(func(o *agent.Options) { o.Handler = echo })
				from := phone(100 + i)
				d := r.sms(vmodem.SMS{From: from, Text: tc.text, RefBits: tc.refBits, Order: tc.order})
				if d.Parts != tc.parts || d.Encoding != tc.encoding {
					t.Fatalf("network made %d %s parts, want %d %s", d.Parts, d.Encoding, tc.parts, tc.encoding)
				}
				sent := r.waitSent(0, 1)
				if s := sent[0]; s.To != from || s.Text != tc.text || s.Segments != tc.parts || s.Encoding != tc.encoding {
					t.Errorf("echo = %d %s segments %q, want %d %s segments %q", s.Segments, s.Encoding, s.Text, tc.parts, tc.encoding, tc.text)
				}
				r.eventually("the long message handled", func() (bool, string) {
					in := r.inbound()
					return len(in) == 1 && in[0].Handled, dump(in)
				})
				in := r.inbound()[0]
				if in.Text != tc.text || in.Parts != tc.parts || in.Encoding != tc.encoding {
					t.Errorf("inbound: %d %s parts %q, want %d %s parts %q", in.Parts, in.Encoding, in.Text, tc.parts, tc.encoding, tc.text)
				}
				r.waitStorageEmpty()
				// A later message proves the long one was answered once.
				r.sms(vmodem.SMS{From: from, Text: "ok"})
				all := r.waitSent(0, 2)
				if n := sentTo(all)[from]; n != 2 || all[1].Text != "ok" {
					t.Errorf("%d replies to %s, want 2 (the long echo, then ok): %+v", n, from, all)
				}
				if len(r.inbound()) != 2 {
					t.Errorf("inbound: %s", dump(r.inbound()))
				}
			})
		}
	}
}

// hindiReply is 103 UCS-2 characters: two segments of 67.
const hindiReply = "धन्यवाद! आपका ऑर्डर मिल गया: 2 किलो आटा, 1 लीटर सरसों तेल। कुल ₹310। दुकान आज शाम 7 बजे तक पहुँचा देगी।"

// TestHindi: a Devanagari message reaches the handler exactly, and a Hindi
// reply goes out as UCS-2 in the segments it needs.
func TestHindi(t *testing.T) {
	const text = "नमस्ते भैया, 2 किलो आटा और 1 लीटर तेल भेज दो"
	onEveryProfile(t, func(t *testing.T, r *rig) {
		var mu sync.Mutex
		var saw []string
		r.start(func(o *agent.Options) {
			o.Handler = agent.HandlerFunc(func(tx *store.Tx, in store.Inbound) error {
				// The function may run again before its commit; the
				// last run is the one that counts.
				mu.Lock()
				saw = append(saw, in.Text)
				mu.Unlock()
				_, err := tx.Enqueue(store.Outbound{To: in.From, Text: hindiReply, Priority: store.Reply})
				return err
			})
		})
		from := phone(200)
		d := r.sms(vmodem.SMS{From: from, Text: text})
		if d.Encoding != "ucs2" || d.Parts != 1 {
			t.Fatalf("network made %d %s parts", d.Parts, d.Encoding)
		}
		sent := r.waitSent(0, 1)
		if s := sent[0]; s.To != from || s.Text != hindiReply || s.Encoding != "ucs2" || s.Segments != 2 || s.Ref < 0 || s.DecodeError != "" {
			t.Errorf("reply = %d %s segments ref %d %q, want 2 ucs2 segments %q", s.Segments, s.Encoding, s.Ref, s.Text, hindiReply)
		}
		mu.Lock()
		got := append([]string(nil), saw...)
		mu.Unlock()
		if len(got) == 0 || got[len(got)-1] != text {
			t.Errorf("handler saw %q, want %q", got, text)
		}
		r.eventually("the inbound handled", func() (bool, string) {
			in := r.inbound()
			return len(in) == 1 && in[0].Handled, dump(in)
		})
		if in := r.inbound()[0]; in.Text != text || in.Encoding != "ucs2" {
			t.Errorf("stored inbound %s %q, want ucs2 %q", in.Encoding, in.Text, text)
		}
		rec := r.soleSent("the reply in the sent log", func(store.SentRecord) bool { return true })
		if rec.Segments != 2 || rec.PartsSent != 2 || rec.Encoding != "ucs2" || len(rec.MRs) != 2 {
			t.Errorf("sent log entry = %+v", rec)
		}
	})
}
