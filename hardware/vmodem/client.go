package vmodem

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client talks to a virtual modem's control API.
type Client struct {
	BaseURL string       // e.g. "http://127.0.0.1:8089"
	HTTP    *http.Client // nil means http.DefaultClient
}

// APIError is a control API call that the modem refused.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("vmodem api %d: %s", e.Status, e.Message) }

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("vmodem %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, body)
	if err != nil {
		return fmt.Errorf("vmodem %s %s: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("vmodem %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var ae apiError
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if json.Unmarshal(b, &ae) != nil || ae.Error == "" {
			ae.Error = strings.TrimSpace(string(b))
		}
		return &APIError{Status: resp.StatusCode, Message: ae.Error}
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("vmodem %s %s: decode: %w", method, path, err)
	}
	return nil
}

// SendSMS makes a phone send msg to the modem.
func (c *Client) SendSMS(ctx context.Context, msg SMS) error {
	_, err := c.DeliverSMS(ctx, msg)
	return err
}

// DeliverSMS is SendSMS that also returns the PDUs the network built.
func (c *Client) DeliverSMS(ctx context.Context, msg SMS) (Delivery, error) {
	var d Delivery
	err := c.do(ctx, http.MethodPost, "/v1/sms", msg, &d)
	return d, err
}

// Sent returns everything the agent sent, oldest first.
func (c *Client) Sent(ctx context.Context) ([]Sent, error) { return c.SentSince(ctx, 0) }

// SentSince returns the entries with Seq greater than seq.
func (c *Client) SentSince(ctx context.Context, seq int) ([]Sent, error) {
	var out []Sent
	err := c.do(ctx, http.MethodGet, "/v1/sent?since="+strconv.Itoa(seq), nil, &out)
	return out, err
}

// WaitSent waits (up to wait) until at least n entries after seq exist and returns them.
func (c *Client) WaitSent(ctx context.Context, seq, n int, wait time.Duration) ([]Sent, error) {
	q := url.Values{}
	q.Set("since", strconv.Itoa(seq))
	q.Set("min", strconv.Itoa(n))
	q.Set("wait", wait.String())
	var out []Sent
	if err := c.do(ctx, http.MethodGet, "/v1/sent?"+q.Encode(), nil, &out); err != nil {
		return out, err
	}
	if len(out) < n {
		return out, fmt.Errorf("vmodem: %d of %d sent messages after %s: %w", len(out), n, wait, context.DeadlineExceeded)
	}
	return out, nil
}

// ClearSent forgets the sent log (sequence numbers keep counting).
func (c *Client) ClearSent(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/v1/sent", nil, nil)
}

// Call rings the modem from a number; the caller hangs up after two rings.
func (c *Client) Call(ctx context.Context, from string) error {
	return c.CallWith(ctx, Call{From: from})
}

// CallWith rings the modem with explicit options.
func (c *Client) CallWith(ctx context.Context, call Call) error {
	return c.do(ctx, http.MethodPost, "/v1/call", call, nil)
}

// SetUSSD installs or replaces the script for s.Code.
func (c *Client) SetUSSD(ctx context.Context, s USSD) error {
	return c.do(ctx, http.MethodPost, "/v1/ussd", s, nil)
}

// ResetUSSD restores the default scripts.
func (c *Client) ResetUSSD(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/v1/ussd", nil, nil)
}

// SetFaults adds faults.
func (c *Client) SetFaults(ctx context.Context, f Faults) error {
	return c.do(ctx, http.MethodPost, "/v1/faults", f, nil)
}

// ClearFaults removes every fault (the network comes back).
func (c *Client) ClearFaults(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/v1/faults", nil, nil)
}

// State returns storage, settings, counters and active faults.
func (c *Client) State(ctx context.Context) (State, error) {
	var s State
	err := c.do(ctx, http.MethodGet, "/v1/state", nil, &s)
	return s, err
}

// Reboot restarts the modem now (storage survives, settings do not).
func (c *Client) Reboot(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "/v1/reboot", nil, nil)
}

// SetSIM changes the SIM: PIN, presence, last message reference, SMSC.
func (c *Client) SetSIM(ctx context.Context, s SIM) error {
	return c.do(ctx, http.MethodPost, "/v1/sim", s, nil)
}

// URC writes raw unsolicited lines to the agent now.
func (c *Client) URC(ctx context.Context, lines ...string) error {
	return c.do(ctx, http.MethodPost, "/v1/urc", URC{Lines: lines}, nil)
}
