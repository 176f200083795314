package console

// pager is a cursor in a list of n rows, and the first row on screen.
type pager struct {
	cursor, top int
}

// move moves the cursor for a key; it reports whether the key was one of
// its own.
func (p *pager) move(key string, n, page int) bool {
	switch key {
	case "up", "k":
		p.cursor--
	case "down", "j":
		p.cursor++
	case "pgup":
		p.cursor -= page
	case "pgdown":
		p.cursor += page
	case "home":
		p.cursor = 0
	case "end":
		p.cursor = n - 1
	default:
		return false
	}
	p.clamp(n)
	return true
}

func (p *pager) clamp(n int) { p.cursor = max(0, min(p.cursor, n-1)) }

// window returns the rows [from, to) to draw in h lines, with the cursor
// among them.
func (p *pager) window(n, h int) (from, to int) {
	p.clamp(n)
	if p.cursor < p.top {
		p.top = p.cursor
	}
	if p.cursor >= p.top+h {
		p.top = p.cursor - h + 1
	}
	p.top = max(0, min(p.top, n-h))
	return p.top, min(n, p.top+h)
}
