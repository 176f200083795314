// Package ussd is what a shopper sees on a dialled code: the step of a
// session as the aggregator hands it over (Request) and the screen sent
// back (Reply), the menu convention every screen follows, and screens
// fitted to what a handset shows.
//
// The convention (docs/ussd.md): choices are numbered from 1; "0" goes
// back one screen (or one page); "98" shows the next page of a list. A
// screen that waits for an answer is CON, the last one END. A screen in
// GSM-7 holds at most MaxChars characters, one in UCS-2 (Devanagari)
// MaxUCS2, because both are the 160 octets a USSD string carries; screens
// aim for AimChars so that handsets that show less cut nothing.
package ussd
