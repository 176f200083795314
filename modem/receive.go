package modem

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/modem/at"
	"github.com/tokrihq/tokri/modem/pdu"
)

// Inbox takes what the modem receives. The agent implements it.
type Inbox interface {
	// AcceptPDU commits one PDU as the modem printed it (SMSC field and
	// TPDU; or, when the modem printed something that is not even hex,
	// those bytes). The message is deleted from the modem only after
	// AcceptPDU returned nil, so it must be durable by then, and
	// idempotent: after a crash between the two, the message comes again.
	AcceptPDU(ctx context.Context, raw []byte, at time.Time) error
	// MissedCall records a call that rang and ended unanswered.
	MissedCall(ctx context.Context, from string, at time.Time) error
}

type itemKind int

const (
	itemStored itemKind = iota // +CMTI / +CDSI: a message in storage
	itemInline                 // +CMT / +CDS: a PDU delivered in the indication
	itemCall                   // a missed call
)

// item is work for the receiver, queued by the dispatcher.
type item struct {
	kind   itemKind
	mem    string
	index  int
	report bool
	pdu    string
	from   string
	at     time.Time
	tries  int
}

// maxItems bounds the receiver's queue; storage indications beyond it
// are dropped (the poll finds those messages anyway).
const maxItems = 512

// maxCallTries bounds how often a missed call the inbox refused is offered
// again.
const maxCallTries = 3

func (m *Modem) push(it item) {
	m.mu.Lock()
	if len(m.items) >= maxItems {
		m.items = m.items[1:]
		m.log.Warn().Msg("receive queue full, oldest indication dropped")
	}
	m.items = append(m.items, it)
	m.mu.Unlock()
	select {
	case m.itemSig <- struct{}{}:
	default:
	}
}

const droppedMsg = "queued indications dropped at a modem reboot; storage is scanned after re-initialisation"

// dropIndications forgets the queued storage indications (see bootSeen);
// inline PDUs and missed calls carry their data and stay.
func (m *Modem) dropIndications() {
	m.mu.Lock()
	keep := m.items[:0]
	for _, it := range m.items {
		if it.kind != itemStored {
			keep = append(keep, it)
		}
	}
	dropped := len(m.items) - len(keep)
	clear(m.items[len(keep):])
	m.items = keep
	m.mu.Unlock()
	if dropped > 0 {
		m.log.Info().Int("dropped", dropped).Msg(droppedMsg)
	}
}

// live reports whether the modem is still ready in ready generation gen:
// no reboot sign has come since the receiver started on a piece of work.
func (m *Modem) live(gen int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state == StateReady && m.readyGen == gen
}

func (m *Modem) takeItems() []item {
	m.mu.Lock()
	defer m.mu.Unlock()
	it := m.items
	m.items = nil
	return it
}

// ReceiverOptions configure a Receiver.
type ReceiverOptions struct {
	// PollInterval is how often storage is listed, because real modems
	// drop indications (DefaultPollInterval).
	PollInterval time.Duration
}

// Receiver moves received messages from the modem into an Inbox,
// store-then-delete: at start, after every (re)initialisation and every
// PollInterval it lists the whole storage; between polls it follows the
// modem's indications.
type Receiver struct {
	m     *Modem
	inbox Inbox
	opts  ReceiverOptions
	log   zerolog.Logger
}

// NewReceiver returns a Receiver for m. Only one may run per Modem.
func NewReceiver(m *Modem, inbox Inbox, opts ReceiverOptions) *Receiver {
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	return &Receiver{m: m, inbox: inbox, opts: opts, log: m.log.With().Str("part", "receiver").Logger()}
}

// Run receives until ctx ends.
func (r *Receiver) Run(ctx context.Context) error {
	m := r.m
	m.mu.Lock()
	if m.receiving {
		m.mu.Unlock()
		return ErrReceiverRunning
	}
	m.receiving = true
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.receiving = false
		m.mu.Unlock()
	}()

	scanned := -1 // ready generation last scanned
	due := false  // the poll interval has passed
	poll := m.opts.After(r.opts.PollInterval)
	for {
		readyCh, gen := m.ready()
		select {
		case <-readyCh:
		default:
			// Not ready: wait, without dropping queued work.
			select {
			case <-ctx.Done():
				return nil
			case <-readyCh:
			}
			continue
		}
		if gen != scanned || due {
			scanned, due = gen, false
			r.scan(ctx, gen)
		}
		r.handleItems(ctx, gen)
		if ctx.Err() != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-m.itemSig:
		case <-poll:
			poll = m.opts.After(r.opts.PollInterval)
			due = true
		}
	}
}

