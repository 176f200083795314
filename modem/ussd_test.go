package modem

import (
	"context"
	"encoding/hex"
	"errors"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at"
)

const (
	ucs2Quectel = "00480061007600690020006B0065007200650074003A0020003000460074002E002000460065006C007400F6006C007400F60074007400200065006700790065006E006C00650067003A0020003700370037003700460074002C002800650062006200F6006C0020007600E0007300E00072006C00E000730072006100200069007300200066006F0072006400EC007400680061007400F2003A00200037003700370037004600740029002E0020004400EC006A00630073006F006D00610067003A002000420065006E0063007300F200200041002E00200055006A002000540065006C0065006B006F006D002000F6006E006B00690073007A006F006C006700E0006C00F2003A0020002A0031003100310023"
	ucs2E3276   = "0414043B044F00200441043F044004300432043A04380020043E002004310430043B0430043D044104350020043D04300431043504400438044204350020002A0031003000350023002E002004230441043B0443043304300020043104350441043F043B04300442043D0430002E"
)

func ucs2(t *testing.T, h string) string {
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

func TestUSSD(t *testing.T) {
	menu := "Bal:$100.00 *\nExp 01 Jan 2013\n1. Recharge\n2. Balance\n*charges can take 48hrs"
	tests := []struct {
		name     string
		code     string
		cscs     string
		wantCmd  string
		reply    string
		grace    bool // wait out the grace period for a better answer
		want     USSDReply
		wantErr  func(error) bool
		wantStop bool // AT+CUSD=2 sent
	}{
		{
			name: "menu across lines after OK", code: "#100#",
			reply: "\r\nOK\r\n\r\n+CUSD: 1,\"Bal:$100.00 *\r\nExp 01 Jan 2013\r\n1. Recharge\r\n2. Balance\r\n*charges can take 48hrs\",15\r\n",
			want:  USSDReply{Status: 1, Text: menu}, wantStop: true,
		},
		{
			name: "release first, before OK", code: "*100#",
			reply: "\r\n+CUSD: 2,\"Initiating Release\",15\r\n\r\n+CUSD: 0,\"Wrong order test message\",15\r\n\r\nOK\r\n",
			want:  USSDReply{Status: 0, Text: "Wrong order test message"},
		},
		{
			name: "release first, after OK", code: "*101#",
			reply: "\r\nOK\r\n\r\n+CUSD: 2,\"Initiating Release\",15\r\n\r\n+CUSD: 0,\"Notifications test\",15\r\n",
			want:  USSDReply{Status: 0, Text: "Notifications test"},
		},
		{
			name: "other client first", code: "*101#",
			reply: "\r\nOK\r\n\r\n+CUSD: 3,\"Other local client responded\",15\r\n\r\n+CUSD: 0,\"Test2\",15\r\n",
			want:  USSDReply{Status: 0, Text: "Test2"},
		},
		{
			name: "answer before OK", code: "*101#",
			reply: "\r\n+CUSD: 0,\"Available Balance: R 96.45 .\",15\r\n\r\nOK\r\n",
			want:  USSDReply{Status: 0, Text: "Available Balance: R 96.45 ."},
		},
		{
			name: "only a release carrying the text", code: "*101#",
			reply: "\r\nYet another random notification!\r\n\r\nOK\r\n\r\n+CUSD: 2,\"Notification before OK\",15\r\n",
			grace: true, want: USSDReply{Status: 2, Text: "Notification before OK"},
		},
		{
			name: "network-terminated with dcs 0 (Indonesia)", code: "*123#",
			reply: "\r\nOK\r\n\r\n+CUSD: 2,\"Maaf, permintaan Anda tidak dapat kami proses. Silakan coba beberapa saat lagi.\",0\r\n",
			grace: true, want: USSDReply{Status: 2, Text: "Maaf, permintaan Anda tidak dapat kami proses. Silakan coba beberapa saat lagi."},
		},
		{
			name: "Huawei E160 packed GSM 7-bit hex", code: "*100#",
			reply: "\r\nOK\r\n\r\n+CUSD: 0,\"49B41C74ACD3D16171D90D32FBE52072BA0C72CA5DB45CAC76C3CD6CB41B2D060389CB74F9FE4C07D55C371CA85897BF1B\",15\r\n",
			want:  USSDReply{Status: 0, Text: "Ihr Guthaben für die Nr.4915783647410 beträgt 5.78 Euro"},
		},
		{
			name: "Quectel M35 under +CSCS UCS2", code: "*102#", cscs: "UCS2", wantCmd: `AT+CUSD=1,"002A0031003000320023",15`,
			reply: "\r\nOK\r\n\r\n+CUSD: 2,\"" + ucs2Quectel + "\",15\r\n", grace: true,
			want: USSDReply{Status: 2, Text: "Havi keret: 0Ft. Feltöltött egyenleg: 7777Ft,(ebböl vàsàrlàsra is fordìthatò: 7777Ft). Dìjcsomag: Bencsò A. Uj Telekom önkiszolgàlò: *111#"},
		},
		{
			name: "Huawei E3276 UCS2 dcs 72", code: "*105#",
			reply: "\r\nOK\r\n\r\n+CUSD: 0,\"" + ucs2E3276 + "\",72\r\n",
			want:  USSDReply{Status: 0, Text: "E3276"}, // filled in below
		},
		{
			name: "Sony Ericsson text with a raw LF, no dcs", code: "#102#",
			reply: "\r\n+CUSD: 0,\" Vash balans 968.98 r.\nDlya vas - nedelya besplatnogo SMS-obsh'eniya s drugom! Podkl.: *320#\"\r\nOK\r\n",
			want:  USSDReply{Status: 0, Text: " Vash balans 968.98 r.\nDlya vas - nedelya besplatnogo SMS-obsh'eniya s drugom! Podkl.: *320#"},
		},
		{name: "CME 30", code: "*101#", reply: "\r\n+CME ERROR: 30\r\n", wantErr: isCME(30)},
		{name: "CMS 500", code: "*101#", reply: "\r\n+CMS ERROR: 500\r\n", wantErr: isCMS(500)},
		{name: "ERROR (Huawei USSD mode)", code: "*101#", reply: "\r\nERROR\r\n", wantErr: func(err error) bool { return errors.Is(err, at.ErrError) }},
		{
			name: "not supported by the network", code: "*999#", reply: "\r\nOK\r\n\r\n+CUSD: 4\r\n",
			wantErr: func(err error) bool { return errors.Is(err, ErrUSSD) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want.Text == "E3276" {
				tt.want.Text = ucs2(t, ucs2E3276)
			}
			wantCmd := tt.wantCmd
			if wantCmd == "" {
				wantCmd = `AT+CUSD=1,"` + tt.code + `",15`
			}
			r := newRig(t, func(s *sim) {
				if tt.cscs != "" {
					s.cscs = tt.cscs
				}
				s.override[wantCmd] = tt.reply
			}, Options{})
			r.init()
			r.clock.Mark()
			type result struct {
				r   USSDReply
				err error
			}
			res := make(chan result, 1)
			go func() {
				rep, err := r.m.USSD(context.Background(), tt.code)
				res <- result{rep, err}
			}()
			if tt.grace && !r.clock.WaitAndAdvance(ussdGrace, wait) {
				t.Fatal("no grace timer")
			}
			got := <-res
			if tt.wantErr != nil {
				if !tt.wantErr(got.err) {
					t.Fatalf("USSD error = %v, not the expected one", got.err)
				}
				return
			}
			if got.err != nil {
				t.Fatalf("USSD: %v", got.err)
			}
			if got.r != tt.want {
				t.Errorf("USSD = %+v\nwant   %+v", got.r, tt.want)
			}
			if !contains(r.sim.m.Commands(), wantCmd) {
				t.Errorf("%s not sent: %q", wantCmd, r.sim.m.Commands())
			}
			if stop := contains(r.sim.m.Commands(), "AT+CUSD=2"); stop != tt.wantStop {
				t.Errorf("AT+CUSD=2 sent: %v, want %v", stop, tt.wantStop)
			}
		})
	}
}

// A network that never answers: USSD gives up at USSDTimeout, not before,
// and cancels the session.
func TestUSSDTimeout(t *testing.T) {
	inBubble(t, nil, Options{USSDTimeout: 33 * time.Second}, func(t *testing.T, r *rig) {
		r.init()
		errc := make(chan error, 1)
		go func() {
			_, err := r.m.USSD(context.Background(), "*123#")
			errc <- err
		}()
		testtime.Advance(33*time.Second - time.Millisecond)
		select {
		case err := <-errc:
			t.Fatalf("USSD ended before its timeout: %v", err)
		default:
		}
		testtime.Advance(time.Millisecond)
		if err := <-errc; !errors.Is(err, at.ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		if !contains(r.sim.m.Commands(), "AT+CUSD=2") {
			t.Error("session not cancelled")
		}
	})
}

func TestUSSDNotReady(t *testing.T) {
	r := newRig(t, nil, Options{})
	if _, err := r.m.USSD(context.Background(), "*123#"); !errors.Is(err, ErrNotReady) {
		t.Fatalf("err = %v, want ErrNotReady", err)
	}
}

// A +CUSD nobody asked for (network-initiated) is not taken for the
// answer to the next request.
func TestUSSDIgnoresUnrequested(t *testing.T) {
	r := newRig(t, func(s *sim) {
		s.override[`AT+CUSD=1,"*1#",15`] = "\r\nOK\r\n\r\n+CUSD: 0,\"mine\",15\r\n"
	}, Options{})
	r.init()
	r.sim.m.Send("\r\n+CUSD: 0,\"stale\",15\r\n")
	// Wait until the stale one has gone by: a marker URC after it.
	r.drainEvents()
	r.sim.m.Send("\r\n^RSSI:3\r\n")
	r.event(EventSignal)
	rep, err := r.m.USSD(context.Background(), "*1#")
	if err != nil || rep.Text != "mine" {
		t.Fatalf("USSD = %+v, %v", rep, err)
	}
}

func isCME(code int) func(error) bool {
	return func(err error) bool {
		var e *at.CMEError
		return errors.As(err, &e) && e.Code == code
	}
}

func isCMS(code int) func(error) bool {
	return func(err error) bool {
		var e *at.CMSError
		return errors.As(err, &e) && e.Code == code
	}
}
