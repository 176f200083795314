package server

import "net/http"

// Handle serves pattern with h alongside the sync API, for the other
// endpoints central hosts on the same listener (the USSD relay and the
// aggregators' callbacks). Call it before Run.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }
