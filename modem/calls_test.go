package modem

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

func TestMissedCalls(t *testing.T) {
	tests := []struct {
		name    string
		urcs    []string // sent one per step
		advance bool     // after the URCs, let RingGap pass
		reject  bool
		want    string // journal entry of the missed call; "" for none
		wantATH bool
	}{
		{
			name: "RING, CLIP, NO CARRIER",
			urcs: []string{"RING", `+CLIP: "+27821231234",145,,,,0`, "RING", `+CLIP: "+27821231234",145,,,,0`, "NO CARRIER"},
			want: "call +27821231234 at 17:38:30",
		},
		{
			name: "CLIP before RING (SIM800), hang-up by silence",
			urcs: []string{`+CLIP: "+919790197346",145,"",0,"",0`, "RING", "RING"}, advance: true,
			want: "call +919790197346 at 17:38:30",
		},
		{
			name: "extended ring, Wavecom two-field CLIP, +WIND: 6",
			urcs: []string{"+CRING: VOICE", `+CLIP: "+27821231234",145`, "+WIND: 6,1"},
			want: "call +27821231234 at 17:38:30",
		},
		{
			name: "national number, Huawei ^CEND",
			urcs: []string{"RING", `+CLIP: "9790197346",129,,,,0`, "^CEND:1,5,29,16"},
			want: "call 9790197346 at 17:38:30",
		},
		{
			name: "international number without plus gets one",
			urcs: []string{"RING", `+CLIP: "919790197346",145`, "NO CARRIER"},
			want: "call +919790197346 at 17:38:30",
		},
		{
			name: "CLIP without RING",
			urcs: []string{`+CLIP: "123456789",129`}, advance: true,
			want: "call 123456789 at 17:38:30",
		},
		{
			name: "RING without CLIP (ML307A) is ignored",
			urcs: []string{"RING", "RING", "NO CARRIER"},
		},
		{
			name: "rejected with ATH once the caller is known",
			urcs: []string{"RING", `+CLIP: "+27821231234",145,,,,0`}, advance: true,
			reject: true, wantATH: true,
			want: "call +27821231234 at 17:38:30",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inBubble(t, nil, Options{RejectCalls: tt.reject}, func(t *testing.T, r *rig) {
				r.init()
				r.receive(&inbox{j: r.j}, poll)
				r.j.waitEntry(t, "AT+CMGL=4")
				for _, u := range tt.urcs {
					r.sim.m.Send("\r\n" + u + "\r\n")
				}
				synctest.Wait()
				if tt.advance {
					testtime.Advance(DefaultRingGap)
				}
				if got := calls(r.j.all()); !slices.Equal(got, nonEmpty(tt.want)) {
					t.Errorf("calls %q, want %q", got, tt.want)
				}
				if got := contains(r.sim.m.Commands(), "ATH"); got != tt.wantATH {
					t.Errorf("ATH sent: %v, want %v", got, tt.wantATH)
				}
			})
		})
	}
}

// calls returns the journal's missed calls.
func calls(journal []string) []string {
	var out []string
	for _, entry := range journal {
		if strings.HasPrefix(entry, "call ") {
			out = append(out, entry)
		}
	}
	return out
}

// nonEmpty is s as a list of one, or no list for "".
func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// Rings keep a call alive: silence is measured from the last RING.
func TestRingsKeepCallAlive(t *testing.T) {
	inBubble(t, nil, Options{}, func(t *testing.T, r *rig) {
		r.init()
		r.receive(&inbox{j: r.j}, poll)
		r.j.waitEntry(t, "AT+CMGL=4")
		ring := "\r\nRING\r\n\r\n+CLIP: \"+27821231234\",145,,,,0\r\n"
		r.sim.m.Send(ring)
		testtime.Advance(5 * time.Second)
		r.sim.m.Send(ring)
		// 8 s after the first RING but only 3 s after the second: still ringing.
		testtime.Advance(3 * time.Second)
		if c := calls(r.j.all()); len(c) != 0 {
			t.Fatalf("call ended while still ringing: %q", c)
		}
		testtime.Advance(5 * time.Second)
		r.j.waitEntry(t, "call +27821231234 at 17:38:30")
	})
}
