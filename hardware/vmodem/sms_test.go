package vmodem

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/warthog618/sms"
	"github.com/warthog618/sms/encoding/pdumode"
	"github.com/warthog618/sms/encoding/tpdu"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// newClock is a settable test clock reading s (RFC 3339).
func newClock(s string) *testtime.Clock {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return testtime.NewClock(t)
}

// decodePDU decodes an MT PDU as the modem prints it.
func decodePDU(t *testing.T, h string) *tpdu.TPDU {
	t.Helper()
	p, err := pdumode.UnmarshalHexString(h)
	if err != nil {
		t.Fatalf("pdu %s: %v", h, err)
	}
	d, err := sms.Unmarshal(p.TPDU)
	if err != nil {
		t.Fatalf("pdu %s: %v", h, err)
	}
	return d
}

// submitPDUs builds what an agent writes after AT+CMGS: hex with an empty
// SMSC field and the TPDU length for each part.
func submitPDUs(t *testing.T, to, text string, srr bool, opts ...sms.EncoderOption) ([]string, []int) {
	t.Helper()
	pdus, err := sms.Encode([]byte(text), append([]sms.EncoderOption{sms.To(to)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	var hs []string
	var ls []int
	for _, p := range pdus {
		if srr {
			p.FirstOctet |= tpdu.FoSRR
		}
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, "00"+strings.ToUpper(hex.EncodeToString(b)))
		ls = append(ls, len(b))
	}
	return hs, ls
}

// send runs AT+CMGS for one part and returns the MR.
func send(t *testing.T, s *stream, h string, n int) int {
	t.Helper()
	if got := s.cmd(fmt.Sprintf("AT+CMGS=%d", n)); got != "\r\n> " {
		t.Fatalf("AT+CMGS=%d: %q", n, got)
	}
	s.write(h + "\x1a")
	got := s.response()
	var mr int
	if _, err := fmt.Sscanf(got, "\r\n+CMGS: %d\r\n\r\nOK\r\n", &mr); err != nil {
		t.Fatalf("submit answer %q: %v", got, err)
	}
	return mr
}

var cmgrRe = regexp.MustCompile(`^\r\n\+CMGR: (\d),("?"?),(\d+)\r\n([0-9A-F]+)\r\n\r\nOK\r\n$`)

// read runs AT+CMGR and returns stat and PDU, checking the header's shape.
func read(t *testing.T, s *stream, idx int) (int, string) {
	t.Helper()
	got := s.cmd(fmt.Sprintf("AT+CMGR=%d", idx))
	m := cmgrRe.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("AT+CMGR=%d: %q", idx, got)
	}
	if n := rawLength(m[4]); fmt.Sprint(n) != m[3] {
		t.Errorf("<length> %s but TPDU has %d octets", m[3], n)
	}
	return int(m[1][0] - '0'), m[4]
}

func TestReceiveReadListDelete(t *testing.T) {
	clk := newClock("2025-01-09T12:08:30Z")
	r := newRig(t, Config{Now: clk.Now})
	s := r.ready()
	d, err := r.c.DeliverSMS(r.ctx, SMS{From: "+919812345678", Text: "2 kg atta, 1 L oil"})
	if err != nil {
		t.Fatal(err)
	}
	s.expectExact("\r\n+CMTI: \"SM\",1\r\n")
	stat, pdu := read(t, s, 1)
	if stat != statRecUnread || pdu != d.PDUs[0] {
		t.Fatalf("stat %d pdu %s, want 0 %s", stat, pdu, d.PDUs[0])
	}
	m := decodePDU(t, pdu)
	text, _ := sms.Decode([]*tpdu.TPDU{m})
	if m.OA.Number() != "+919812345678" || string(text) != "2 kg atta, 1 L oil" {
		t.Errorf("from %s text %q", m.OA.Number(), text)
	}
	if _, off := m.SCTS.Zone(); off != 19800 || m.SCTS.Format("15:04:05") != "17:38:30" {
		t.Errorf("scts %v", m.SCTS)
	}
	// Reading marked it read.
	if stat, _ := read(t, s, 1); stat != statRecRead {
		t.Errorf("second read stat %d", stat)
	}
	// Same sender, same second: the SMSC time stamp still moves on.
	d2, _ := r.c.DeliverSMS(r.ctx, SMS{From: "+919812345678", Text: "cancel"})
	s.expectExact("\r\n+CMTI: \"SM\",2\r\n")
	if m2 := decodePDU(t, d2.PDUs[0]); !m2.SCTS.After(m.SCTS.Time) {
		t.Errorf("scts not increasing: %v then %v", m.SCTS, m2.SCTS)
	}
	want := "\r\n+CMGL: 2,0,\"\"," + fmt.Sprint(rawLength(d2.PDUs[0])) + "\r\n" + d2.PDUs[0] + "\r\n\r\nOK\r\n"
	if got := s.cmd("AT+CMGL=0"); got != want {
		t.Errorf("AT+CMGL=0:\n got  %q\n want %q", got, want)
	}
	got := s.cmd("AT+CMGL=4")
	if strings.Index(got, "+CMGL: 1,1,") > strings.Index(got, "+CMGL: 2,1,") || strings.Count(got, "+CMGL:") != 2 {
		t.Errorf("AT+CMGL=4 not in index order or wrong stats: %q", got)
	}
	if got := s.cmd("AT+CMGD=1"); got != "\r\nOK\r\n" {
		t.Fatalf("delete: %q", got)
	}
	if got := s.cmd("AT+CMGR=1"); got != "\r\nOK\r\n" {
		t.Errorf("deleted slot: %q", got)
	}
	if st := r.state(); st.Storage.Used != 1 || st.Storage.Indices[0] != 2 {
		t.Errorf("state storage %+v", st.Storage)
	}
	if got := s.cmd("AT+CMGD=1,4"); got != "\r\nOK\r\n" || r.state().Storage.Used != 0 {
		t.Errorf("delete all: %q", got)
	}
}

func TestDeleteFlags(t *testing.T) {
	r := newRig(t, Config{Profile: "generic"})
	s := r.ready()
	for i := 0; i < 3; i++ {
		if err := r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: fmt.Sprint("m", i)}); err != nil {
			t.Fatal(err)
		}
		s.line("+CMTI")
	}
	read(t, s, 2) // one read message
	tests := []struct {
		cmd  string
		left []int
	}{
		{"AT+CMGD=1,1", []int{1, 3}},
		{"AT+CMGD=1,3", []int{1, 3}},
		{"AT+CMGD=3,0", []int{1}},
		{"AT+CMGD=1,4", []int{}},
	}
	for _, tt := range tests {
		if got := s.cmd(tt.cmd); got != "\r\nOK\r\n" {
			t.Fatalf("%s: %q", tt.cmd, got)
		}
		if got := r.state().Storage.Indices; fmt.Sprint(got) != fmt.Sprint(tt.left) {
			t.Errorf("%s: left %v, want %v", tt.cmd, got, tt.left)
		}
	}
}

