package conversation

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/config"
)

// The shop the golden conversations were written against. These copy
// agent/shop's helpers_test.go (testConfig, shopper, ownSIM, start), which a test
// package cannot import; TestShopMatchesGolden fails if the two drift.

// testConfig is the shop: both payments, an operator.
const testConfig = `
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

// shopper sends the lines before a conversation's first "from".
const shopper = "+919811110001"

// ownSIM is the SIM's own number, which the shop never answers.
const ownSIM = "+919800000000"

// start is 10:00 in the shop (India), a Monday.
var start = time.Date(2026, 3, 2, 4, 30, 0, 0, time.UTC)

// startSrc is start as written in agent/shop, for the drift check.
const startSrc = "time.Date(2026, 3, 2, 4, 30, 0, 0, time.UTC)"

// shopConfig is testConfig with a conversation's "set" lines added to
// [shop], as agent/shop's golden test does.
func shopConfig(t testing.TB, extra string) config.Shop {
	t.Helper()
	c, err := config.Parse("test.toml", []byte(testConfig+extra))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return c.Shop
}

// TestShopMatchesGolden reads agent/shop's test helpers and checks that
// the shop replayed here is the one its golden files were written for.
func TestShopMatchesGolden(t *testing.T) {
	const src = "../../agent/shop/helpers_test.go"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, src, nil, 0)
	if err != nil {
		t.Fatalf("parse %s: %v", src, err)
	}
	found := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if i >= len(vs.Values) {
				continue
			}
			switch v := vs.Values[i].(type) {
			case *ast.BasicLit:
				if s, err := strconv.Unquote(v.Value); err == nil {
					found[name.Name] = s
				}
			default:
				var b strings.Builder
				if err := printer.Fprint(&b, fset, v); err == nil {
					found[name.Name] = b.String()
				}
			}
		}
		return true
	})
	for _, c := range []struct{ name, want string }{
		{"testConfig", testConfig},
		{"shopper", shopper},
		{"ownSIM", ownSIM},
		{"start", startSrc},
	} {
		if got, ok := found[c.name]; !ok {
			t.Errorf("%s: no %s; the golden test's shop moved, update this package", src, c.name)
		} else if got != c.want {
			t.Errorf("%s: %s = %q, this package replays %q; copy it here", src, c.name, got, c.want)
		}
	}
}
