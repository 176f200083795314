package orders

// SetNewID makes Place take ids from f until restore is called.
func SetNewID(f func() string) (restore func()) {
	old := newID
	newID = f
	return func() { newID = old }
}

// NewID is the id maker Place uses.
func NewID() string { return newID() }
