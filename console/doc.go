// Package console is the operator's terminal UI: the shop's open orders
// as they arrive, one order with its actions, the catalog, and a status
// bar that says whether the modem, the SMS budget and sync are healthy.
//
// It is a bubbletea model over the agent's admin API (agent/admin): every
// change goes through the same endpoint, and so the same rule, as the
// matching CLI command. The model never opens the store itself; while no
// agent answers it reads the file through admin.Env.Connect, one look at
// a time so the agent can start meanwhile, and offers nothing that writes.
//
// What the screen says lives in text.go, in English and Hindi; how it is
// drawn (box drawing or plain ASCII, colour or none) in theme.go. Widths
// are the terminal's (wcwidth per character, with go-runewidth for wide
// ones), so Devanagari columns line up where lipgloss's grapheme widths
// would fall short.
package console
