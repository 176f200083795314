package shop

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/protocol/render"
	"github.com/tokrihq/tokri/protocol/text"
)

// How far a name is cut when the whole one leaves the reply no room.
const (
	shortItem = 16
	tinyItem  = 10
)

// dropGone takes out of the cart the items no longer sold, withdrawn by
// the central office or made inactive here alike, and remembers them so
// the reply starts by saying so. A cart that silently lost a line would
// leave the shopper wondering where it went.
func (c *conv) dropGone() error {
	if len(c.cart.Lines) == 0 {
		return nil
	}
	kept := c.cart.Lines[:0:0]
	var gone []string
	for _, l := range c.cart.Lines {
		_, ok, err := c.active(l.SKU)
		if err != nil {
			return fmt.Errorf("cart item: %w", err)
		}
		if ok {
			kept = append(kept, l)
			continue
		}
		it, err := catalog.Get(c.btx, l.SKU) // for the name of what went
		switch {
		case errors.Is(err, catalog.ErrNotFound):
			gone = append(gone, l.SKU) // no name left to give
		case err != nil:
			return fmt.Errorf("cart item: %w", err)
		case !it.Active:
			gone = append(gone, c.label(it))
		default:
			kept = append(kept, l)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	c.cart.Lines, c.gone = kept, gone
	c.s.log.Info().Int("items", len(gone)).Msg("items no longer sold taken out of a cart")
	return nil
}

// goneNotes are the ways to say what dropGone took out, longest first:
// one item by its name cut shorter and shorter, in the full sentence and
// then the short one; several by their number.
func (c *conv) goneNotes() []string {
	switch len(c.gone) {
	case 0:
		return nil
	case 1:
	default:
		return []string{text.Format(c.lang, text.WithdrawnSome, len(c.gone))}
	}
	var notes []string
	for _, v := range []struct {
		k text.Key
		n int
	}{{text.Withdrawn, maxItem}, {text.Withdrawn, shortItem}, {text.WithdrawnShort, maxItem}, {text.WithdrawnShort, shortItem}, {text.WithdrawnShort, tinyItem}} {
		note := text.Format(c.lang, v.k, clip(c.gone[0], v.n))
		if len(notes) == 0 || note != notes[len(notes)-1] {
			notes = append(notes, note)
		}
	}
	return notes
}

// fit fits s to the shopper's budget after the longest note on items no
// longer sold that leaves s whole. When none does, s loses whole
// sentences from its end (its standing instructions, which the shopper
// has seen before) rather than be cut mid-word; only when even its first
// sentence leaves no room is it cut.
func (c *conv) fit(s string) render.Reply {
	if n := c.notice(s); n != "" {
		for _, body := range sentencePrefixes(s) {
			if r := c.fitGone(n + " " + body); !r.Truncated {
				return r
			}
		}
	}
	return c.fitGone(s)
}

// fitGone is fit without the notice.
func (c *conv) fitGone(s string) render.Reply {
	budget := render.Budget(c.lang)
	notes := c.goneNotes()
	if len(notes) == 0 {
		return render.Fit(s, c.lang, budget)
	}
	for _, body := range sentencePrefixes(s) {
		for _, n := range notes {
			if r := render.Fit(strings.TrimSpace(n+" "+body), c.lang, budget); !r.Truncated {
				return r
			}
		}
	}
	return render.Fit(strings.TrimSpace(notes[len(notes)-1]+" "+s), c.lang, budget)
}

// sentencePrefixes are s, then s without its last sentence, and so on
// down to its first sentence. A sentence ends at ". ", "! ", "? " or
// the danda "। ".
func sentencePrefixes(s string) []string {
	out := []string{s}
	for i := len(s) - 1; i > 0; i-- {
		if s[i] != ' ' {
			continue
		}
		head := s[:i]
		if strings.HasSuffix(head, ".") || strings.HasSuffix(head, "!") || strings.HasSuffix(head, "?") || strings.HasSuffix(head, "।") {
			out = append(out, head)
		}
	}
	return out
}

// page renders the page of l that starts at first, headed by the longest
// note on items no longer sold that keeps the page whole (cut, as fit
// cuts, when none does).
func (c *conv) page(l render.List, first int) render.Page {
	if n := c.notice(""); n != "" {
		withNote := l
		withNote.Head = strings.TrimSpace(n + "\n" + l.Head)
		if p := c.pageGone(withNote, first); !p.Truncated {
			return p
		}
	}
	return c.pageGone(l, first)
}

// pageGone is page without the notice.
func (c *conv) pageGone(l render.List, first int) render.Page {
	budget := render.Budget(c.lang)
	notes := c.goneNotes()
	if len(notes) == 0 {
		return render.PageAt(l, first, c.lang, budget)
	}
	// Each note above the list's head, then in its place: it says more
	// than "Cart:" or a greeting does.
	var heads []string
	for _, n := range notes {
		if l.Head != "" {
			heads = append(heads, n+"\n"+l.Head)
		}
		heads = append(heads, n)
	}
	var p render.Page
	for _, h := range heads {
		l.Head = h
		if p = render.PageAt(l, first, c.lang, budget); !p.Truncated {
			return p
		}
	}
	return p
}
