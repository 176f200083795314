package config

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// checkTypes walks the file's settings, decoded into plain maps, against
// Config's fields. Each setting of the wrong type becomes a Problem that
// says what was expected with an example in the operator's own value, and
// is removed from raw, so the rest of the file still decodes and every
// mistake is reported in one run. Unknown settings are removed too.
func checkTypes(raw map[string]any, lines map[string]int) []Problem {
	return checkTable(raw, reflect.TypeOf(Config{}), "", lines)
}

var (
	durationType = reflect.TypeOf(Duration{})
	rupeesType   = reflect.TypeOf(Rupees{})
)

func checkTable(raw map[string]any, t reflect.Type, prefix string, lines map[string]int) []Problem {
	fields := make(map[string]reflect.StructField)
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("toml"), ","); name != "" {
			fields[name] = f
		}
	}
	var probs []Problem
	bad := func(key, msg string) {
		probs = append(probs, Problem{Line: lines[prefix+key], Field: prefix + key, Msg: msg})
		delete(raw, key)
	}
	for _, key := range sortedKeys(raw) {
		v := raw[key]
		f, ok := fields[key]
		if !ok {
			bad(key, "unknown setting"+suggest(key, fields))
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != durationType && ft != rupeesType {
			sub, ok := v.(map[string]any)
			if !ok {
				bad(key, fmt.Sprintf("expected a section [%s%s], found %s", prefix, key, describe(v)))
				continue
			}
			probs = append(probs, checkTable(sub, ft, prefix+key+".", lines)...)
			continue
		}
		if msg := checkValue(key, v, ft); msg != "" {
			bad(key, msg)
		}
	}
	return probs
}

// checkValue says what is wrong with v as a value of type t, or "".
func checkValue(key string, v any, t reflect.Type) string {
	want := func(what, example string) string {
		return fmt.Sprintf("expected %s, found %s; for example: %s = %s", what, describe(v), key, example)
	}
	switch t {
	case durationType:
		s, ok := v.(string)
		if !ok {
			return want(`a duration in quotes`, strconv.Quote(exampleDuration(v)))
		}
		var d Duration
		if err := d.UnmarshalText([]byte(s)); err != nil {
			return want(`a duration in quotes such as "30s", "5m" or "2h"`, `"5m"`)
		}
		return ""
	case rupeesType:
		switch v.(type) {
		case int64, float64:
			return ""
		}
		return want("an amount of rupees as a number, without quotes", exampleNumber(v, "100"))
	}
	if reflect.PointerTo(t).Implements(reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()) {
		if _, ok := v.(string); !ok {
			return want("text in quotes", strconv.Quote(fmt.Sprint(v)))
		}
		return ""
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return want("text in quotes", strconv.Quote(fmt.Sprint(v)))
		}
	case reflect.Int, reflect.Int64:
		if _, ok := v.(int64); !ok {
			return want("a whole number, without quotes", exampleNumber(v, "100"))
		}
	case reflect.Float64:
		switch v.(type) {
		case int64, float64:
		default:
			return want("a number, without quotes", exampleNumber(v, "0.5"))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return want("true or false, without quotes", "true")
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return want("a list of text in quotes", fmt.Sprintf("[%q]", fmt.Sprint(v)))
		}
		for _, e := range list {
			if _, ok := e.(string); !ok {
				return want("a list of text in quotes", fmt.Sprintf("[%q]", fmt.Sprint(e)))
			}
		}
	}
	return ""
}

// describe names a decoded TOML value the way an operator wrote it.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", x)
	case int64, float64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return fmt.Sprintf("%v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "a section"
	case time.Time:
		return "a date"
	}
	return fmt.Sprintf("%v", v)
}

// exampleNumber is the operator's text as a bare number when it is one.
func exampleNumber(v any, fallback string) string {
	if s, ok := v.(string); ok {
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return strings.TrimSpace(s)
		}
	}
	return fallback
}

// exampleDuration turns a bare number into seconds, the likeliest meaning.
func exampleDuration(v any) string {
	if n, ok := v.(int64); ok {
		return fmt.Sprintf("%ds", n)
	}
	return "5m"
}

// suggest names the known setting one typo away, if any.
func suggest(key string, fields map[string]reflect.StructField) string {
	for _, name := range sortedKeys(fields) {
		if editDistance(key, name) <= 2 {
			return fmt.Sprintf(" (did you mean %s?)", name)
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
