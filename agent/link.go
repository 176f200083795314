package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/internal/heartbeat"
	"github.com/tokrihq/tokri/modem"
	"github.com/tokrihq/tokri/modem/at"
)

// Link says how the agent reaches its modem and what to do when the modem's
// device goes away (a USB modem re-enumerating, a cable pulled).
type Link struct {
	// Open opens the modem's port; it is called again after the device dies.
	Open     func() (io.ReadWriteCloser, error)
	Modem    modem.Options
	Receiver modem.ReceiverOptions
	// RetryBase and RetryMax bound the back-off between attempts to reopen
	// the port.
	RetryBase, RetryMax time.Duration
}

// Serve runs the agent with a modem on link until ctx ends. The modem's
// port is reopened with back-off whenever its device dies; the outbox waits
// meanwhile and nothing received is lost, because the modem deletes a
// message only after the agent committed it.
//
// On shutdown the loops stop first and the modem last, so that an SMS the
// modem is sending when ctx ends is answered and recorded rather than sent
// again by the next start.
func (a *Agent) Serve(ctx context.Context, link Link) error {
	if link.RetryBase == 0 {
		link.RetryBase = time.Second
	}
	if link.RetryMax == 0 {
		link.RetryMax = time.Minute
	}
	linkCtx, stopLink := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLink()
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	linkDone := make(chan struct{})
	var linkErr error
	go func() {
		defer close(linkDone)
		if linkErr = a.superviseLink(ctx, linkCtx, link); linkErr != nil {
			stopRun()
		}
	}()
	err := a.Run(runCtx)
	stopLink()
	<-linkDone
	if linkErr != nil {
		return linkErr
	}
	return err
}

// superviseLink keeps a modem running on link, reopening it with back-off,
// until ctx ends; each modem runs on linkCtx, which outlives ctx until the
// loops have stopped. A port another process holds at the first attempt
// ends it with that error: the operator started a second agent (or left
// minicom open) and must be told, not kept waiting. Later, while the
// device re-enumerates, a holder is waited out like any other failure.
func (a *Agent) superviseLink(ctx, linkCtx context.Context, link Link) error {
	failures := 0
	for ctx.Err() == nil && linkCtx.Err() == nil {
		err := a.runModem(ctx, linkCtx, link)
		if ctx.Err() != nil || linkCtx.Err() != nil {
			return nil
		}
		if failures == 0 && errors.Is(err, serial.ErrLocked) {
			return err
		}
		failures++
		retry := retryPolicy(link.RetryBase, link.RetryMax)
		wait := retry.Delay(failures)
		a.log.Error().Err(err).Stringer("retry_in", wait.Round(time.Millisecond)).Msg("modem link down")
		select {
		case <-ctx.Done():
		case <-linkCtx.Done():
		case <-retry.Timer(wait):
		}
	}
	return nil
}

// runModem opens the port once and runs a modem and a receiver on it until
// the device dies or ctx ends.
func (a *Agent) runModem(ctx, linkCtx context.Context, link Link) error {
	port, err := link.Open()
	if err != nil {
		return fmt.Errorf("open modem port: %w", err)
	}
	m := modem.New(port, link.Modem)
	mctx, cancel := context.WithCancel(linkCtx)
	defer cancel()
	runc := make(chan error, 1)
	go func() { runc <- m.Run(mctx) }()
	if err := m.Init(ctx); err != nil {
		// Run's supervisor keeps trying; the receiver waits for it.
		a.log.Warn().Err(err).Msg("modem init failed, recovery continues")
	}
	rx := modem.NewReceiver(m, a, link.Receiver)
	rxc := make(chan error, 1)
	// The receiver stops with the agent's loops (a message it has not
	// committed stays on the SIM for the next start) or with the modem.
	rxCtx, stopRx := context.WithCancel(ctx)
	defer stopRx()
	go func() { rxc <- rx.Run(rxCtx) }()
	a.modems.set(m)
	defer a.modems.set(nil)
	a.log.Info().Msg("modem link up")

	var runErr error
	select {
	case runErr = <-runc:
		stopRx()
		cancel()
		<-rxc
	case err := <-rxc:
		if ctx.Err() != nil {
			// Shutting down: the modem keeps running until the sender
			// has finished with it, then linkCtx ends it.
			runErr = <-runc
			break
		}
		cancel()
		runErr = <-runc
		if runErr == nil || errors.Is(runErr, context.Canceled) {
			runErr = fmt.Errorf("receiver: %w", err)
		}
	}
	if runErr == nil {
		runErr = errors.New("modem stopped")
	}
	return runErr
}

// Modem returns the modem the agent is using now, or nil while the link is
// down.
func (a *Agent) Modem() *modem.Modem { return a.modems.get() }

// modemSlot holds the current modem and lets the sender wait for one.
type modemSlot struct {
	mu      sync.Mutex
	m       *modem.Modem
	present chan struct{} // closed while m != nil

	beat *heartbeat.Loop // the sender's: waiting for a modem is not stuck
}

func newModemSlot() *modemSlot { return &modemSlot{present: make(chan struct{})} }

func (s *modemSlot) set(m *modem.Modem) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case m != nil && s.m == nil:
		close(s.present)
	case m == nil && s.m != nil:
		s.present = make(chan struct{})
	}
	s.m = m
}

func (s *modemSlot) get() *modem.Modem {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m
}

// Sends and modem recovery.
const (
	// readyWait bounds how long a send waits for a recovering modem before
	// it fails as an attempt, so the sender's loop still turns.
	readyWait = time.Minute
	// rebootResends is how often one send cut short by a modem reboot is
	// made again at once, after re-initialisation.
	rebootResends = 3
)

// SendPDU waits for a modem that is ready and sends through it, so that an
// outage of the link or a modem reboot does not count against a message's
// attempts. A send the modem rebooted under is made again as soon as the
// modem is back: the SMS may have gone out before the reboot, and sending
// it twice is the price of never losing it (at least once).
func (s *modemSlot) SendPDU(ctx context.Context, tpdu []byte) (int, error) {
	resends := 0
	for {
		s.beat.Beat() // each attempt, each part, has the bound afresh
		s.mu.Lock()
		m, present := s.m, s.present
		s.mu.Unlock()
		if m == nil {
			s.beat.Wait()
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-present:
			}
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, readyWait)
		err := m.WaitReady(wctx)
		cancel()
		if err != nil && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		// Once the PDU is written the modem will send it whatever
		// happens to us; waiting for its answer (bounded by the modem's
		// send timeout and its reboots) is what lets the sender record it.
		mr, err := m.SendPDU(context.WithoutCancel(ctx), tpdu)
		if errors.Is(err, at.ErrRebooted) && resends < rebootResends {
			resends++
			continue
		}
		return mr, err
	}
}
