package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
)

// Client talks to a running agent's admin API. Its methods return *Error
// for answers the agent refused, and an error wrapping ErrNoAgent when
// nothing listens on the socket.
type Client struct {
	path string
	http *http.Client
}

// Dial returns a Client for the socket at socketPath. It does not connect
// until the first call.
func Dial(socketPath string) *Client {
	d := &net.Dialer{Timeout: 2 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "unix", socketPath)
		},
		MaxIdleConns:    2,
		IdleConnTimeout: 30 * time.Second,
	}
	return &Client{path: socketPath, http: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

// Close drops idle connections.
func (c *Client) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

// Orders lists orders matching f, newest first.
func (c *Client) Orders(ctx context.Context, f orders.Filter) ([]orders.Order, error) {
	q := url.Values{}
	for _, s := range f.States {
		q.Add("state", string(s))
	}
	if f.Shopper != "" {
		q.Set("shopper", f.Shopper)
	}
	if !f.Since.IsZero() {
		q.Set("since", f.Since.UTC().Format(time.RFC3339))
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	var out []orders.Order
	return out, c.do(ctx, http.MethodGet, "/v1/orders?"+q.Encode(), nil, "", &out)
}

// Order returns one order by its ID.
func (c *Client) Order(ctx context.Context, id string) (orders.Order, error) {
	var o orders.Order
	return o, c.do(ctx, http.MethodGet, "/v1/orders/"+url.PathEscape(id), nil, "", &o)
}

// Act changes an order's state as the operator; reason is required to
// reject and optional otherwise. The shopper is told by SMS.
func (c *Client) Act(ctx context.Context, id string, a Action, reason string) (orders.Order, error) {
	return sendJSON[orders.Order](ctx, c, http.MethodPost, "/v1/orders/"+url.PathEscape(id)+"/"+url.PathEscape(string(a)), ActRequest{Reason: reason})
}

// Preview returns the SMS Act(id, a, reason) would send the shopper,
// without acting.
func (c *Client) Preview(ctx context.Context, id string, a Action, reason string) (Preview, error) {
	q := ""
	if reason != "" {
		q = "?reason=" + url.QueryEscape(reason)
	}
	var p Preview
	return p, c.do(ctx, http.MethodGet, "/v1/orders/"+url.PathEscape(id)+"/"+url.PathEscape(string(a))+"/preview"+q, nil, "", &p)
}

// Watch waits up to wait for the store to change after since (a Change.Tx
// from an earlier call; 0 the first time) and returns where it is now.
func (c *Client) Watch(ctx context.Context, since int, wait time.Duration) (Change, error) {
	var ch Change
	path := fmt.Sprintf("/v1/watch?since=%d&wait=%d", since, int(wait/time.Second))
	return ch, c.do(ctx, http.MethodGet, path, nil, "", &ch)
}

// SetPaused pauses (true) or resumes taking orders.
func (c *Client) SetPaused(ctx context.Context, paused bool) (ShopState, error) {
	return sendJSON[ShopState](ctx, c, http.MethodPut, "/v1/shop/paused", PauseRequest{Paused: &paused})
}

// Conversation returns the latest limit messages to and from a shopper,
// oldest first (limit 0: as many as the agent gives, 200).
func (c *Client) Conversation(ctx context.Context, number string, limit int) ([]store.Message, error) {
	var out []store.Message
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/v1/shoppers/%s/messages?limit=%d", url.PathEscape(number), limit), nil, "", &out)
}

// FailedSends lists the latest sends the modem gave up on, newest first.
func (c *Client) FailedSends(ctx context.Context) ([]FailedSend, error) {
	var out []FailedSend
	return out, c.do(ctx, http.MethodGet, "/v1/messages/failed", nil, "", &out)
}

// Retry queues a failed send again as a new message.
func (c *Client) Retry(ctx context.Context, id uint64) (Resent, error) {
	var out Resent
	return out, c.do(ctx, http.MethodPost, fmt.Sprintf("/v1/messages/%d/retry", id), nil, "", &out)
}

// DismissUnreadable drops an unreadable message the operator has dealt with.
func (c *Client) DismissUnreadable(ctx context.Context, id uint64) (Dismissed, error) {
	var out Dismissed
	return out, c.do(ctx, http.MethodDelete, fmt.Sprintf("/v1/messages/undecodable/%d", id), nil, "", &out)
}

// Unreadable lists the inbound PDUs no decoder could read.
func (c *Client) Unreadable(ctx context.Context) ([]Unreadable, error) {
	var out []Unreadable
	return out, c.do(ctx, http.MethodGet, "/v1/messages/undecodable", nil, "", &out)
}

// Today returns the day so far and the operator's summary SMS.
func (c *Client) Today(ctx context.Context) (Today, error) {
	var t Today
	return t, c.do(ctx, http.MethodGet, "/v1/today", nil, "", &t)
}

// ImportCatalog sends a catalog CSV. It is all or nothing: on any bad line
// it returns an *Error with code CodeBadCSV whose Problems list them all.
func (c *Client) ImportCatalog(ctx context.Context, csv io.Reader) (catalog.ImportResult, error) {
	var res catalog.ImportResult
	// A big catalog takes longer than the usual request timeout; the
	// agent reports progress (ImportProgress) and stops if ctx ends.
	long := *c
	hc := *c.http
	hc.Timeout = 0
	long.http = &hc
	return res, long.do(ctx, http.MethodPost, "/v1/catalog/import", csv, "text/csv", &res)
}

// ImportProgress asks how far the running (or last) catalog import got.
func (c *Client) ImportProgress(ctx context.Context) (ImportProgress, error) {
	var p ImportProgress
	return p, c.do(ctx, http.MethodGet, "/v1/catalog/import", nil, "", &p)
}

// ExportCatalog writes the whole catalog as CSV to w.
func (c *Client) ExportCatalog(ctx context.Context, w io.Writer) error {
	return c.do(ctx, http.MethodGet, "/v1/catalog/export", nil, "", w)
}

// Items lists the catalog, inactive items too.
func (c *Client) Items(ctx context.Context) ([]catalog.Item, error) {
	var out []catalog.Item
	return out, c.do(ctx, http.MethodGet, "/v1/catalog/items", nil, "", &out)
}

// FindItems lists the active items a shopper's words would match, best
// first.
func (c *Client) FindItems(ctx context.Context, query string) ([]catalog.Item, error) {
	var out []catalog.Item
	return out, c.do(ctx, http.MethodGet, "/v1/catalog/items?q="+url.QueryEscape(query), nil, "", &out)
}

// SetStock sets the units on hand of one item.
func (c *Client) SetStock(ctx context.Context, sku string, n int) (catalog.Item, error) {
	return sendJSON[catalog.Item](ctx, c, http.MethodPut, "/v1/catalog/items/"+url.PathEscape(sku)+"/stock", StockRequest{Stock: &n})
}

// SetPrice sets the price of one item, in paise.
func (c *Client) SetPrice(ctx context.Context, sku string, paise int64) (catalog.Item, error) {
	return sendJSON[catalog.Item](ctx, c, http.MethodPut, "/v1/catalog/items/"+url.PathEscape(sku)+"/price", PriceRequest{Price: &paise})
}

// SetActive offers an item to shoppers (true) or withdraws it.
func (c *Client) SetActive(ctx context.Context, sku string, active bool) (catalog.Item, error) {
	return sendJSON[catalog.Item](ctx, c, http.MethodPut, "/v1/catalog/items/"+url.PathEscape(sku)+"/active", ActiveRequest{Active: &active})
}

// Shoppers lists the shoppers' profiles.
func (c *Client) Shoppers(ctx context.Context) ([]shoppers.Profile, error) {
	var out []shoppers.Profile
	return out, c.do(ctx, http.MethodGet, "/v1/shoppers", nil, "", &out)
}

// SetOptOut stops (out=true) or resumes notifications and bulk messages to
// a shopper.
func (c *Client) SetOptOut(ctx context.Context, number string, out bool) (shoppers.Profile, error) {
	choice := "opt-in"
	if out {
		choice = "opt-out"
	}
	var p shoppers.Profile
	return p, c.do(ctx, http.MethodPost, "/v1/shoppers/"+url.PathEscape(number)+"/"+choice, nil, "", &p)
}

// Status returns the agent's status.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var st Status
	return st, c.do(ctx, http.MethodGet, "/v1/status", nil, "", &st)
}

// SyncNow runs one sync round on the agent and says what it did. A round
// that stopped early returns what it did with an *Error of code
// CodeSyncFailed.
func (c *Client) SyncNow(ctx context.Context) (SyncRound, error) {
	var r SyncRound
	if err := c.do(ctx, http.MethodPost, "/v1/sync", nil, "", &r); err != nil {
		return r, err
	}
	if r.Error != "" {
		return r, &Error{Code: CodeSyncFailed, Field: "sync", Msg: "sync round stopped: " + r.Error}
	}
	return r, nil
}

// sendJSON sends req as the JSON body of a request and decodes the answer.
func sendJSON[T any](ctx context.Context, c *Client, method, path string, req any) (T, error) {
	var out T
	b, err := json.Marshal(req)
	if err != nil {
		return out, fmt.Errorf("encode request: %w", err)
	}
	return out, c.do(ctx, method, path, bytes.NewReader(b), "application/json", &out)
}

// do sends one request. out is decoded from JSON, or copied as is when it
// is an io.Writer.
func (c *Client) do(ctx context.Context, method, path string, body io.Reader, ctype string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://tokri"+path, body)
	if err != nil {
		return fmt.Errorf("admin request %s %s: %w", method, routeOf(path), err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if noListener(err) {
			return fmt.Errorf("%w (no answer on %s)", ErrNoAgent, c.path)
		}
		return fmt.Errorf("admin request %s %s: %w", method, routeOf(path), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return readError(resp)
	}
	if w, ok := out.(io.Writer); ok {
		if _, err := io.Copy(w, resp.Body); err != nil {
			return fmt.Errorf("read answer to %s %s: %w", method, routeOf(path), err)
		}
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("read answer to %s %s: %w", method, routeOf(path), err)
	}
	return nil
}

func readError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var e Error
	if err := json.Unmarshal(b, &e); err != nil || e.Msg == "" {
		return &Error{Code: CodeInternal, Msg: fmt.Sprintf("agent answered %s: %s", resp.Status, strings.TrimSpace(string(b)))}
	}
	return &e
}

// routeOf drops the query, which may hold a phone number, from error text.
func routeOf(path string) string {
	p, _, _ := strings.Cut(path, "?")
	return p
}

// isNoAgent reports whether err means nothing listens on the socket.
func isNoAgent(err error) bool { return errors.Is(err, ErrNoAgent) }
