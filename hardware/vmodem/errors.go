package vmodem

import "errors"

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
