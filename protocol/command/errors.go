package command

import "errors"

// Errors from Operator.Check, saying what is wrong with an operator's SMS.
var (
	// ErrPIN means the PIN is missing or not 4 to 8 digits.
	ErrPIN = errors.New("operator pin missing or malformed")
	// ErrVerb means a verb that is not one of the Op... constants.
	ErrVerb = errors.New("unknown operator command")
	// ErrArgs means the verb's arguments are missing or malformed.
	ErrArgs = errors.New("wrong operator arguments")
)
