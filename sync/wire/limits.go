package wire

// Bounds on every money and stock figure, at every entry on either end
// (CSV, CLI, admin API, operator SMS, sync). They are far above any
// neighbourhood shop's figures and far below where sums of them could
// wrap an int64: a cart of many lines at MaxPrice times MaxStock units
// still fits.
const (
	// MaxPrice is the highest price of one unit, in paise: Rs 10,00,000.
	MaxPrice = 10_00_000_00
	// MaxStock is the most units of one item on hand, in one order line
	// or in one stock movement.
	MaxStock = 1_000_000
)
