package relay

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// Path, the upgrade protocol, the header with central's nonce, and the
// one for the ping interval. An agent that puts HeaderPing on its request
// (any value) gets central's interval in seconds in it on the answer and
// answers no ping: central's kernel has the ACK of a ping, which is proof
// enough, and the agent takes the interval's silence and half again for
// a dead connection. An agent that does not, or a central that says no
// interval, keeps to the first protocol: pings every 25 s, each answered
// with a pong.
const (
	Path        = "/v1/relay"
	Protocol    = "tokri-relay/1"
	HeaderNonce = "Tokri-Relay-Nonce"
	HeaderPing  = "Tokri-Relay-Ping"
)

// maxFrame bounds a frame's body: one step or screen.
const maxFrame = 16 << 10

// Frame types.
const (
	typeHello = "hello" // agent: first frame, names the store's SMS number
	typeStep  = "step"  // central: a step to answer
	typeReply = "reply" // agent: the screen for step ID, or Err
	typePing  = "ping"  // either: are you there
	typePong  = "pong"  // the answer, where HeaderPing was not said
)

// frame is one message on the connection.
type frame struct {
	Type   string        `json:"t"`
	ID     uint64        `json:"id,omitempty"`
	Req    *ussd.Request `json:"req,omitempty"`
	Rep    *ussd.Reply   `json:"rep,omitempty"`
	Err    string        `json:"err,omitempty"`
	Number string        `json:"number,omitempty"` // hello: the store's SMS number
	Lang   protocol.Lang `json:"lang,omitempty"`   // hello: the shop's default language
}

// Directions, in the MAC so a frame cannot be reflected back.
const (
	fromAgent   byte = 'a'
	fromCentral byte = 'c'
)

// ErrBadFrame means a frame did not verify or decode: the connection ends.
var ErrBadFrame = errors.New("relay: bad frame")

// sessionKey is the frames' MAC key for one connection.
func sessionKey(secret, clientNonce, serverNonce string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%s\n%s\n%s", Protocol, clientNonce, serverNonce)
	return m.Sum(nil)
}

// codec writes and reads the frames of one direction each.
type codec struct {
	key           []byte
	out, in       byte   // directions written and read
	outSeq, inSeq uint64 // next sequence numbers
	r             *bufio.Reader
	w             io.Writer
}

func (c *codec) mac(dir byte, seq uint64, body []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	var h [9]byte
	h[0] = dir
	binary.BigEndian.PutUint64(h[1:], seq)
	m.Write(h[:])
	m.Write(body)
	return m.Sum(nil)
}

// write sends f; the caller serialises writes.
func (c *codec) write(f frame) error {
	body, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode frame: %w", err)
	}
	buf := make([]byte, 4, 4+len(body)+sha256.Size)
	binary.BigEndian.PutUint32(buf, uint32(len(body)))
	buf = append(buf, body...)
	buf = append(buf, c.mac(c.out, c.outSeq, body)...)
	c.outSeq++
	_, err = c.w.Write(buf)
	return err
}

// read receives the next frame and checks its MAC and sequence.
func (c *codec) read() (frame, error) {
	var n [4]byte
	if _, err := io.ReadFull(c.r, n[:]); err != nil {
		return frame{}, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > maxFrame {
		return frame{}, fmt.Errorf("%w: %d bytes", ErrBadFrame, size)
	}
	buf := make([]byte, int(size)+sha256.Size)
	if _, err := io.ReadFull(c.r, buf); err != nil {
		return frame{}, err
	}
	body, sum := buf[:size], buf[size:]
	if !hmac.Equal(sum, c.mac(c.in, c.inSeq, body)) {
		return frame{}, fmt.Errorf("%w: mac", ErrBadFrame)
	}
	c.inSeq++
	var f frame
	if err := json.Unmarshal(body, &f); err != nil {
		return frame{}, fmt.Errorf("%w: %v", ErrBadFrame, err)
	}
	return f, nil
}

// CallbackToken is the per-store secret of the aggregator's callback URL.
func CallbackToken(secret, store string) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "tokri-ussd-callback\n%s", store)
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// CheckToken says whether token is store's callback token, in constant time.
func CheckToken(secret, store, token string) bool {
	return hmac.Equal([]byte(CallbackToken(secret, store)), []byte(token))
}