// TestStorageFullThenFreed: the network holds what does not fit and delivers
// it as slots free up, as real networks retry after memory-available.
func TestStorageFullThenFreed(t *testing.T) {
	r := newRig(t, Config{Slots: 3})
	s := r.ready()
	for i := 1; i <= 5; i++ {
		if err := r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: fmt.Sprint("order ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		s.expectExact(fmt.Sprintf("\r\n+CMTI: \"SM\",%d\r\n", i))
	}
	st := r.state()
	if st.Storage.Used != 3 || st.Waiting != 2 {
		t.Fatalf("used %d waiting %d", st.Storage.Used, st.Waiting)
	}
	if got := s.cmd("AT+CPMS?"); got != "\r\n+CPMS: \"SM\",3,3,\"SM\",3,3,\"SM\",3,3\r\n\r\nOK\r\n" {
		t.Errorf("cpms: %q", got)
	}
	// Free slot 2: the fourth message lands there.
	if got := s.cmd("AT+CMGD=2"); got != "\r\nOK\r\n" {
		t.Fatal(got)
	}
	s.expectExact("\r\n+CMTI: \"SM\",2\r\n")
	_, pdu := read(t, s, 2)
	text, _ := sms.Decode([]*tpdu.TPDU{decodePDU(t, pdu)})
	if string(text) != "order 4" {
		t.Errorf("slot 2 holds %q", text)
	}
	s.cmd("AT+CMGD=1,4")
	s.expectExact("\r\n+CMTI: \"SM\",1\r\n")
	if st := r.state(); st.Waiting != 0 || st.Storage.Used != 1 {
		t.Errorf("after freeing: %+v", st)
	}
}

