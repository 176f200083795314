package vmodem

import (
	"errors"
	"fmt"
)

// Errors returned by the virtual modem and its control API client.
var (
	// ErrUnknownProfile means Config.Profile names no known modem model.
	ErrUnknownProfile = errors.New("unknown modem profile")
	// ErrNotRunning means the modem's Run loop is not serving (not started or ended).
	ErrNotRunning = errors.New("virtual modem not running")
	// ErrNotLoopback means the control API was asked to listen on a non-loopback address.
	ErrNotLoopback = errors.New("control address is not loopback")
	// ErrBadRequest means a control API request was malformed or inconsistent.
	ErrBadRequest = errors.New("bad control request")
	// ErrLinkOccupied means Config.Link exists and is not a symlink we may replace.
	ErrLinkOccupied = errors.New("link path exists and is not a symlink")
)

// Internal sentinels; none leaves the package unwrapped.
var (
	// errPrompt means the command opened the "> " prompt: no final result yet.
	errPrompt    = errors.New("prompt")
	errSyntax    = errors.New("syntax error")
	errPDUHex    = errors.New("pdu is not hex")
	errPDULength = errors.New("pdu length differs from <length>")
	errNotSubmit = errors.New("pdu is not an SMS-SUBMIT")
	errCallBusy  = fmt.Errorf("a call is already in progress: %w", ErrBadRequest)
)
