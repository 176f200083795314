package modem

import (
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/modem/at"
)

// splitFields splits the part after "+XXX:" at commas outside quotes and
// trims spaces; quotes stay on the fields.
func splitFields(s string) []string {
	var out []string
	inQuote := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// afterPrefix returns the text after "prefix:" in line (prefix like
// "+CSQ"), and whether line has that prefix.
func afterPrefix(line, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), prefix)
	if !ok {
		return "", false
	}
	rest = strings.TrimSpace(rest)
	rest, ok = strings.CutPrefix(rest, ":")
	if !ok {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// findField returns the fields of the first line with prefix.
func findFields(lines []string, prefix string) ([]string, bool) {
	for _, l := range lines {
		if rest, ok := afterPrefix(l, prefix); ok {
			return splitFields(rest), true
		}
	}
	return nil, false
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return strings.Trim(s, `"`)
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// stored is one message as +CMGL or +CMGR printed it.
type stored struct {
	Index int    // storage index; -1 for +CMGR
	Stat  int    // <stat>, -1 when empty or missing
	PDU   string // the PDU line, or the junk printed in its place
	Hex   bool   // PDU looks like hex
	// Text: the header is a text-mode one (<stat> as "REC UNREAD"): the
	// modem is not in PDU mode, and whatever follows is no PDU, even when
	// the message text happens to look like hex.
	Text bool
}

// parseStoredHeader reads the fields after "+CMGL:" or "+CMGR:". Shapes
// seen: "idx,stat,alpha,len", "idx,stat,len" (no alpha, Pantech),
// "stat,,len", "stat,len", "len", ",,len" (empty stat, ZTE), alpha quoted,
// empty, or unquoted with spaces; and the PDU on the same line after a
// space (ModemManager's generic fixture). <length> is not trusted (gammu's
// dumps and nRF91 print wrong ones), so it is not returned.
func parseStoredHeader(rest string, listing bool) (index, stat int, inlinePDU string, text bool) {
	index, stat = -1, -1
	if i := strings.LastIndexByte(rest, ' '); i >= 0 {
		if cand := rest[i+1:]; len(cand) >= 16 && at.LooksHex(cand) {
			inlinePDU = cand
			rest = strings.TrimSpace(rest[:i])
		}
	}
	f := splitFields(rest)
	if listing {
		if n, ok := atoi(f[0]); ok && n >= 0 {
			index = n
		}
		f = f[1:]
	}
	if len(f) > 0 && textStat(f[0]) {
		return index, stat, "", true
	}
	// With a single field left it is the length; otherwise the first is
	// <stat>.
	if len(f) >= 2 {
		if n, ok := atoi(f[0]); ok && n >= 0 && n <= 4 {
			stat = n
		}
	}
	return index, stat, inlinePDU, false
}

// textStat reports a text-mode <stat> ("REC UNREAD", "STO SENT"; 27.005
// 3.1), which a modem in PDU mode never prints.
func textStat(field string) bool {
	if !strings.HasPrefix(field, `"`) {
		return false
	}
	v := strings.ToUpper(unquote(field))
	return strings.HasPrefix(v, "REC ") || strings.HasPrefix(v, "STO ")
}

// parseListing reads an AT+CMGL response. A header's PDU is the next hex
// line before the next header; non-hex lines in between are junk (D-Link
// DWM222 prints a garbage line), kept only when no PDU follows. A header
// whose index cannot be read is skipped: without an index the message can
// be neither re-read nor deleted, and the next listing sees it again.
func parseListing(lines []string) []stored {
	var out []stored
	var cur *stored
	done := false
	flush := func() {
		if cur != nil && cur.Index >= 0 {
			out = append(out, *cur)
		}
		cur = nil
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if rest, ok := afterPrefix(l, "+CMGL"); ok {
			flush()
			idx, stat, inline, text := parseStoredHeader(rest, true)
			cur = &stored{Index: idx, Stat: stat, Text: text}
			done = text
			if inline != "" {
				cur.PDU, cur.Hex, done = inline, true, true
			}
			continue
		}
		if cur == nil || done || l == "" {
			continue
		}
		if at.LooksHex(l) {
			cur.PDU, cur.Hex, done = l, true, true
			continue
		}
		if cur.PDU == "" {
			cur.PDU = l
		}
	}
	flush()
	return out
}

// parseRead reads an AT+CMGR response; ok is false for an empty slot (a
// bare OK, as Quectel answers for an index it announced in the wrong
// memory).
func parseRead(lines []string) (stored, bool) {
	s := stored{Index: -1, Stat: -1}
	header := false
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if rest, ok := afterPrefix(l, "+CMGR"); ok && !header {
			header = true
			_, s.Stat, s.PDU, s.Text = parseStoredHeader(rest, false)
			if s.Text {
				return s, true
			}
			if s.PDU != "" {
				s.Hex = true
				return s, true
			}
			continue
		}
		if l == "" {
			continue
		}
		if at.LooksHex(l) {
			s.PDU, s.Hex = l, true
			return s, true
		}
		if header && s.PDU == "" {
			s.PDU = l
		}
	}
	return s, s.PDU != ""
}

// parseIndication reads "+CMTI: "SM",7" or "+CDSI: "SR",0".
func parseIndication(line string) (mem string, index int, ok bool) {
	i := strings.IndexByte(line, ':')
	if i < 0 {
		return "", 0, false
	}
	f := splitFields(line[i+1:])
	if len(f) < 2 {
		return "", 0, false
	}
	n, ok := atoi(f[len(f)-1])
	if !ok || n < 0 {
		return "", 0, false
	}
	return unquote(f[0]), n, true
}

// parseCLIP returns the caller's number from "+CLIP: "<number>",<type>,...".
// Type 145 is international; a number without its "+" gets one.
func parseCLIP(line string) string {
	rest, ok := afterPrefix(line, "+CLIP")
	if !ok {
		return ""
	}
	f := splitFields(rest)
	num := unquote(f[0])
	if len(f) > 1 {
		if t, ok := atoi(f[1]); ok && t == 145 && num != "" && !strings.HasPrefix(num, "+") {
			num = "+" + num
		}
	}
	return num
}

// cusd is a parsed +CUSD: <n>[,<str>[,<dcs>]] whose <str> may have spanned
// several lines (joined with LF). DCS is -1 when absent.
type cusd struct {
	Status int
	Str    string
	DCS    int
}

func parseCUSD(lines []string) (cusd, bool) {
	if len(lines) == 0 {
		return cusd{}, false
	}
	rest, ok := afterPrefix(strings.Join(lines, "\n"), "+CUSD")
	if !ok {
		return cusd{}, false
	}
	c := cusd{DCS: -1}
	head, tail, hasStr := strings.Cut(rest, ",")
	n, ok := atoi(head)
	if !ok {
		return cusd{}, false
	}
	c.Status = n
	if !hasStr {
		return c, true
	}
	tail = strings.TrimLeft(tail, " ")
	if strings.HasPrefix(tail, `"`) {
		end := strings.LastIndexByte(tail, '"')
		if end <= 0 {
			c.Str = tail[1:]
			return c, true
		}
		c.Str = tail[1:end]
		tail = tail[end+1:]
	} else {
		// Unquoted (Huawei E160): the string runs to the next comma.
		s, after, _ := strings.Cut(tail, ",")
		c.Str = strings.TrimSpace(s)
		tail = "," + after
		if after == "" {
			tail = ""
		}
	}
	if d, ok := strings.CutPrefix(strings.TrimSpace(tail), ","); ok {
		if v, ok := atoi(d); ok {
			c.DCS = v
		}
	}
	return c, true
}
