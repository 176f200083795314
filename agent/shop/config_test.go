package shop

import (
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/internal/testkit"
)

// The [shop] settings: defaults, and every bad value named by its field
// and line.
func TestShopConfig(t *testing.T) {
	c := config.Default().Shop
	if c.Name != config.DefaultShopName || c.MinOrder.Paise != config.DefaultMinOrder || !*c.Pickup ||
		c.Payments[0] != "cod" || c.SessionExpiry.Duration != config.DefaultSessionExpiry || c.Language != "en" {
		t.Errorf("defaults = %+v", c)
	}
	src := strings.NewReplacer("min_order = 100", "min_order = 99.5", "delivery_fee = 20", `delivery_fee = 15.25`).Replace(testkit.ShopTOML)
	cfg, err := config.Parse("tokri.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	good := cfg.Shop
	if good.MinOrder.Paise != 9950 || good.DeliveryFee.Paise != 1525 || good.UPIVPA != "sharmakirana@okaxis" {
		t.Errorf("parsed = %+v", good)
	}
	tests := []struct{ set, want string }{
		{`name = "A very long shop name that never fits"`, "shop.name:"},
		{`opens = "8am"`, "shop.opens:"},
		{`closes = "25:00"`, "shop.closes:"},
		{`min_order = "lots"`, "shop.min_order:"},
		{`delivery_fee = -5`, "shop.delivery_fee:"},
		{`free_delivery_from = 1.234`, "shop.free_delivery_from:"},
		{`payments = ["card"]`, "shop.payments:"},
		{`upi_vpa = "not a vpa"`, "shop.upi_vpa:"},
		{`operators = ["12ab"]`, "shop.operators:"},
		{`operator_pin = "12"`, "shop.operator_pin:"},
		{`language = "fr"`, "shop.language:"},
		{`session_expiry = "5s"`, "shop.session_expiry:"},
		{`cart_expiry = "1000h"`, "shop.cart_expiry:"},
		{`messages_per_hour = -1`, "shop.messages_per_hour:"},
		{`replies_per_day = 5000`, "shop.replies_per_day:"},
	}
	for _, tc := range tests {
		src := strings.Replace(testkit.ShopTOML, "[shop]\n", "[shop]\n"+tc.set+"\n", 1)
		// A key given twice is a TOML error of its own: drop the default line.
		key := strings.Fields(tc.set)[0]
		var keep []string
		for i, l := range strings.Split(src, "\n") {
			if i > 2 && strings.HasPrefix(l, key+" ") {
				continue
			}
			keep = append(keep, l)
		}
		_, err := config.Parse("tokri.toml", []byte(strings.Join(keep, "\n")))
		if err == nil || !strings.Contains(err.Error(), "tokri.toml:3: "+tc.want) {
			t.Errorf("%s: error %v, want %q at line 3", tc.set, err, tc.want)
		}
	}
	noVPA := strings.Replace(testkit.ShopTOML, "upi_vpa = \"sharmakirana@okaxis\"\n", "", 1)
	if _, err := config.Parse("tokri.toml", []byte(noVPA)); err == nil || !strings.Contains(err.Error(), "shop.upi_vpa") {
		t.Errorf("UPI without a VPA: %v", err)
	}
}
