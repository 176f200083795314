// Package text holds every reply Tokri sends, in English, Hindi and
// Hinglish (Hindi in Latin letters).
//
// Each message is a Key; Format fills it in for a language and Reply also
// fits it to that language's budget (render.Budget). Each Key documents
// its arguments and how long they may be: with arguments that long, every
// English and Hinglish reply is one GSM-7 segment and every Hindi one at
// most two UCS-2 segments, which the tests check. The list builders
// (Welcome, Items, Choice, Cart) return a render.List for render.Pages to
// page.
package text
