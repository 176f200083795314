package gateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/tokrihq/tokri/protocol/ussd"
)

// hubtel is Hubtel's USSD API: a JSON POST per step with Mobile,
// SessionId, ServiceCode, Type ("Initiation", "Response", "Release",
// "Timeout"), Message (the dialled string at initiation, then the input),
// Operator, Sequence and ClientState; the answer is JSON {Type, Message}
// with Type "Response" to go on or "Release" to end.
type hubtel struct{}

func init() { register(hubtel{}) }

func (hubtel) Name() string { return "hubtel" }

type hubtelRequest struct {
	Mobile      string
	SessionID   string `json:"SessionId"`
	ServiceCode string
	Type        string
	Message     string
	Operator    string `json:",omitempty"`
	Sequence    int    `json:",omitempty"`
	ClientState string `json:",omitempty"`
}

type hubtelReply struct {
	Type        string
	Message     string
	ClientState string `json:",omitempty"`
}

func (hubtel) Read(r *http.Request) (ussd.Request, error) {
	var h hubtelRequest
	if err := json.NewDecoder(r.Body).Decode(&h); err != nil {
		return ussd.Request{}, fmt.Errorf("%w: %v", ErrBadCallback, err)
	}
	req := ussd.Request{Session: h.SessionID, Phone: h.Mobile, Code: h.ServiceCode, Network: h.Operator}
	if req.Session == "" || req.Phone == "" {
		return ussd.Request{}, fmt.Errorf("%w: SessionId and Mobile are required", ErrBadCallback)
	}
	switch strings.ToLower(h.Type) {
	case "initiation":
		req.Kind = ussd.Begin
		if req.Code == "" {
			req.Code = h.Message
		}
	case "response":
		req.Kind, req.Input = ussd.Continue, h.Message
		if h.Sequence > 1 {
			req.Seq = h.Sequence - 1 // the initiation is sequence 1
		}
	case "release", "timeout":
		req.Kind = ussd.End
	default:
		return ussd.Request{}, fmt.Errorf("%w: Type %q", ErrBadCallback, h.Type)
	}
	return req, nil
}

func (hubtel) Write(w http.ResponseWriter, req ussd.Request, rep ussd.Reply) {
	w.Header().Set("Content-Type", "application/json")
	t := "Response"
	if rep.End || req.Kind == ussd.End {
		t = "Release"
	}
	json.NewEncoder(w).Encode(hubtelReply{Type: t, Message: rep.Text})
}

func (hubtel) Callback(req ussd.Request, inputs []string) ([]byte, string, error) {
	h := hubtelRequest{Mobile: req.Phone, SessionID: req.Session, ServiceCode: req.Code, Operator: req.Network, Sequence: len(inputs) + 1}
	switch req.Kind {
	case ussd.Begin:
		h.Type, h.Message = "Initiation", req.Code
	case ussd.Continue:
		h.Type, h.Message = "Response", req.Input
	default:
		h.Type = "Release"
	}
	b, err := json.Marshal(h)
	return b, "application/json", err
}

func (hubtel) ParseReply(b []byte) (ussd.Reply, error) {
	var h hubtelReply
	if err := json.Unmarshal(b, &h); err != nil {
		return ussd.Reply{}, fmt.Errorf("decode hubtel reply: %w", err)
	}
	switch h.Type {
	case "Response":
		return ussd.Con(h.Message), nil
	case "Release":
		return ussd.Close(h.Message), nil
	}
	return ussd.Reply{}, fmt.Errorf("hubtel reply Type %q", h.Type)
}
