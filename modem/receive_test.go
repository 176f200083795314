package modem

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at"
)

// Real PDUs from the shared fixtures (see pdus.tsv ids in comments).
const (
	pduE1752    = "07913366003051F5040B913366304381F900005180719120348004D4F29C0E"                         // real-huawei-e1752-cmgl
	pduIndia    = "0791198904100161240C911979099137640000511090718303220BC8B4421174CFD175D014"             // real-india-cmgr
	pduGarbage  = "07917248014000F3240B917247587706F400003110824115248012C8329BFD06C9C373B8B82C97E741F034" // python-gsmmodem listing
	pduTelit    = "07916163838428F9040B916121021021F700005190514164220A23C4B0BCFD5E8740C4B0BCFD5E83C26E3248196687C9A0301D440DBBC3677918"
	pduPantech  = "079100F40D1101000F001000B917118336058F300001954747A0E4ACF41F27298CDCE83C6EF371B0402814020" // odd length as printed
	pduZTE      = "0297F1061C0F910B487228297020F5317062419272803170624192138000"
	pduCDS      = "07914356060013F1065A098136395339F6219011700463802190117004638030"
	pduCDSIndia = "079119890400202306400C91197909913764511090718384225110907183252200"
	pduGeneric  = "07914306073011F00405812261F700003130916191314095C274D96D2FBBD3E437280CB2BEC961F3DB5D76818EF2F0381D9E83E06F39A8CC2E9FD372F77BEE0249CBE37A594E0E83E2F532085E2F93CB73D0B93CA7A7DFEEB01C447F93DF7310BD3E07CDCB727B7A9C7ECF41E432C8FC96B7C32079189E26874179D0F8DD7E93C3A0B21B246AA641D637396C7EBBCB22D0FD7E77B5D376B3AB3C07"
)

const poll = 37 * time.Second

func accepted(hexPDU string) string { return "accept " + strings.ToUpper(hexPDU) }

// before checks that a comes before b in the journal.
func before(t *testing.T, entries []string, a, b string) {
	t.Helper()
	ia, ib := -1, -1
	for i, e := range entries {
		if e == a && ia < 0 {
			ia = i
		}
		if e == b && ib < 0 {
			ib = i
		}
	}
	if ia < 0 || ib < 0 || ia > ib {
		t.Fatalf("%q must come before %q; journal:\n%s", a, b, strings.Join(entries, "\n"))
	}
}

// inReceiving runs f in a testing/synctest bubble on a ready modem whose
// receiver is running into in.
func inReceiving(t *testing.T, adjust func(*sim), f func(t *testing.T, r *rig, in *inbox)) {
	inBubble(t, adjust, Options{}, func(t *testing.T, r *rig) {
		r.init()
		in := &inbox{j: r.j}
		r.receive(in, poll)
		f(t, r, in)
	})
}

func TestReceiverStartupScanStoreThenDelete(t *testing.T) {
	inReceiving(t, func(s *sim) {
		s.mems["SM"][0] = simMsg{1, pduE1752}
		s.mems["SM"][4] = simMsg{0, pduIndia}
	}, func(t *testing.T, r *rig, _ *inbox) {
		e := r.j.waitEntry(t, "AT+CMGD=4")
		before(t, e, "AT+CMGL=4", accepted(pduE1752))
		before(t, e, accepted(pduE1752), "AT+CMGD=0")
		before(t, e, accepted(pduIndia), "AT+CMGD=4")
		if left := r.sim.stored("SM"); len(left) != 0 {
			t.Errorf("left on the SIM: %v", left)
		}
	})
}

func TestReceiverKeepsWhatInboxRefused(t *testing.T) {
	refuse := errors.New("disk full")
	inBubble(t, func(s *sim) { s.mems["SM"][2] = simMsg{0, pduIndia} }, Options{}, func(t *testing.T, r *rig) {
		r.init()
		in := &inbox{j: r.j}
		in.set(func([]byte) error { return refuse })
		r.receive(in, poll)
		synctest.Wait()
		if r.j.count("refuse "+strings.ToUpper(pduIndia)) != 1 || r.j.count("AT+CMGD=2") != 0 {
			t.Fatalf("want the message refused and kept; journal:\n%s", strings.Join(r.j.all(), "\n"))
		}
		in.set(nil)
		testtime.Advance(poll) // the next scan
		before(t, r.j.all(), accepted(pduIndia), "AT+CMGD=2")
	})
}

