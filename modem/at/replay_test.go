package at

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at/attest"
)

// call is one command a replay test issues and what it should get back.
type call struct {
	cmd     string
	pdu     string // set for an SMS command
	resume  bool   // call Resume first
	want    []string
	wantErr func(error) bool
}

func TestReplayTranscripts(t *testing.T) {
	const cusdMenu = `+CUSD: 1,"Bal:$100.00 *`
	tests := []struct {
		file  string
		watch bool // reboots are watched (the modem is set up)
		calls []call
		urcs  []urcShape
	}{
		{
			file:  "huawei-e1752-cmgl-echo.at",
			calls: []call{{cmd: "AT+CMGL=4", want: []string{"+CMGL: 0,0,,23", pduE1752}}},
		},
		{
			file:  "zte-k3565z-cmgs-urcs.at",
			calls: []call{{cmd: "AT+CMGS=61", pdu: submitIndia, want: []string{"+CMGS: 142"}}},
			urcs: []urcShape{
				{"+ZDONR", []string{`+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"`}},
				{"+ZPASR", []string{`+ZPASR: "UMTS"`}},
				{"+ZDONR", []string{`+ZDONR: "METEOR",272,3,"CS_ONLY","ROAM_OFF"`}},
				{"+ZPASR", []string{`+ZPASR: "UMTS"`}},
				{"+ZDONR", []string{`+ZDONR: "METEOR",272,3,"CS_PS","ROAM_OFF"`}},
				{"+ZPASR", []string{`+ZPASR: "UMTS"`}},
			},
		},
		{
			file: "gsmmodem-cusd-ordering.at",
			calls: []call{
				{cmd: `AT+CUSD=1,"#100#",15`},
				{cmd: `AT+CUSD=1,"*100#",15`},
				{cmd: `AT+CUSD=1,"*101#",15`},
				{cmd: `AT+CUSD=1,"*101#",15`, want: []string{"Yet another random notification!"}},
				{cmd: `AT+CUSD=1,"*101#",15`, wantErr: cmeCode(30)},
				{cmd: `AT+CUSD=1,"*101#",15`, wantErr: cmsCode(500)},
				{cmd: `AT+CUSD=1,"*101#",15`, wantErr: errIs(ErrError)},
			},
			urcs: []urcShape{
				{"+CUSD", []string{cusdMenu, "Exp 01 Jan 2013", "1. Recharge", "2. Balance", "3. My Offer", "4. PlusPacks",
					"5. Tones&Extras", "6. History", "7. CredMe2U", "8. Hlp", "00. Home", `*charges can take 48hrs",15`}},
				{"+CUSD", []string{`+CUSD: 2,"Initiating Release",15`}},
				{"+CUSD", []string{`+CUSD: 0,"Wrong order test message",15`}},
				{"+CUSD", []string{`+CUSD: 0,"Available Balance: R 96.45 .",15`}},
				{"+CUSD", []string{`+CUSD: 2,"Notification before OK",15`}},
			},
		},
		{
			file:  "sonyericsson-cusd-lf.at",
			calls: []call{{cmd: `AT+CUSD=1,"#102#",15`}},
			urcs: []urcShape{{"+CUSD", []string{`+CUSD: 0," Vash balans 968.98 r.`,
				`Dlya vas - nedelya besplatnogo SMS-obsh'eniya s drugom! Podkl.: *320#"`}}},
		},
		{
			file:  "nrf91-cmt-cds.at",
			calls: []call{{cmd: "AT+CNMA=1"}, {cmd: "AT+CNMA=1"}, {cmd: "AT+CNMA=1"}},
			urcs: []urcShape{
				{"+CMT", []string{`+CMT: "+123456789",20`, "079153487489432004099121436587F90000122090028543802F5378799C0EB3416374581E1ED3CBF2B90EB4A1803628D02605DAF0401B1F68F3026D7AA00D10B429BB00"}},
				{"+CMT", []string{`+CMT: "12345678",22`, "004408812143658700041210032143652b1b0b05040b84000000037c01010102030405060708090A0B0C0D0E0F"}},
				{"+CDS", []string{"+CDS: 24", "06550A912143658709122022118314801220221183148000"}},
				{"+CMS ERROR", []string{"+CMS ERROR: 524"}},
			},
		},
		{
			file:  "sim800-boot.at",
			calls: []call{{cmd: "AT+CGACT=1,1"}, {cmd: "AT+CPIN?", want: []string{"+CPIN: READY"}}},
			urcs: []urcShape{
				{"+CPIN", []string{"+CPIN: READY"}}, {"Call Ready", []string{"Call Ready"}}, {"SMS Ready", []string{"SMS Ready"}},
				{"Call Ready", []string{"Call Ready"}}, {"SMS Ready", []string{"SMS Ready"}},
				{"RDY", []string{"RDY"}}, {"+CFUN", []string{"+CFUN: 1"}}, {"+CPIN", []string{"+CPIN: READY"}}, {"SMS Ready", []string{"SMS Ready"}},
			},
		},
		{
			file:  "huawei-urcs.at",
			calls: []call{{cmd: "AT+CSQ", want: []string{"+CSQ: 25,99"}}, {cmd: "AT^CURC=0"}},
			urcs: []urcShape{
				{"^RSSI", []string{"^RSSI:13"}}, {"^BOOT", []string{"^BOOT:48175390,0,0,0,89"}},
				{"^RSSI", []string{"^RSSI:25"}}, {"^BOOT", []string{"^BOOT:48175390,0,0,0,89"}}, {"^MODE", []string{"^MODE:5"}},
			},
		},
		{
			file:  "ring-clip.at",
			calls: []call{{cmd: "AT+CSQ", want: []string{"+CSQ: 17,99"}}},
			urcs: []urcShape{
				{"RING", []string{"RING"}}, {"+CLIP", []string{`+CLIP: "+27821231234",145,,,,0`}},
				{"+CLIP", []string{`+CLIP: "+[my_phone_number]",145,"",0,"",0`}}, {"RING", []string{"RING"}},
				{"NO CARRIER", []string{"NO CARRIER"}},
				{"^CEND", []string{"^CEND:1,5,29,16"}}, {"+WIND", []string{"+WIND: 6,1"}},
			},
		},
		{
			// The send is abandoned at RDY, not after the send timeout,
			// and nothing is typed until Resume.
			file:  "sim800-brownout-cmgs.at",
			watch: true,
			calls: []call{
				{cmd: "AT+CMGS=61", pdu: submitIndia, wantErr: errIs(ErrRebooted)},
				{cmd: "AT", wantErr: errIs(ErrRebooted)},
				{resume: true, cmd: "AT"},
			},
			urcs: []urcShape{
				{"RDY", []string{"RDY"}}, {"+CFUN", []string{"+CFUN: 1"}}, {"+CPIN", []string{"+CPIN: READY"}},
				{"Call Ready", []string{"Call Ready"}}, {"SMS Ready", []string{"SMS Ready"}},
			},
		},
		{
			file: "errors.at",
			calls: []call{
				{cmd: "AT+CMGR=67", wantErr: cmsCode(321)},
				{cmd: "AT+CMGS=137", pdu: "00", wantErr: cmsCode(513)},
				{cmd: `AT+CUSD=1,"*100#",15`, wantErr: cmeCode(100)},
				{cmd: "AT+CSQ", wantErr: cmeCode(15790320)},
				{cmd: "AT^FOO", wantErr: errIs(ErrNotSupported)},
				{cmd: "AT+CPIN?", wantErr: cmeCode(11)},
				{cmd: "AT+CSCA?", wantErr: cmeCode(14)},
				{cmd: "AT+CMGF=1", wantErr: cmsCode(302)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			testtime.NoLeaks(t)
			m, replay, err := attest.NewReplayModem(readTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p := startPort(t, m, Options{SMSTimeout: time.Hour})
			p.WatchReboots(tt.watch)
			for i, c := range tt.calls {
				if c.resume {
					p.Resume()
				}
				var lines []string
				var err error
				if c.pdu != "" {
					lines, err = p.SMSCommand(context.Background(), c.cmd, c.pdu)
				} else {
					lines, err = p.Command(context.Background(), c.cmd)
				}
				if c.wantErr == nil && err != nil {
					t.Fatalf("call %d %q: %v", i, c.cmd, err)
				}
				if c.wantErr != nil && !c.wantErr(err) {
					t.Fatalf("call %d %q: error %v, not the expected one", i, c.cmd, err)
				}
				if diff := cmp.Diff(c.want, lines, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("call %d %q lines (-want +got):\n%s", i, c.cmd, diff)
				}
			}
			if diff := cmp.Diff(tt.urcs, shapes(p.urcsSoFar(t, m)), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("URCs (-want +got):\n%s", diff)
			}
			if mm := replay.Mismatches(); len(mm) > 0 {
				t.Errorf("transcript mismatches: %q", mm)
			}
			if rest := replay.Remaining(); len(rest) > 0 {
				t.Errorf("transcript steps not reached: %q", rest)
			}
		})
	}
}
