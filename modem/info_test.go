package modem

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInfo(t *testing.T) {
	r := newRig(t, func(s *sim) {
		s.mems["SM"][0] = simMsg{1, pduE1752}
		s.override["AT+CGSN"] = ok(`+CGSN: "866234032345678"`)
		s.override["AT+CGMI"] = ok("+CGMI: SIMCOM_Ltd")
	}, Options{})
	r.init()
	info, err := r.m.Info(context.Background())
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	want := Info{
		Manufacturer: "SIMCOM_Ltd", Model: "SIM800 R14.18", Revision: "Revision:1418B04SIM800L24", IMEI: "866234032345678",
		Signal: Signal{CSQ: 20, DBm: -73, Bars: 4}, Registration: RegHome, Operator: "Vodafone IN",
		Storage: Storage{Mem: "SM", Used: 1, Total: 30},
	}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("Info (-want +got):\n%s", diff)
	}
}

func TestInfoPartial(t *testing.T) {
	r := newRig(t, func(s *sim) { s.override["AT+CGMR"] = "\r\nCOMMAND NOT SUPPORT\r\n" }, Options{})
	r.init()
	info, err := r.m.Info(context.Background())
	if err == nil {
		t.Fatal("Info hid the failed AT+CGMR")
	}
	if info.Model == "" || info.IMEI == "" || info.Revision != "" {
		t.Errorf("partial info %+v", info)
	}
}

func TestSignalFromCSQ(t *testing.T) {
	tests := []struct {
		rssi int
		want Signal
	}{
		{0, Signal{CSQ: 0, DBm: -113, Bars: 0}},
		{1, Signal{CSQ: 1, DBm: -111, Bars: 0}},
		{2, Signal{CSQ: 2, DBm: -109, Bars: 1}},
		{9, Signal{CSQ: 9, DBm: -95, Bars: 1}},
		{10, Signal{CSQ: 10, DBm: -93, Bars: 2}},
		{15, Signal{CSQ: 15, DBm: -83, Bars: 3}},
		{20, Signal{CSQ: 20, DBm: -73, Bars: 4}},
		{31, Signal{CSQ: 31, DBm: -51, Bars: 4}},
		{99, Signal{CSQ: 99}},
		{-3, Signal{CSQ: 99}},
	}
	for _, tt := range tests {
		if got := SignalFromCSQ(tt.rssi); got != tt.want {
			t.Errorf("SignalFromCSQ(%d) = %+v, want %+v", tt.rssi, got, tt.want)
		}
	}
}

func TestMaskIMEI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"866234032345678", "***********5678"},
		{"123", "***"},
	}
	for _, tt := range tests {
		if got := MaskIMEI(tt.in); got != tt.want {
			t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