// handleItems works through the queued items while the modem stays ready
// in generation gen. After a reboot sign the storage indications left are
// dropped (the scan after re-initialisation reads those messages in PDU
// mode); inline PDUs and calls wait for the next round.
func (r *Receiver) handleItems(ctx context.Context, gen int) {
	var retry []item
	items := r.m.takeItems()
	for i, it := range items {
		if ctx.Err() != nil {
			return
		}
		if !r.m.live(gen) {
			dropped := 0
			for _, rest := range items[i:] {
				if rest.kind == itemStored {
					dropped++
					continue
				}
				retry = append(retry, rest)
			}
			if dropped > 0 {
				r.log.Info().Int("dropped", dropped).Msg(droppedMsg)
			}
			break
		}
		switch it.kind {
		case itemStored:
			r.readStored(ctx, gen, it.mem, it.index)
		case itemInline:
			r.acceptInline(ctx, it)
		case itemCall:
			if err := r.inbox.MissedCall(ctx, it.from, it.at); err != nil {
				it.tries++
				r.log.Warn().Err(err).Int("tries", it.tries).Msg("inbox refused a missed call")
				if it.tries < maxCallTries {
					retry = append(retry, it)
				}
			}
		}
	}
	// Refused calls wait for the next poll rather than spinning.
	r.m.mu.Lock()
	r.m.items = append(retry, r.m.items...)
	r.m.mu.Unlock()
}

// scan lists the whole storage and moves every message to the inbox. When
// the listing did not end with OK (timeout, cut short), it only trusts the
// indexes and reads each message again. It stops at a reboot sign.
func (r *Receiver) scan(ctx context.Context, gen int) {
	lines, err := r.m.port.CommandIdle(ctx, "AT+CMGL=4", r.m.opts.CommandTimeout, listTimeout)
	if errors.Is(err, at.ErrRebooted) {
		return
	}
	entries := parseListing(lines)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		r.log.Debug().Err(err).Int("entries", len(entries)).Msg("storage listing incomplete")
	}
	for _, e := range entries {
		if ctx.Err() != nil || !r.m.live(gen) {
			return
		}
		if e.Text {
			r.m.bootSeen("text-mode storage listing")
			return
		}
		if err != nil || !e.Hex {
			r.readStored(ctx, gen, "", e.Index)
			continue
		}
		r.accept(ctx, gen, e.Index, e.PDU)
	}
}

// readStored reads one stored message (switching <mem1> to the memory the
// indication named, and back) and moves it to the inbox.
func (r *Receiver) readStored(ctx context.Context, gen int, mem string, index int) {
	m := r.m
	if !m.live(gen) {
		return
	}
	m.mu.Lock()
	cur := m.readMem
	m.mu.Unlock()
	if mem != "" && mem != cur {
		if _, err := m.port.Command(ctx, fmt.Sprintf(`AT+CPMS="%s"`, mem)); err != nil {
			r.log.Warn().Err(err).Str("mem", mem).Msg("cannot select the memory an indication named")
			return
		}
		defer func() {
			if cur == "" {
				m.mu.Lock()
				m.readMem = mem
				m.mu.Unlock()
				return
			}
			if _, err := m.port.Command(ctx, fmt.Sprintf(`AT+CPMS="%s"`, cur)); err != nil {
				r.log.Warn().Err(err).Str("mem", cur).Msg("cannot switch back to the reading memory")
			}
		}()
	}
	lines, err := m.port.Command(ctx, fmt.Sprintf("AT+CMGR=%d", index))
	var cms *at.CMSError
	if errors.As(err, &cms) && cms.Code == 321 {
		// Already gone: read and deleted by an earlier poll.
		return
	}
	if errors.Is(err, at.ErrRebooted) {
		r.log.Debug().Int("index", index).Msg("read cut short by a modem reboot; the scan after re-initialisation reads it")
		return
	}
	if err != nil {
		r.log.Warn().Err(err).Int("index", index).Msg("cannot read stored message; the next poll retries")
		return
	}
	s, ok := parseRead(lines)
	switch {
	case !ok:
		// Quectel announces status reports in "SM" that live in "SR":
		// the slot reads empty. Nothing to do, nothing to delete.
		r.log.Debug().Int("index", index).Str("mem", mem).Msg("indicated slot is empty")
	case s.Text:
		// A modem that rebooted into text mode: the message stays on
		// the SIM and is read again once PDU mode is back.
		m.bootSeen("text-mode answer to AT+CMGR")
	case !s.Hex:
		r.notPDU(ctx, index, len(s.PDU))
	default:
		r.accept(ctx, gen, index, s.PDU)
	}
}

