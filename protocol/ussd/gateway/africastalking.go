package gateway

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tokrihq/tokri/protocol/ussd"
)

// africasTalking is Africa's Talking: a form POST per step with
// sessionId, serviceCode, phoneNumber, networkCode and text, every input
// of the session so far joined by '*' ("" when dialled); the answer is
// plain text "CON ..." or "END ...". Its end-of-session notification (a
// separate callback URL, which may be this one) is a form POST with a
// status field and wants only 200.
type africasTalking struct{}

func init() { register(africasTalking{}) }

func (africasTalking) Name() string { return "africastalking" }

func (africasTalking) Read(r *http.Request) (ussd.Request, error) {
	if err := r.ParseForm(); err != nil {
		return ussd.Request{}, fmt.Errorf("%w: %v", ErrBadCallback, err)
	}
	f := r.PostForm
	req := ussd.Request{Session: f.Get("sessionId"), Phone: f.Get("phoneNumber"), Code: f.Get("serviceCode"), Network: f.Get("networkCode")}
	if req.Session == "" || req.Phone == "" {
		return ussd.Request{}, fmt.Errorf("%w: sessionId and phoneNumber are required", ErrBadCallback)
	}
	if f.Has("status") && !f.Has("text") {
		req.Kind = ussd.End
		return req, nil
	}
	text := f.Get("text")
	if text == "" {
		req.Kind = ussd.Begin
		return req, nil
	}
	parts := strings.Split(text, "*")
	req.Kind, req.Input, req.Seq = ussd.Continue, parts[len(parts)-1], len(parts)
	return req, nil
}

func (africasTalking) Write(w http.ResponseWriter, req ussd.Request, rep ussd.Reply) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if req.Kind == ussd.End {
		return // the notification wants only 200
	}
	fmt.Fprint(w, rep.String())
}

func (africasTalking) Callback(req ussd.Request, inputs []string) ([]byte, string, error) {
	f := url.Values{"sessionId": {req.Session}, "phoneNumber": {req.Phone}, "serviceCode": {req.Code}, "networkCode": {req.Network}}
	if req.Kind == ussd.End {
		f.Set("status", "Incomplete")
	} else {
		f.Set("text", strings.Join(inputs, "*"))
	}
	return []byte(f.Encode()), "application/x-www-form-urlencoded", nil
}

func (africasTalking) ParseReply(b []byte) (ussd.Reply, error) {
	s := string(b)
	switch {
	case strings.HasPrefix(s, "CON "):
		return ussd.Con(s[4:]), nil
	case strings.HasPrefix(s, "END "):
		return ussd.Close(s[4:]), nil
	case s == "":
		return ussd.Close(""), nil
	}
	return ussd.Reply{}, fmt.Errorf("ussd reply neither CON nor END: %.40q", s)
}
