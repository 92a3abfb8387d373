package cluster

import (
	"strings"
	"unicode"
)

// Small pieces of Java's standard library whose exact behaviour reaches
// Kafka's messages.

// javaParseInt is java.lang.Integer.parseInt(s) (radix 10): an optional '+'
// or '-', then digits as Character.digit accepts them (any BMP decimal digit,
// not only ASCII), within int32. The error is Java's NumberFormatException
// message, For input string: "<s>".
func javaParseInt(s string) (int32, error) {
	fail := func() (int32, error) {
		return 0, newErr(ErrNumberFormat, ClassNumberFormat, "For input string: \"%s\"", s)
	}
	if s == "" {
		return fail()
	}
	rs := []rune(s)
	neg := false
	i := 0
	if rs[0] < '0' {
		switch rs[0] {
		case '-':
			neg = true
		case '+':
		default:
			return fail()
		}
		if len(rs) == 1 {
			return fail()
		}
		i = 1
	}
	var v int64
	for ; i < len(rs); i++ {
		d := javaDigit(rs[i])
		if d < 0 {
			return fail()
		}
		v = v*10 + int64(d)
		if v > 1<<31 {
			return fail()
		}
	}
	if neg {
		v = -v
	}
	if v > 1<<31-1 || v < -1<<31 {
		return fail()
	}
	return int32(v), nil
}

// javaDigit is Character.digit(ch, 10) for a char (BMP only; a supplementary
// character is two chars to Java, neither of them a digit).
func javaDigit(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r > 0xFFFF || !unicode.Is(unicode.Nd, r) {
		return -1
	}
	// Decimal digits come in runs of ten starting at a zero.
	for _, rg := range unicode.Nd.R16 {
		if uint16(r) >= rg.Lo && uint16(r) <= rg.Hi && rg.Stride == 1 {
			return int(uint16(r)-rg.Lo) % 10
		}
	}
	return -1
}

// javaSplit is String.split(sep) with a one-character, non-regex separator and
// limit 0: trailing empty strings are dropped, and a string without the
// separator splits to itself (so "" gives [""]).
func javaSplit(s, sep string) []string {
	if !strings.Contains(s, sep) {
		return []string{s}
	}
	parts := strings.Split(s, sep)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// javaTrim is String.trim: strips chars <= U+0020 at both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}
