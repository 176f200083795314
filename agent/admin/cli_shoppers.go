package admin

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/tokrihq/tokri/agent/shoppers"
)

var shopperVerbs = [][2]string{
	{"list", "shoppers, their language and opt-out"},
	{"optout NUMBER", "send this number no more notifications or offers"},
	{"optin NUMBER", "send them again"},
}

func shoppersCLI(ctx context.Context, args []string, env Env) error {
	if wantsHelp(args) {
		return subUsage(env, "shoppers", shopperVerbs)
	}
	switch args[0] {
	case "list":
		return shoppersList(ctx, args[1:], env)
	case "optout", "optin":
		return shoppersOpt(ctx, args[0], args[1:], env)
	}
	return unknownVerb("shoppers", args[0], shopperVerbs)
}

func shoppersList(ctx context.Context, args []string, env Env) error {
	v := newVerb(env, "shoppers list", "List the shoppers who have texted the shop. Works without a running agent too.")
	if _, err := v.parse(args); err != nil {
		return err
	}
	return answer(env, v, fileOK, func(b backend) ([]shoppers.Profile, error) { return b.Shoppers(ctx) }, func(list []shoppers.Profile) error {
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, "no shoppers")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "NUMBER\tLANG\tOPTED OUT\tLAST ORDER\tLAST SEEN\t")
		for _, p := range list {
			out := "no"
			if p.OptedOut {
				out = "yes"
			}
			last := p.LastOrder
			if last == "" {
				last = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", p.Number, p.Lang, out, last, showTime(p.LastSeen, env.Loc))
		}
		return tw.Flush()
	})
}

func shoppersOpt(ctx context.Context, which string, args []string, env Env) error {
	out := which == "optout"
	what := "Send this number no more order notifications or offers (replies to its own messages still go)."
	if !out {
		what = "Send this number notifications and offers again."
	}
	v := newVerb(env, "shoppers "+which, what+" Needs the running agent.", "NUMBER")
	pos, err := v.parse(args)
	if err != nil {
		return err
	}
	number := strings.Join(strings.Fields(pos[0]), "")
	if number == "" {
		return fmt.Errorf("NUMBER: empty")
	}
	return answer(env, v, agentOnly, func(b backend) (shoppers.Profile, error) { return b.SetOptOut(ctx, number, out) }, func(p shoppers.Profile) error {
		if p.OptedOut {
			fmt.Fprintf(env.Stdout, "%s opted out\n", p.Number)
		} else {
			fmt.Fprintf(env.Stdout, "%s opted in\n", p.Number)
		}
		return nil
	})
}