// notPDU deals with an answer that is no PDU under a PDU-mode header:
// either the modem lost PDU mode (a reboot that printed nothing this
// package knows) or the slot holds junk. The message is neither handed
// over nor deleted: after re-initialisation it is read again, and junk
// stays on the SIM for the operator to look at.
func (r *Receiver) notPDU(ctx context.Context, index, chars int) {
	lines, err := r.m.port.Command(ctx, "AT+CMGF?")
	if f, ok := findFields(lines, "+CMGF"); err == nil && ok && f[0] == "0" {
		r.log.Warn().Int("index", index).Int("chars", chars).Msg("stored message is not a PDU; left on the SIM")
		return
	}
	r.m.bootSeen("answer not in PDU mode")
}

// accept hands a PDU to the inbox and deletes it from storage once the
// inbox has it. After a reboot sign the delete waits for the scan that
// follows re-initialisation: the inbox has the message and takes it again
// as a duplicate.
func (r *Receiver) accept(ctx context.Context, gen int, index int, printed string) {
	raw := r.raw(printed, true)
	if err := r.inbox.AcceptPDU(ctx, raw, r.m.now()); err != nil {
		r.log.Warn().Err(err).Int("index", index).Msg("inbox refused a message; kept on the modem")
		return
	}
	if !r.m.live(gen) {
		r.log.Debug().Int("index", index).Msg("committed; deleted after re-initialisation")
		return
	}
	if _, err := r.m.port.Command(ctx, fmt.Sprintf("AT+CMGD=%d", index)); err != nil {
		// It stays and comes again; the inbox deduplicates.
		r.log.Warn().Err(err).Int("index", index).Msg("cannot delete a committed message")
		return
	}
	r.log.Debug().Int("index", index).Int("octets", len(raw)).Msg("message moved to the inbox")
}

// raw turns what the modem printed into the bytes for the inbox: the PDU
// octets, or, for hex that does not split into octets, the printed bytes
// themselves so that the inbox can keep them as undecodable.
func (r *Receiver) raw(printed string, isHex bool) []byte {
	if isHex {
		if b, err := pdu.ParseHex(printed); err == nil {
			return b
		}
	}
	r.log.Warn().Int("chars", len(printed)).Msg("stored message is not hex; handing over the printed bytes")
	return []byte(printed)
}

// acceptInline commits a +CMT/+CDS PDU and acknowledges it. A PDU the
// inbox refused is negatively acknowledged, so a network that expects
// acknowledgements delivers it again.
func (r *Receiver) acceptInline(ctx context.Context, it item) {
	raw := r.raw(it.pdu, at.LooksHex(it.pdu))
	err := r.inbox.AcceptPDU(ctx, raw, it.at)
	m := r.m
	m.mu.Lock()
	noAck := m.noAck
	m.mu.Unlock()
	if err != nil {
		r.log.Warn().Err(err).Bool("report", it.report).Msg("inbox refused an inline message")
		if !noAck {
			m.optional(ctx, "AT+CNMA=2")
		}
		return
	}
	if noAck {
		return
	}
	if _, err := m.port.Command(ctx, "AT+CNMA=1"); err != nil {
		var cms *at.CMSError
		if errors.As(err, &cms) && cms.Code == 340 {
			// Phase 2 modem (+CSMS=0): no acknowledgement expected.
			m.mu.Lock()
			m.noAck = true
			m.mu.Unlock()
			return
		}
		r.log.Debug().Err(err).Msg("acknowledge inline message")
	}
}