// TestLongMessageOutOfOrder: three parts with a 16-bit reference delivered
// 2,1,3 each land in their own slot and reassemble with the library.
func TestLongMessageOutOfOrder(t *testing.T) {
	r := newRig(t, Config{Profile: "huawei-e1752"})
	s := r.ready()
	s.cmd("AT^CURC=0")
	s.cmd("AT+CNMI=2,1,0,0,0")
	text := strings.Repeat("Aloo 40/kg, pyaaz 35/kg, tamatar 30/kg. ", 9)
	d, err := r.c.DeliverSMS(r.ctx, SMS{From: "+919812345678", Text: text, RefBits: 16, Order: []int{2, 1, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Parts != 3 || d.Encoding != encGSM7 {
		t.Fatalf("delivery %+v", d)
	}
	var segs []*tpdu.TPDU
	for i := 0; i < 3; i++ {
		s.expectExact(fmt.Sprintf("\r\n+CMTI: \"SM\",%d\r\n", i)) // Huawei counts from 0
	}
	for i := 0; i < 3; i++ {
		_, pdu := read(t, s, i)
		segs = append(segs, decodePDU(t, pdu))
	}
	var order []int
	for _, sg := range segs {
		n, seq, ref, ok := sg.ConcatInfo()
		_, _, _, ok16 := sg.UDH.ConcatInfo16()
		if !ok || !ok16 || n != 3 || ref != d.Ref {
			t.Fatalf("concat info n=%d ref=%d ok=%v ok16=%v", n, ref, ok, ok16)
		}
		order = append(order, seq)
	}
	if fmt.Sprint(order) != "[2 1 3]" {
		t.Errorf("arrival order %v", order)
	}
	sort.Slice(segs, func(i, j int) bool {
		_, a, _, _ := segs[i].ConcatInfo()
		_, b, _, _ := segs[j].ConcatInfo()
		return a < b
	})
	got, err := sms.Decode(segs)
	if err != nil || string(got) != text {
		t.Fatalf("reassembled %q, %v", got, err)
	}
}

func TestHindiUCS2(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	text := "नमस्ते, 2 किलो आटा भेज दीजिए"
	d, err := r.c.DeliverSMS(r.ctx, SMS{From: "+919812345678", Text: text})
	if err != nil || d.Encoding != encUCS2 {
		t.Fatalf("%+v %v", d, err)
	}
	s.expect("+CMTI: \"SM\",1\r\n")
	_, pdu := read(t, s, 1)
	m := decodePDU(t, pdu)
	got, _ := sms.Decode([]*tpdu.TPDU{m})
	if m.DCS != 0x08 || string(got) != text {
		t.Errorf("dcs %02X text %q", m.DCS, got)
	}
	// Forced UCS-2 for plain ASCII.
	d, _ = r.c.DeliverSMS(r.ctx, SMS{From: "+919812345678", Text: "hi", Encoding: "ucs2"})
	s.expect("+CMTI: \"SM\",2\r\n")
	if m := decodePDU(t, d.PDUs[0]); m.DCS != 0x08 {
		t.Errorf("forced ucs2 dcs %02X", m.DCS)
	}
}

func TestRawPDUStoredVerbatim(t *testing.T) {
	r := newRig(t, Config{Profile: "generic"})
	s := r.ready()
	// pdus.tsv has invalid rows; any bytes the network hands over are kept as they are.
	const bad = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"
	if err := r.c.SendSMS(r.ctx, SMS{From: "+4", PDU: bad}); err != nil {
		t.Fatal(err)
	}
	s.expect("+CMTI: \"SM\",1\r\n")
	want := "\r\n+CMGR: 0,,30\r\n" + bad + "\r\n\r\nOK\r\n"
	if got := s.cmd("AT+CMGR=1"); got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

// TestSendRoundTrip: +CMGS with the prompt, MR per part, and the sent log
// grouping parts once all arrived.
func TestSendRoundTrip(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	if err := r.c.SetSIM(r.ctx, SIM{LastMR: intp(254)}); err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("आपका ऑर्डर #1042 तैयार है। ", 4) // UCS-2, 2 parts
	hs, ls := submitPDUs(t, "+919812345678", text, false)
	if len(hs) != 2 {
		t.Fatalf("%d parts", len(hs))
	}
	var mrs []int
	for i := range hs {
		mrs = append(mrs, send(t, s, hs[i], ls[i]))
		if i == 0 {
			if sent, _ := r.c.Sent(r.ctx); len(sent) != 0 {
				t.Fatalf("half a message in the sent log: %+v", sent)
			}
		}
	}
	if fmt.Sprint(mrs) != "[255 0]" {
		t.Errorf("MRs %v, want wrap 255 -> 0", mrs)
	}
	hs2, ls2 := submitPDUs(t, "+919800000001", "Order #1043 packed", false)
	send(t, s, strings.ToLower(hs2[0]), ls2[0])
	sent, err := r.c.WaitSent(r.ctx, 0, 2, wait)
	if err != nil {
		t.Fatal(err)
	}
	e := sent[0]
	if e.To != "+919812345678" || e.Text != text || e.Segments != 2 || e.Encoding != encUCS2 ||
		fmt.Sprint(e.PDUs) != fmt.Sprint(hs) || fmt.Sprint(e.MRs) != "[255 0]" || e.StatusReport {
		t.Errorf("first entry %+v", e)
	}
	if e := sent[1]; e.Text != "Order #1043 packed" || e.Encoding != encGSM7 || e.PDUs[0] != strings.ToLower(hs2[0]) || e.Ref != -1 {
		t.Errorf("second entry %+v", e)
	}
	if later, _ := r.c.SentSince(r.ctx, sent[0].Seq); len(later) != 1 {
		t.Errorf("since: %+v", later)
	}
	if err := r.c.ClearSent(r.ctx); err != nil {
		t.Fatal(err)
	}
	if left, _ := r.c.Sent(r.ctx); len(left) != 0 {
		t.Errorf("after clear: %+v", left)
	}
}

func TestSendErrors(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	hs, ls := submitPDUs(t, "+919812345678", "hello", false)
	tests := []struct {
		name, cmd, body, want string
	}{
		{"length includes smsc", fmt.Sprintf("AT+CMGS=%d", ls[0]+1), hs[0] + "\x1a", "\r\n+CMS ERROR: 304\r\n"},
		{"garbage pdu", fmt.Sprintf("AT+CMGS=%d", ls[0]), "ZZ\x1a", "\r\n+CMS ERROR: 304\r\n"},
		{"esc cancels", fmt.Sprintf("AT+CMGS=%d", ls[0]), hs[0][:6] + "\x1b", "\r\nOK\r\n"},
		{"length out of range", "AT+CMGS=3", "", "\r\n+CMS ERROR: 304\r\n"},
	}
	for _, tt := range tests {
		got := s.cmd(tt.cmd)
		if tt.body != "" {
			if got != "\r\n> " {
				t.Fatalf("%s: prompt %q", tt.name, got)
			}
			s.write(tt.body)
			got = s.response()
		}
		if got != tt.want {
			t.Errorf("%s: %q want %q", tt.name, got, tt.want)
		}
	}
	if sent, _ := r.c.Sent(r.ctx); len(sent) != 0 {
		t.Errorf("rejected submits were recorded: %+v", sent)
	}
	if got := s.cmd("AT"); got != "\r\nOK\r\n" {
		t.Errorf("after errors: %q", got)
	}
}

func TestTextMode(t *testing.T) {
	clk := newClock("2025-01-09T12:08:30Z")
	r := newRig(t, Config{Now: clk.Now})
	s := r.ready()
	s.cmd("AT+CMGF=1")
	r.c.SendSMS(r.ctx, SMS{From: "+919812345678", Text: "list"})
	s.line("+CMTI")
	want := "\r\n+CMGL: 1,\"REC UNREAD\",\"+919812345678\",\"\",\"25/01/09,17:38:30+22\"\r\nlist\r\n\r\nOK\r\n"
	if got := s.cmd(`AT+CMGL="ALL"`); got != want {
		t.Errorf("text list %q", got)
	}
	if got := s.cmd(`AT+CMGS="+919812345678"`); got != "\r\n> " {
		t.Fatalf("prompt %q", got)
	}
	s.write("ok, 40 rs\x1a")
	if got := s.response(); !strings.HasPrefix(got, "\r\n+CMGS: ") {
		t.Fatalf("text send %q", got)
	}
	if sent, err := r.c.WaitSent(r.ctx, 0, 1, wait); err != nil || sent[0].Text != "ok, 40 rs" {
		t.Errorf("sent %+v %v", sent, err)
	}
}

// TestStoreUnsent: +CMGW keeps a submit in storage; full storage says 322.
func TestStoreUnsent(t *testing.T) {
	r := newRig(t, Config{Slots: 1})
	s := r.ready()
	hs, ls := submitPDUs(t, "+919812345678", "draft", false)
	s.cmd(fmt.Sprintf("AT+CMGW=%d", ls[0]))
	s.write(hs[0] + "\x1a")
	if got := s.response(); got != "\r\n+CMGW: 1\r\n\r\nOK\r\n" {
		t.Fatalf("cmgw %q", got)
	}
	if got := s.cmd("AT+CMGL=2"); !strings.HasPrefix(got, "\r\n+CMGL: 1,2,\"\",") {
		t.Errorf("listing STO UNSENT: %q", got)
	}
	s.cmd(fmt.Sprintf("AT+CMGW=%d", ls[0]))
	s.write(hs[0] + "\x1a")
	if got := s.response(); got != "\r\n+CMS ERROR: 322\r\n" {
		t.Errorf("full: %q", got)
	}
}
