package modem

import (
	"testing"
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
			r := newRig(t, nil, Options{RejectCalls: tt.reject})
			r.init()
			in := &inbox{j: r.j}
			r.receive(in, poll)
			r.j.waitEntry(t, "AT+CMGL=4")
			r.clock.Mark()
			for _, u := range tt.urcs {
				r.sim.m.Send("\r\n" + u + "\r\n")
			}
			if tt.advance {
				// Make sure every URC was seen before time moves on.
				r.sim.m.Send("\r\n+CMTI: \"SM\",8\r\n")
				r.j.waitEntry(t, "AT+CMGR=8")
				if !r.clock.WaitAndAdvance(DefaultRingGap, wait) {
					t.Fatal("no ring timer")
				}
			}
			if tt.want != "" {
				r.j.waitEntry(t, tt.want)
			}
			// A marker after the call: once it is read, a second call
			// would have shown too.
			r.sim.m.Send("\r\n+CMTI: \"SM\",9\r\n")
			e := r.j.waitEntry(t, "AT+CMGR=9")
			var calls []string
			for _, entry := range e {
				if len(entry) > 5 && entry[:5] == "call " {
					calls = append(calls, entry)
				}
			}
			switch {
			case tt.want == "" && len(calls) != 0:
				t.Errorf("calls %q, want none", calls)
			case tt.want != "" && (len(calls) != 1 || calls[0] != tt.want):
				t.Errorf("calls %q, want exactly %q", calls, tt.want)
			}
			if tt.wantATH {
				r.j.waitEntry(t, "ATH") // sent from its own goroutine
			}
			if got := contains(r.sim.m.Commands(), "ATH"); got != tt.wantATH {
				t.Errorf("ATH sent: %v, want %v", got, tt.wantATH)
			}
		})
	}
}

// Rings keep a call alive: silence is measured from the last RING.
func TestRingsKeepCallAlive(t *testing.T) {
	r := newRig(t, nil, Options{})
	r.init()
	in := &inbox{j: r.j}
	r.receive(in, poll)
	r.j.waitEntry(t, "AT+CMGL=4")
	r.clock.Mark()
	r.sim.m.Send("\r\nRING\r\n\r\n+CLIP: \"+27821231234\",145,,,,0\r\n")
	if !r.clock.WaitFor(DefaultRingGap, wait) {
		t.Fatal("no ring timer")
	}
	r.clock.Add(5e9)
	r.clock.Mark()
	r.sim.m.Send("\r\nRING\r\n\r\n+CLIP: \"+27821231234\",145,,,,0\r\n")
	if !r.clock.WaitFor(DefaultRingGap, wait) {
		t.Fatal("no second ring timer")
	}
	// 8 s after the first RING but only 3 s after the second: still ringing.
	r.clock.Add(3e9)
	r.sim.m.Send("\r\n+CMTI: \"SM\",8\r\n")
	e := r.j.waitEntry(t, "AT+CMGR=8")
	for _, entry := range e {
		if len(entry) > 5 && entry[:5] == "call " {
			t.Fatalf("call ended while still ringing: %q", entry)
		}
	}
	r.clock.Add(5e9)
	r.j.waitEntry(t, "call +27821231234 at 17:38:30")
}
