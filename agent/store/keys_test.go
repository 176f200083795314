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
