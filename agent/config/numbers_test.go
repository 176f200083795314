package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// Operators and the SIM's own number may be written however a store owner
// writes a phone number; the shop reads them all as E.164.
func TestNumbersInAnyForm(t *testing.T) {
	src := `
[agent]
own_number = "09812345678"

[shop]
operators = ["9800000001", "09800000002", "+91 98000 00003", "919800000004"]
operator_pin = "1234"
`
	c := mustParse(t, src)
	if c.Agent.CountryCode != "91" || c.Country() != "91" {
		t.Errorf("country = %q, %q; want the default 91", c.Agent.CountryCode, c.Country())
	}
	want := []string{"+919800000001", "+919800000002", "+919800000003", "+919800000004"}
	if !slices.Equal(c.Shop.Operators, want) || c.Agent.OwnNumber != "+919812345678" {
		t.Errorf("operators %q, own number %q; want %q, +919812345678", c.Shop.Operators, c.Agent.OwnNumber, want)
	}
}

func TestBadNumberNamesLineAndField(t *testing.T) {
	src := "[agent]\nown_number = \"98123\"\ncountry_code = \"091\"\n\n[shop]\noperator_pin = \"1234\"\noperators = [\"9800000001\", \"98000 0002\"]\n"
	_, err := Parse("tokri.toml", []byte(src))
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("err = %v, want *Error", err)
	}
	for _, want := range []string{
		`tokri.toml:2: agent.own_number: "98123": wrong number of digits`,
		`tokri.toml:3: agent.country_code: "091": a country calling code is 1 to 3 digits`,
		`tokri.toml:7: shop.operators: number 2, "98000 0002": wrong number of digits: 9 digits, where a number has 10, or 12 with 91 in front`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error\n%s\nlacks %q", err, want)
		}
	}
	if len(cerr.Problems) != 3 {
		t.Errorf("%d problems, want 3: %v", len(cerr.Problems), err)
	}
}
