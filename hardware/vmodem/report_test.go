package vmodem

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/warthog618/sms/encoding/tpdu"
)

var cdsRe = regexp.MustCompile(`^\r\n\+CDS: (\d+)\r\n([0-9A-F]+)\r\n$`)

func TestStatusReportInline(t *testing.T) {
	clk := newClock("2025-01-09T12:08:48Z")
	r := newRig(t, Config{Now: clk.Now})
	s := r.ready()
	s.cmd("AT+CNMI=2,1,0,1,0")
	if err := r.c.SetSIM(r.ctx, SIM{LastMR: intp(63)}); err != nil {
		t.Fatal(err)
	}
	hs, ls := submitPDUs(t, "+919790197346", "Hi", true)
	if mr := send(t, s, hs[0], ls[0]); mr != 64 {
		t.Fatalf("mr %d", mr)
	}
	got := s.until("+CDS", func(b []byte) int {
		if m := cdsRe.FindIndex(b); m != nil {
			return m[1]
		}
		return -1
	})
	m := cdsRe.FindStringSubmatch(got)
	if m[1] != "25" {
		t.Errorf("+CDS length %s", m[1])
	}
	rep := decodePDU(t, m[2])
	if rep.SmsType() != tpdu.SmsStatusReport || rep.MR != 64 || rep.RA.Number() != "+919790197346" || rep.ST != 0 {
		t.Errorf("report type %v mr %d ra %s st %d", rep.SmsType(), rep.MR, rep.RA.Number(), rep.ST)
	}
	if sent, _ := r.c.Sent(r.ctx); len(sent) != 1 || !sent[0].StatusReport {
		t.Errorf("sent %+v", sent)
	}
}

func TestStatusReportStoredAndFailed(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	s.cmd("AT+CNMI=2,1,0,2,0")
	if err := r.c.SetFaults(r.ctx, Faults{ReportStatus: intp(0x41)}); err != nil {
		t.Fatal(err)
	}
	hs, ls := submitPDUs(t, "+919812345678", "Your order is on its way", true)
	mr := send(t, s, hs[0], ls[0])
	s.expectExact("\r\n+CDSI: \"SM\",1\r\n")
	_, pdu := read(t, s, 1)
	rep := decodePDU(t, pdu)
	if int(rep.MR) != mr || rep.ST != 0x41 {
		t.Errorf("stored report mr %d st %02X, want %d 41", rep.MR, rep.ST, mr)
	}
	// <ds>=0: the report is not routed to the TE at all.
	s.cmd("AT+CNMI=2,1,0,0,0")
	send(t, s, hs[0], ls[0])
	if got := s.cmd("AT"); got != "\r\nOK\r\n" {
		t.Errorf("no report expected: %q", got)
	}
	if st := r.state(); st.ReportsDropped != 1 {
		t.Errorf("reports dropped %d", st.ReportsDropped)
	}
}

// TestCMTDirectWithAck: +CNMI mt=2 shows the PDU directly; with +CSMS=1 the
// next one waits for +CNMA (3GPP TS 27.005 3.4.4; nrf91_cmt-cds-cnma.txt).
func TestCMTDirectWithAck(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	s.cmd("AT+CSMS=1")
	s.cmd("AT+CNMI=2,2,0,0,0")
	var ds []Delivery
	for i := 0; i < 2; i++ {
		d, err := r.c.DeliverSMS(r.ctx, SMS{From: "+919812345678", Text: fmt.Sprint("msg ", i)})
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	s.expectExact(fmt.Sprintf("\r\n+CMT: \"\",%d\r\n%s\r\n", rawLength(ds[0].PDUs[0]), ds[0].PDUs[0]))
	if st := r.state(); !st.AwaitingAck || st.Waiting != 1 || st.Storage.Used != 0 {
		t.Fatalf("state %+v", st)
	}
	if got := s.cmd("AT+CNMA"); got != "\r\nOK\r\n" {
		t.Fatalf("cnma %q", got)
	}
	s.expectExact(fmt.Sprintf("\r\n+CMT: \"\",%d\r\n%s\r\n", rawLength(ds[1].PDUs[0]), ds[1].PDUs[0]))
	s.cmd("AT+CNMA")
	if got := s.cmd("AT+CNMA"); got != "\r\n+CMS ERROR: 340\r\n" {
		t.Errorf("nothing to acknowledge: %q", got)
	}
	// A reboot with a +CMT unacknowledged: the network retries into storage.
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "again"})
	s.line("+CMT:")
	s.line("0791")
	if err := r.c.Reboot(r.ctx); err != nil {
		t.Fatal(err)
	}
	s.expect("SMS Ready\r\n")
	s.expectExact("\r\n+CMTI: \"SM\",1\r\n")
}
