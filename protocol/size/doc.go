// Package size reads the pack sizes shoppers and catalogs write: "5kg",
// "5 kg", "1 L", "1.5ltr", "500 gm", "1/2 kg", "aadha kilo", "6 pcs",
// "1 dozen". A size is kept in base units (grams, millilitres, pieces) so
// that "1 kg" and "1000 g" are the same size.
package size
