package config

import (
	"strings"
	"testing"
	"time"
)

func TestNotifySettings(t *testing.T) {
	c := mustParse(t, "[shop]\nname = \"Sharma Kirana\"\n")
	s := c.Shop
	if strings.Join(s.Notify, ",") != "accepted,ready,dispatched,rejected,cancelled" || s.ReadyIn.Duration != time.Hour || *s.NotifyOperators {
		t.Errorf("defaults: notify %v, ready_in %v, notify_operators %v", s.Notify, s.ReadyIn, *s.NotifyOperators)
	}
	if s.Tells("packed") || s.Tells("delivered") || !s.Tells("dispatched") {
		t.Errorf("Tells is wrong for %v", s.Notify)
	}
	c = mustParse(t, `[shop]
operators = ["+919800000001"]
operator_pin = "1234"
notify = ["Accepted", "delivered"]
ready_in = "30m"
language = "hi-Latn"
`)
	s = c.Shop
	if strings.Join(s.Notify, ",") != "accepted,delivered" || s.ReadyIn.Duration != 30*time.Minute || !*s.NotifyOperators {
		t.Errorf("set: notify %v, ready_in %v, notify_operators %v", s.Notify, s.ReadyIn, *s.NotifyOperators)
	}
	for src, field := range map[string]string{
		"[shop]\nnotify = [\"packd\"]\n":    "shop.notify",
		"[shop]\nready_in = \"1m\"\n":       "shop.ready_in",
		"[shop]\nnotify_operators = true\n": "shop.notify_operators",
		"[shop]\nlanguage = \"fr\"\n":       "shop.language",
	} {
		if _, err := Parse("tokri.toml", []byte(src)); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%q: error %v, want one naming %s", src, err, field)
		}
	}
}
