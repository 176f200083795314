package command

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/protocol/norm"
)

// Operator verbs.
const (
	OpOrders  = "ORDERS"  // list new orders
	OpAccept  = "ACCEPT"  // ACCEPT <order>
	OpReject  = "REJECT"  // REJECT <order> [reason...]
	OpDeliver = "DELIVER" // DELIVER <order>: delivered or collected
	OpStock   = "STOCK"   // STOCK <sku> <count>
	OpPrice   = "PRICE"   // PRICE <sku> <rupees>
	OpPause   = "PAUSE"   // PAUSE [note...]: stop taking orders
	OpResume  = "RESUME"  // take orders again
	OpHelp    = "HELP"
)

// verbAliases maps what operators type to a verb.
var verbAliases = map[string]string{
	"orders": OpOrders, "order": OpOrders, "list": OpOrders, "new": OpOrders, "pending": OpOrders,
	"accept": OpAccept, "ack": OpAccept, "ok": OpAccept, "confirm": OpAccept,
	"reject": OpReject, "decline": OpReject, "deny": OpReject,
	"deliver": OpDeliver, "delivered": OpDeliver, "done": OpDeliver, "dlv": OpDeliver,
	"stock": OpStock, "qty": OpStock,
	"price": OpPrice, "rate": OpPrice,
	"pause": OpPause, "close": OpPause, "closed": OpPause, "band": OpPause,
	"resume": OpResume, "open": OpResume, "start": OpResume,
	"help": OpHelp,
}

// parseOperator reads "OP <pin> <verb> <args...>". Fields are split on
// spaces only, so SKUs keep their dashes.
func parseOperator(text string) Command {
	var fields []string
	for _, f := range strings.Fields(norm.Fold(text)) {
		if f = strings.Trim(f, ".,;:!?\"'()"); f != "" {
			fields = append(fields, f)
		}
	}
	fields = fields[1:] // "op"
	var o Operator
	if len(fields) > 0 && norm.IsNumber(fields[0]) {
		o.PIN, fields = fields[0], fields[1:]
	}
	if len(fields) > 0 {
		o.Verb = strings.ToUpper(fields[0])
		if v, ok := verbAliases[fields[0]]; ok {
			o.Verb = v
		}
		for _, a := range fields[1:] {
			o.Args = append(o.Args, strings.ToUpper(a))
		}
	}
	return o
}

// Check reports whether o is well formed: a PIN of 4 to 8 digits, a known
// verb, and the arguments that verb takes. It does not check the PIN.
func (o Operator) Check() error {
	if len(o.PIN) < 4 || len(o.PIN) > 8 || !norm.IsNumber(o.PIN) {
		return ErrPIN
	}
	n := len(o.Args)
	switch o.Verb {
	case OpOrders, OpResume, OpHelp:
		if n > 1 {
			return fmt.Errorf("%s takes no arguments: %w", o.Verb, ErrArgs)
		}
	case OpPause:
	case OpAccept, OpDeliver:
		if n != 1 {
			return fmt.Errorf("%s needs an order id: %w", o.Verb, ErrArgs)
		}
	case OpReject:
		if n < 1 {
			return fmt.Errorf("%s needs an order id: %w", o.Verb, ErrArgs)
		}
	case OpStock:
		if n != 2 {
			return fmt.Errorf("%s needs a sku and a count: %w", o.Verb, ErrArgs)
		}
		if c, err := strconv.Atoi(o.Args[1]); err != nil || c < 0 {
			return fmt.Errorf("%s count %q: %w", o.Verb, o.Args[1], ErrArgs)
		}
	case OpPrice:
		if n != 2 {
			return fmt.Errorf("%s needs a sku and a price: %w", o.Verb, ErrArgs)
		}
		if _, ok := ParseRupees(o.Args[1]); !ok {
			return fmt.Errorf("%s price %q: %w", o.Verb, o.Args[1], ErrArgs)
		}
	default:
		return ErrVerb
	}
	return nil
}

// maxRupees bounds a price an operator can set by SMS.
const maxRupees = 10_000_000

// ParseRupees reads a price as operators write it ("260", "52.50", "52.5",
// "Rs52", "₹52") into paise. A zero price is allowed; a negative one or
// one with more than two decimals is not.
func ParseRupees(s string) (paise int64, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"₹", "rs.", "rs", "inr"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" && frac == "" || !digits(whole) || !digits(frac) || len(frac) > 2 || dot && frac == "" {
		return 0, false
	}
	r, err := strconv.ParseInt("0"+whole, 10, 64)
	if err != nil || r > maxRupees {
		return 0, false
	}
	p := int64(0)
	if frac != "" {
		p, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	return r*100 + p, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
