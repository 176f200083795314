package text

import (
	"strings"
	"testing"

	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
)

// The Hinglish welcome, with eight categories in Hinglish, is one GSM-7
// segment, as the English one is.
func TestHinglishWelcomeOneSegment(t *testing.T) {
	var cats []string
	for _, c := range kiranaCategories {
		cats = append(cats, Category(protocol.Hinglish, c, ""))
	}
	p := render.Pages(Welcome(protocol.Hinglish, "Sharma Kirana", cats), protocol.Hinglish, 1)
	if len(p) != 1 || p[0].Segments != 1 || p[0].Encoding != "gsm7" || p[0].Count != len(cats) {
		t.Fatalf("Hinglish welcome: %d pages, first %d %s: %q", len(p), p[0].Segments, p[0].Encoding, p[0].Text)
	}
	if !strings.Contains(p[0].Text, "Sharma Kirana me swagat hai") || !strings.Contains(p[0].Text, "3.Tel-Ghee") {
		t.Errorf("welcome = %q", p[0].Text)
	}
}

// What a shopper reads most, with everyday arguments: pinned segment
// counts, so Hindi replies stay one UCS-2 segment where they can.
func TestEverydaySegments(t *testing.T) {
	for _, tc := range []struct {
		lang protocol.Lang
		k    Key
		args []any
		segs int
	}{
		{protocol.Hindi, Added, []any{"2x आशीर्वाद आटा 5kg", 1, "Rs570"}, 1},
		{protocol.Hindi, Confirm, []any{2, "Rs598", "घर डिलीवरी", "नकद"}, 1},
		{protocol.Hindi, Placed, []any{"K7M3P", "Rs598", "K7M3P"}, 1},
		{protocol.Hindi, Accepted, []any{"Sharma Kirana", "K7M3P", "Rs598", "शाम 6:30 बजे"}, 1},
		{protocol.Hindi, Accepted, []any{"Sharma Kirana", "K7M3P", "Rs598", "दोपहर 12:30 बजे"}, 1},
		{protocol.Hindi, AcceptedPickup, []any{"Sharma Kirana", "K7M3P", "Rs598", "दोपहर 12:30 बजे"}, 1},
		{protocol.Hindi, OutForDelivery, []any{"K7M3P", "Rs598"}, 1},
		{protocol.Hindi, AskAddressPickup, nil, 1},
		{protocol.Hindi, NotUnderstood, nil, 1},
		{protocol.Hindi, Closed, []any{"Sharma Kirana", "सुबह 8 बजे"}, 1},
		{protocol.Hinglish, AddedAsk, []any{"2x Aashirvaad Atta 5kg, 1x Tata Salt 1kg", 2, "Rs598"}, 1},
		{protocol.Hinglish, Accepted, []any{"Sharma Kirana", "K7M3P", "Rs598", "shaam 6:30 baje"}, 1},
	} {
		r := Reply(tc.lang, tc.k, tc.args...)
		if r.Segments != tc.segs || r.Truncated {
			t.Errorf("%s key %d costs %d segments (want %d): %q", tc.lang, tc.k, r.Segments, tc.segs, r.Text)
		}
		if tc.lang == protocol.Hinglish && r.Encoding != "gsm7" {
			t.Errorf("Hinglish key %d is %s", tc.k, r.Encoding)
		}
	}
}

// A choice asks for the number, so no reply puts a gendered "which"
// before an item of either gender ("कौन सा चीनी" is wrong Hindi).
func TestChoiceNeedsNoGender(t *testing.T) {
	for _, lang := range []protocol.Lang{protocol.Hindi, protocol.Hinglish} {
		got := Format(lang, ChooseHead, "चीनी")
		for _, bad := range []string{"कौन सा चीनी", "कौन सी", "kaun sa चीनी", "kaun si"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s ChooseHead = %q", lang, got)
			}
		}
	}
	if got := Format(protocol.Hindi, ChooseHead, "चीनी"); got != "चीनी: कौन सा नंबर?" {
		t.Errorf("Hindi ChooseHead = %q", got)
	}
}

func TestClock(t *testing.T) {
	for _, tc := range []struct {
		lang     protocol.Lang
		h, m     int
		want     string
		wantSegs int
	}{
		{protocol.English, 8, 0, "8 am", 1},
		{protocol.English, 22, 30, "10:30 pm", 1},
		{protocol.English, 0, 0, "12 am", 1},
		{protocol.English, 12, 15, "12:15 pm", 1},
		{protocol.Hindi, 8, 0, "सुबह 8 बजे", 1},
		{protocol.Hindi, 13, 30, "दोपहर 1:30 बजे", 1},
		{protocol.Hindi, 18, 0, "शाम 6 बजे", 1},
		{protocol.Hindi, 21, 0, "रात 9 बजे", 1},
		{protocol.Hinglish, 18, 45, "shaam 6:45 baje", 1},
	} {
		got := Clock(tc.lang, tc.h, tc.m)
		if got != tc.want || len([]rune(got)) > MaxLen[Time] {
			t.Errorf("Clock(%s, %d, %d) = %q, want %q (at most %d characters)", tc.lang, tc.h, tc.m, got, tc.want, MaxLen[Time])
		}
		if n, _ := pdu.Count(got); n != tc.wantSegs {
			t.Errorf("%q costs %d", got, n)
		}
	}
}

func TestCategory(t *testing.T) {
	for _, tc := range []struct {
		lang           protocol.Lang
		name, hi, want string
	}{
		{protocol.English, "Staples", "राशन", "Staples"},
		{protocol.Hindi, "Staples", "राशन", "राशन"},       // the catalog's own name wins
		{protocol.Hindi, "Oil & Ghee", "", "तेल-घी"},      // a usual category
		{protocol.Hinglish, "Oil & Ghee", "", "Tel-Ghee"}, // in Latin letters
		{protocol.Hinglish, "Staples", "राशन", "Atta-Chawal"},
		{protocol.Hindi, "Toys", "", "Toys"}, // unknown: as given
	} {
		if got := Category(tc.lang, tc.name, tc.hi); got != tc.want {
			t.Errorf("Category(%s, %q, %q) = %q, want %q", tc.lang, tc.name, tc.hi, got, tc.want)
		}
	}
}
