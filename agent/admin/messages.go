package admin

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/tokrihq/tokri/agent/store"
)

// The operator's view of messages: a shopper's whole conversation, sends
// that failed for good (with a retry), and what no decoder could read.

// FailedSend is a message the modem gave up on.
type FailedSend struct {
	ID    uint64    `json:"id"`
	To    string    `json:"to"`
	Text  string    `json:"text"`
	Error string    `json:"error,omitempty"`
	At    time.Time `json:"at"`
}

// Unreadable is an inbound PDU no decoder could read, kept as it came.
type Unreadable struct {
	ID    uint64    `json:"id"`
	PDU   string    `json:"pdu"` // hex
	Error string    `json:"error"`
	At    time.Time `json:"at"`
}

// Dismissed is the answer to dismissing an unreadable message.
type Dismissed struct {
	ID uint64 `json:"id"`
}

// Resent is the answer to a retry: the new message's id.
type Resent struct {
	ID uint64 `json:"id"`
}

// maxMessages bounds one conversation or list.
const maxMessages = 200

func (s *service) conversation(number string, limit int) ([]store.Message, error) {
	number, err := s.number(number)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > maxMessages {
		limit = maxMessages
	}
	out, err := s.db.Conversation(number, limit)
	if err != nil {
		return nil, internal("conversation", err)
	}
	if out == nil {
		out = []store.Message{}
	}
	return out, nil
}

func (s *service) failed() ([]FailedSend, error) {
	recs, err := s.db.Failed(maxMessages)
	if err != nil {
		return nil, internal("failed sends", err)
	}
	out := make([]FailedSend, 0, len(recs))
	for _, r := range recs {
		out = append(out, FailedSend{ID: r.ID, To: r.To, Text: r.Text, Error: r.LastError, At: r.SentAt})
	}
	return out, nil
}

func (s *service) resend(id string) (Resent, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return Resent{}, invalid("id", fmt.Sprintf("%q is not a message number", id))
	}
	nid, err := s.db.Resend(n, s.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Resent{}, notFound("id", fmt.Sprintf("no sent message %d", n), err)
	case errors.Is(err, store.ErrNotFailed):
		return Resent{}, &Error{Code: CodeConflict, Field: "id", Msg: fmt.Sprintf("message %d did not fail; nothing to retry", n), err: err}
	case err != nil:
		return Resent{}, internal("retry message", err)
	}
	s.log.Info().Uint64("message", n).Uint64("resent_as", nid).Msg("failed send queued again by operator")
	return Resent{ID: nid}, nil
}

// dismissUnreadable drops an unreadable message the operator has dealt
// with; the modem reading it again is still ignored.
func (s *service) dismissUnreadable(id string) (Dismissed, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return Dismissed{}, invalid("id", fmt.Sprintf("%q is not a message number", id))
	}
	err = s.db.DismissUndecodable(n)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Dismissed{}, notFound("id", fmt.Sprintf("no unreadable message %d", n), err)
	case err != nil:
		return Dismissed{}, internal("dismiss unreadable message", err)
	}
	s.log.Info().Uint64("message", n).Msg("unreadable message dismissed by operator")
	return Dismissed{ID: n}, nil
}

func (s *service) unreadable() ([]Unreadable, error) {
	recs, err := s.db.Undecodable()
	if err != nil {
		return nil, internal("undecodable messages", err)
	}
	out := make([]Unreadable, 0, len(recs))
	for _, r := range recs {
		out = append(out, Unreadable{ID: r.ID, PDU: hex.EncodeToString(r.Raw), Error: r.Err, At: r.ReceivedAt})
	}
	return out, nil
}
