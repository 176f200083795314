package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/shoppers"
)

// shopperSpecs are the shoppers group.
var shopperSpecs = []opSpec{
	{name: "shoppers list", summary: "shoppers, their language and opt-out", reach: admin.FileOK,
		help: "List the shoppers who have texted the shop.", mk: shoppersList},
	shoppersOpt("optout", "send this number no more notifications or offers",
		"Send this number no more order notifications or offers (replies to its own messages still go)."),
	shoppersOpt("optin", "send them again", "Send this number notifications and offers again."),
}

func shoppersList(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		return answer(v, func(b admin.Backend) ([]shoppers.Profile, error) { return b.Shoppers(ctx) }, func(list []shoppers.Profile) error {
			return printTable(v.stdout, "no shoppers", "NUMBER\tLANG\tOPTED OUT\tLAST ORDER\tLAST SEEN\t", list, func(p shoppers.Profile) string {
				out := "no"
				if p.OptedOut {
					out = "yes"
				}
				last := p.LastOrder
				if last == "" {
					last = "-"
				}
				return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t", p.Number, p.Lang, out, last, showTime(p.LastSeen, v.env.Loc))
			})
		})
	}
}

func shoppersOpt(which, summary, help string) opSpec {
	out := which == "optout"
	return opSpec{name: "shoppers " + which, args: "NUMBER", summary: summary, help: help, reach: admin.AgentOnly,
		mk: func(_ *flag.FlagSet, v *verb) func(ctx context.Context) error {
			return func(ctx context.Context) error {
				number := strings.Join(strings.Fields(v.pos[0]), "")
				if number == "" {
					return fmt.Errorf("NUMBER: empty")
				}
				return answer(v, func(b admin.Backend) (shoppers.Profile, error) { return b.SetOptOut(ctx, number, out) }, func(p shoppers.Profile) error {
					if p.OptedOut {
						fmt.Fprintf(v.stdout, "%s opted out\n", p.Number)
					} else {
						fmt.Fprintf(v.stdout, "%s opted in\n", p.Number)
					}
					return nil
				})
			}
		}}
}
