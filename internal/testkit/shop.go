package testkit

import (
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/config"
)

// The shop agent/shop's golden conversations were written for; the
// conversation tests replay the same files over a modem, so both take it
// from here.

// ShopTOML is the shop: both payments, an operator.
const ShopTOML = `
[shop]
name = "Sharma Kirana"
opens = "08:00"
closes = "21:00"
min_order = 100
delivery_fee = 20
free_delivery_from = 500
payments = ["cod", "upi"]
upi_vpa = "sharmakirana@okaxis"
operators = ["+919800000009"]
operator_pin = "4321"
`

// Numbers in the golden conversations.
const (
	Shopper  = "+919811110001" // sends the lines before a conversation's first "from"
	Operator = "+919800000009" // the operator in ShopTOML
	OwnSIM   = "+919800000000" // the SIM's own number, which the shop never answers
)

// ShopStart is 10:00 in the shop (India), a Monday.
var ShopStart = time.Date(2026, 3, 2, 4, 30, 0, 0, time.UTC)

// ShopConfig is ShopTOML with extra lines added to [shop], as a golden
// conversation's "set" lines do.
func ShopConfig(t testing.TB, extra string) config.Shop {
	t.Helper()
	c, err := config.Parse("test.toml", []byte(ShopTOML+extra))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return c.Shop
}
