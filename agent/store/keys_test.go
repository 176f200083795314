package store

import (
	"testing"

	"github.com/tokrihq/tokri/phone"
)

// Numbers the store counts as one subscriber share their MR-index key, so
// a report to a national form finds a message sent to the E.164 form.
func TestSameNumberSameIndexKey(t *testing.T) {
	forms := []string{"+919790197346", "919790197346", "09790197346", "9790197346", "+91 97901 97346"}
	for _, a := range forms {
		for _, b := range forms {
			if !phone.India.Same(a, b) {
				t.Errorf("%q and %q are not one number", a, b)
			}
			if numberSuffix(a) != numberSuffix(b) {
				t.Errorf("%q and %q index apart: %q %q", a, b, numberSuffix(a), numberSuffix(b))
			}
		}
	}
}

// The enums' names are what logs and the admin API show; a value with no
// name still says what it is.
func TestEnumNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Reply.String(), "reply"}, {Operator.String(), "operator"}, {Priority(9).String(), "priority(9)"},
		{OutcomeInbound.String(), "inbound"}, {OutcomeUndecodable.String(), "undecodable"}, {Outcome(0).String(), "outcome(0)"},
		{DeliveryUnknown.String(), "unknown"}, {DeliveryFailed.String(), "failed"}, {Delivery(-1).String(), "delivery(-1)"},
	} {
		if tc.got != tc.want {
			t.Errorf("name %q, want %q", tc.got, tc.want)
		}
	}
}
