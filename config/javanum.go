package config

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Number parsing and printing with Java's rules, so that what is accepted and
// what error messages print match Kafka's ConfigDef.

// parseJavaInt parses like Integer.parseInt / Short.parseShort / Long.parseLong
// (bits 32, 16, 64): an optional sign and ASCII decimal digits, in range.
func parseJavaInt(s string, bits int) (int64, bool) {
	if s == "" {
		return 0, false
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if body == "" {
		return 0, false
	}
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		return 0, false
	}
	return n, true
}

// parseJavaDouble parses like Double.parseDouble: blanks (chars <= ' ') are
// trimmed; an optional sign; NaN, Infinity, decimal with optional exponent,
// or hexadecimal with a binary exponent; an optional f/F/d/D suffix.
// Values too large become ±Infinity, as in Java.
func parseJavaDouble(s string) (float64, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if s == "" {
		return 0, false
	}
	body := s
	neg := false
	if body[0] == '+' || body[0] == '-' {
		neg = body[0] == '-'
		body = body[1:]
	}
	switch body {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	if n := len(body); n > 0 && strings.IndexByte("fFdD", body[n-1]) >= 0 {
		body = body[:n-1]
	}
	if !javaFloatSyntax(body) {
		return 0, false
	}
	f, err := strconv.ParseFloat(body, 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	if neg {
		f = -f
	}
	return f, true
}

// javaFloatSyntax checks an unsigned, suffix-free Java floating literal.
func javaFloatSyntax(s string) bool {
	digits := func(s string, i int, hex bool) int {
		for i < len(s) {
			c := s[i]
			if ('0' <= c && c <= '9') || (hex && (('a' <= c && c <= 'f') || ('A' <= c && c <= 'F'))) {
				i++
				continue
			}
			break
		}
		return i
	}
	exponent := func(s string, i int, marks string) (int, bool) {
		if i >= len(s) || strings.IndexByte(marks, s[i]) < 0 {
			return i, false
		}
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(s, i, false)
		return j, j > i
	}
	hex := len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
	i := 0
	if hex {
		i = 2
	}
	j := digits(s, i, hex)
	n := j - i
	if j < len(s) && s[j] == '.' {
		k := digits(s, j+1, hex)
		n += k - j - 1
		j = k
	}
	if n == 0 {
		return false
	}
	if hex {
		k, ok := exponent(s, j, "pP")
		return ok && k == len(s)
	}
	if j == len(s) {
		return true
	}
	k, ok := exponent(s, j, "eE")
	return ok && k == len(s)
}

// javaDouble is JavaDouble; the registries print defaults with it.
func javaDouble(f float64) string { return JavaDouble(f) }

// JavaDouble prints f as Java's Double.toString does: "1.0", "0.5",
// "1.0E7", "1.7976931348623157E308", "NaN", "Infinity".
func JavaDouble(f float64) string { return javaFloating(f, 64) }

// JavaFloat prints f as Java's Float.toString does.
func JavaFloat(f float32) string { return javaFloating(float64(f), 32) }

// javaFloating renders the shortest digits that identify f at the given
// precision (64 or 32 bits) in Java's layout: plain decimal with at least one
// fraction digit for magnitudes in [1e-3, 1e7), otherwise d.dddE<exp>.
func javaFloating(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	sign := ""
	if f < 0 {
		sign = "-"
		f = -f
	}
	// Shortest digits and decimal exponent: d.dddde±x
	e := strconv.FormatFloat(f, 'e', -1, bits)
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.Replace(mant, ".", "", 1)
	if f >= 1e-3 && f < 1e7 {
		var intPart, frac string
		if exp >= 0 {
			if len(digits) <= exp+1 {
				intPart = digits + strings.Repeat("0", exp+1-len(digits))
			} else {
				intPart, frac = digits[:exp+1], digits[exp+1:]
			}
		} else {
			intPart = "0"
			frac = strings.Repeat("0", -exp-1) + digits
		}
		if frac == "" {
			frac = "0"
		}
		return sign + intPart + "." + frac
	}
	frac := digits[1:]
	if frac == "" {
		frac = "0"
	}
	return sign + digits[:1] + "." + frac + "E" + strconv.Itoa(exp)
}
