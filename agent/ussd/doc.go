// Package ussd is the shop on a dialled code: it turns each step of a USSD
// session into the next screen, on the shopper's one cart, profile and
// orders through agent/shop, so a cart filled by USSD is the cart SMS sees
// and the reverse.
//
// Each step runs in one store transaction: the session's screens (bucket
// "ussd/sessions", one record per shopper), the cart and profile, an order
// and its SMS confirmation commit together or not at all. A step the
// aggregator sends again (same session, same input count) is answered with
// the screen already sent and changes nothing. A session that ends
// without an END while the shopper was checking out is offered back on the
// next dial ("1 Continue 2 Start again").
package ussd