func TestReceiverFollowsCMTI(t *testing.T) {
	inReceiving(t, nil, func(t *testing.T, r *rig, _ *inbox) {
		r.j.waitEntry(t, "AT+CMGL=4")
		r.sim.store("SM", 7, 0, pduIndia)
		r.sim.m.Send("\r\n+CMTI: \"SM\",7\r\n")
		e := r.j.waitEntry(t, "AT+CMGD=7")
		before(t, e, "AT+CMGR=7", accepted(pduIndia))
		before(t, e, accepted(pduIndia), "AT+CMGD=7")
	})
}

// An indication for a memory other than "SM" (a message in "ME", a status
// report in "SR") is read there, and the receiver goes back to "SM".
func TestReceiverOtherMemory(t *testing.T) {
	for _, tt := range []struct {
		urc, mem string
		index    int
		pdu      string
	}{
		{"+CMTI", "ME", 67, pduE1752},
		{"+CDSI", "SR", 1, pduCDS},
	} {
		t.Run(tt.urc+" "+tt.mem, func(t *testing.T) {
			inReceiving(t, nil, func(t *testing.T, r *rig, _ *inbox) {
				r.j.waitEntry(t, "AT+CMGL=4")
				r.sim.store(tt.mem, tt.index, 0, tt.pdu)
				r.sim.m.Send(fmt.Sprintf("\r\n%s: %q,%d\r\n", tt.urc, tt.mem, tt.index))
				e := r.j.waitEntry(t, `AT+CPMS="SM"`)
				want := []string{
					fmt.Sprintf("AT+CPMS=%q", tt.mem), fmt.Sprintf("AT+CMGR=%d", tt.index), accepted(tt.pdu),
					fmt.Sprintf("AT+CMGD=%d", tt.index), `AT+CPMS="SM"`,
				}
				if diff := cmp.Diff(want, e[len(e)-5:]); diff != "" {
					t.Errorf("journal tail (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// Quectel EC25 announces status reports stored in "SR" as "SM"; the slot
// reads as a bare OK. Nothing is accepted or deleted, and the receiver
// moves on (the next indication is handled).
func TestReceiverCDSIEmptySlot(t *testing.T) {
	inReceiving(t, func(s *sim) { s.override["AT+CMGR=0"] = ok() }, func(t *testing.T, r *rig, _ *inbox) {
		r.j.waitEntry(t, "AT+CMGL=4")
		r.sim.m.Send("\r\n+CDSI: \"SM\",0\r\n")
		r.j.waitEntry(t, "AT+CMGR=0")
		r.sim.store("SM", 1, 0, pduIndia)
		r.sim.m.Send("\r\n+CMTI: \"SM\",1\r\n")
		e := r.j.waitEntry(t, "AT+CMGD=1")
		for _, entry := range e {
			if entry == "AT+CMGD=0" || strings.HasPrefix(entry, "accept") && entry != accepted(pduIndia) {
				t.Errorf("unexpected %q", entry)
			}
		}
		if n := r.j.count("AT+CMGR=0"); n != 1 {
			t.Errorf("AT+CMGR=0 sent %d times", n)
		}
	})
}

func TestReceiverInline(t *testing.T) {
	acks := 0
	inReceiving(t, func(s *sim) {
		s.hook = func(cmd string) (string, bool) {
			if cmd != "AT+CNMA=1" {
				return "", false
			}
			acks++
			if acks == 1 {
				return ok(), true
			}
			// A phase 2 modem: no acknowledgement expected.
			return "\r\n+CMS ERROR: 340\r\n", true
		}
	}, func(t *testing.T, r *rig, in *inbox) {
		r.j.waitEntry(t, "AT+CMGL=4")
		r.sim.m.Send("\r\n+CDS: 24\r\n" + pduCDS + "\r\n")
		e := r.j.waitEntry(t, "AT+CNMA=1")
		before(t, e, accepted(pduCDS), "AT+CNMA=1")
		r.sim.m.Send("\r\n+CMT: ,23\r\n07918497483252F0840B918496445078F700007121320144744004D4F29C0E\r\n")
		r.j.waitEntry(t, accepted("07918497483252F0840B918496445078F700007121320144744004D4F29C0E"))
		r.j.waitFor(t, "second ack", func(string) bool { return r.j.count("AT+CNMA=1") == 2 })
		// The modem said no ack is expected: the third goes without.
		r.sim.m.Send("\r\n+CDS:25\r\n" + pduCDSIndia + "\r\n")
		r.j.waitEntry(t, accepted(pduCDSIndia))
		// A refused inline message is negatively acknowledged... once acks
		// are known not to be expected, not at all.
		in.set(func([]byte) error { return errors.New("no") })
		r.sim.m.Send("\r\n+CDS: 24\r\n" + pduCDS + "\r\n")
		r.j.waitEntry(t, "refuse "+pduCDS)
		r.sim.m.Send("\r\n+CMTI: \"SM\",9\r\n") // a marker: handled after the refusal
		r.j.waitEntry(t, "AT+CMGR=9")
		if n := r.j.count("AT+CNMA=1"); n != 2 {
			t.Errorf("AT+CNMA=1 sent %d times, want 2", n)
		}
		if n := r.j.count("AT+CNMA=2"); n != 0 {
			t.Errorf("AT+CNMA=2 sent %d times, want 0", n)
		}
	})
}

func TestReceiverInlineRefusedIsNacked(t *testing.T) {
	inReceiving(t, nil, func(t *testing.T, r *rig, in *inbox) {
		r.j.waitEntry(t, "AT+CMGL=4")
		in.set(func([]byte) error { return errors.New("no") })
		r.sim.m.Send("\r\n+CMT: \"+123456789\",20\r\n" + pduIndia + "\r\n")
		e := r.j.waitEntry(t, "AT+CNMA=2")
		before(t, e, "refuse "+pduIndia, "AT+CNMA=2")
	})
}

// Listing shapes from cmgr-cmgl-cdsi-format-variants.txt: each must end
// with the right bytes in the inbox and the right slots deleted.
func TestReceiverListingShapes(t *testing.T) {
	tests := []struct {
		name     string
		listing  string // reply to the first AT+CMGL=4
		cmgr     map[string]string
		timeout  bool // the listing never ends: wait out its timeout
		accepted []string
		deleted  []int
	}{
		{
			name:     "Huawei E1752",
			listing:  ok("+CMGL: 0,0,,23", pduE1752),
			accepted: []string{pduE1752}, deleted: []int{0},
		},
		{
			name:     "garbage line in the listing (python-gsmmodem, DWM222)",
			listing:  "\r\nAFSDLF SDKFJSKDLFJLKSDJF\r\n" + ok("+CMGL: 0,0,,35", "AFSDLF SDKFJSKDLFJLKSDJF SJDLKFSKLDJFKSDFS", pduGarbage),
			accepted: []string{pduGarbage}, deleted: []int{0},
		},
		{
			name:    "Pantech: no alpha, odd-length PDU",
			listing: ok("+CMGL: 17,3,35", pduPantech),
			// Odd length cannot be split into octets: the printed bytes go
			// to the inbox, which keeps them as undecodable.
			accepted: []string{fmt.Sprintf("%X", pduPantech)}, deleted: []int{17},
		},
		{
			name:     "PDU on the header line, lower case, stray quote",
			listing:  ok("+CMGL: 3,1,,147 "+pduGeneric, "+CMGL: 4,1,\"\",23", strings.ToLower(pduE1752)+`"`),
			accepted: []string{pduGeneric, pduE1752}, deleted: []int{3, 4},
		},
		{
			name:     "not hex: re-read, checked for PDU mode, left on the SIM",
			listing:  ok("+CMGL: 2,1,,23", "ZZZZ NOT HEX", "+CMGL: 3,1,,23", pduE1752),
			cmgr:     map[string]string{"AT+CMGR=2": ok("+CMGR: 1,,23", "ZZZZ NOT HEX")},
			accepted: []string{pduE1752}, deleted: []int{3},
		},
		{
			name: "truncated listing: every index re-read",
			// The ^RSSI at the end (a signal event) tells the test that
			// the listing has been read before it lets the command time out.
			listing: "\r\n+CMGL: 11,3,35\r\n" + pduE1752 + "\r\n+CMGL: 12,3,35\r\n079100F40D1101000F001000B917118336058F300\r\n^RSSI:13\r\n",
			timeout: true,
			cmgr: map[string]string{
				"AT+CMGR=11": ok("+CMGR: 3,,23", pduE1752),
				"AT+CMGR=12": ok("+CMGR: 3,,35", pduPantech),
			},
			accepted: []string{pduE1752, fmt.Sprintf("%X", pduPantech)}, deleted: []int{11, 12},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inBubble(t, func(s *sim) {
				listed := false
				s.hook = func(cmd string) (string, bool) {
					if cmd == "AT+CMGL=4" && !listed {
						listed = true
						return tt.listing, true
					}
					if reply, ok := tt.cmgr[cmd]; ok {
						return reply, true
					}
					return "", false
				}
			}, Options{}, func(t *testing.T, r *rig) {
				r.init()
				r.drainEvents()
				in := &inbox{j: r.j}
				r.receive(in, poll)
				if tt.timeout {
					r.event(EventSignal)
					testtime.Advance(DefaultCommandTimeout) // the listing went silent
				}
				last := fmt.Sprintf("AT+CMGD=%d", tt.deleted[len(tt.deleted)-1])
				e := r.j.waitEntry(t, last)
				for i, p := range tt.accepted {
					before(t, e, accepted(p), fmt.Sprintf("AT+CMGD=%d", tt.deleted[i]))
				}
				var got []string
				for _, entry := range e {
					if strings.HasPrefix(entry, "accept ") {
						got = append(got, strings.TrimPrefix(entry, "accept "))
					}
				}
				var want []string
				for _, p := range tt.accepted {
					want = append(want, strings.ToUpper(p))
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("accepted (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// +CMGR header shapes, read after a +CMTI.
func TestReceiverReadShapes(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		want  string // accepted PDU hex, "" for nothing
	}{
		{"generic", ok("+CMGR: 0,,29", pduIndia), pduIndia},
		{"Telit empty quoted alpha", ok(`+CMGR: 0,"",50`, pduTelit), pduTelit},
		{"PDU on the same line", ok("+CMGR: 1,,147 " + pduGeneric), pduGeneric},
		{"ZTE empty stat", ok("+CMGR: ,,27", pduZTE), pduZTE},
		{"alpha with spaces", ok("+CMGR: 0,Test User 123,29", pduIndia), pduIndia},
		{"alpha with a comma", ok(`+CMGR: 0,"Doe, J",29`, pduIndia), pduIndia},
		{"only the length", ok("+CMGR: 24", pduE1752), pduE1752},
		{"extra leading field", ok("+CMGR: 4,1,,151", pduE1752), pduE1752},
		{"FF padding", ok("+CMGR: 1,,29", pduIndia+strings.Repeat("FF", 143)), pduIndia + strings.Repeat("FF", 143)},
		{"bare OK", ok(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inReceiving(t, func(s *sim) { s.override["AT+CMGR=5"] = tt.reply }, func(t *testing.T, r *rig, _ *inbox) {
				r.j.waitEntry(t, "AT+CMGL=4")
				r.sim.m.Send("\r\n+CMTI: \"SM\",5\r\n")
				if tt.want == "" {
					r.j.waitEntry(t, "AT+CMGR=5")
					r.sim.m.Send("\r\n+CMTI: \"SM\",6\r\n") // marker
					e := r.j.waitEntry(t, "AT+CMGR=6")
					for _, entry := range e {
						if strings.HasPrefix(entry, "accept") || entry == "AT+CMGD=5" {
							t.Errorf("unexpected %q", entry)
						}
					}
					return
				}
				e := r.j.waitEntry(t, "AT+CMGD=5")
				before(t, e, accepted(tt.want), "AT+CMGD=5")
			})
		})
	}
}

// A reboot-and-reinit makes the receiver list storage again; so does
// every poll.
func TestReceiverRescansAfterReinit(t *testing.T) {
	inReceiving(t, nil, func(t *testing.T, r *rig, _ *inbox) {
		r.j.waitEntry(t, "AT+CMGL=4")
		r.sim.store("SM", 1, 0, pduIndia)
		if err := r.m.Init(context.Background()); err != nil {
			t.Fatal(err)
		}
		e := r.j.waitEntry(t, "AT+CMGD=1")
		before(t, e, accepted(pduIndia), "AT+CMGD=1")
	})
}

func TestReceiverOnePerModem(t *testing.T) {
	inReceiving(t, nil, func(t *testing.T, r *rig, in *inbox) {
		r.j.waitEntry(t, "AT+CMGL=4")
		err := NewReceiver(r.m, in, ReceiverOptions{}).Run(context.Background())
		if !errors.Is(err, ErrReceiverRunning) {
			t.Fatalf("second receiver: %v", err)
		}
	})
}

// A modem that rebooted into text mode answers a queued indication's
// AT+CMGR in text (the text may even look like hex). Nothing is handed to
// the inbox and nothing deleted: the modem is initialised again, and the
// scan that follows reads the message as a PDU.
func TestReceiverTextModeAnswer(t *testing.T) {
	listed, read := 0, 0
	inReceiving(t, func(s *sim) {
		s.hook = func(cmd string) (string, bool) {
			switch {
			case cmd == "AT+CMGL=4" && listed == 0:
				listed++
				return ok(), true
			case cmd == "AT+CMGR=2" && read == 0:
				read++
				// 27.005 3.4.3 text-mode shape (Telit GM862 reference p.206).
				return ok(`+CMGR: "REC UNREAD","+919876500701","","26/12/07,06:53:00+22"`, "CAFE1234"), true
			}
			return "", false
		}
	}, func(t *testing.T, r *rig, _ *inbox) {
		r.j.waitEntry(t, "AT+CMGL=4")
		r.sim.store("SM", 2, 0, pduE1752)
		r.drainEvents()
		r.sim.m.Send("\r\n+CMTI: \"SM\",2\r\n")
		r.event(EventRebooted)
		// Until Init, nothing is typed at the modem (a send already past its
		// ready check would otherwise go out as text).
		if _, err := r.m.port.Command(context.Background(), "AT+CMGS=24"); !errors.Is(err, at.ErrRebooted) {
			t.Errorf("command after a text-mode answer: %v, want at.ErrRebooted", err)
		}
		r.steps(rebootSettle)
		r.event(EventReady)
		e := r.j.waitEntry(t, "AT+CMGD=2")
		var got []string
		for _, entry := range e {
			if strings.HasPrefix(entry, "accept ") {
				got = append(got, entry)
			}
		}
		if diff := cmp.Diff([]string{accepted(pduE1752)}, got); diff != "" {
			t.Errorf("accepted (-want +got):\n%s", diff)
		}
		before(t, e, "AT+CMGF=0", accepted(pduE1752))
		if n := r.j.count("AT+CMGD=2"); n != 1 {
			t.Errorf("AT+CMGD=2 sent %d times", n)
		}
	})
}

// Indications queued before a reboot burst are dropped, not read: the
// reads would be answered before PDU mode is set again. The scan after
// re-initialisation reads every message once.
func TestReceiverDropsIndicationsAtReboot(t *testing.T) {
	inReceiving(t, func(s *sim) {
		// The first read is slow, so the other indications queue behind it.
		s.override["AT+CMGR=1"] = ""
	}, func(t *testing.T, r *rig, _ *inbox) {
		r.j.waitEntry(t, "AT+CMGL=4")
		for i := 1; i <= 3; i++ {
			r.sim.store("SM", i, 0, pduE1752)
		}
		r.drainEvents()
		r.sim.m.Send("\r\n+CMTI: \"SM\",1\r\n+CMTI: \"SM\",2\r\n+CMTI: \"SM\",3\r\n")
		r.j.waitEntry(t, "AT+CMGR=1")
		r.sim.m.Send("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n")
		r.event(EventRebooted)
		r.sim.set(func(s *sim) { delete(s.override, "AT+CMGR=1") })
		r.steps(rebootSettle)
		r.event(EventReady)
		e := r.j.waitEntry(t, "AT+CMGD=3")
		for _, cmd := range []string{"AT+CMGR=2", "AT+CMGR=3"} {
			if n := r.j.count(cmd); n != 0 {
				t.Errorf("%s sent %d times after the reboot; want the indication dropped", cmd, n)
			}
		}
		before(t, e, "AT+CMGF=0", "AT+CMGD=1")
		if n := r.j.count("AT+CMGR=1"); n != 1 {
			t.Errorf("AT+CMGR=1 sent %d times", n)
		}
	})
}
