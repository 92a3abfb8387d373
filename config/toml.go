package config

import (
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// ParseTOML reads a TOML document as configuration entries, so that a .toml
// file can stand wherever a .properties file does.
//
// Keys are flattened: nested tables and dotted keys are joined with '.', so
//
//	[log]
//	retention.hours = 168
//
// and
//
//	"log.retention.hours" = 168
//
// both give the key log.retention.hours. Values become the strings a
// .properties file would hold: strings as they are, integers in decimal,
// floats in Go's shortest form (inf/nan as Java's Infinity/NaN), booleans as
// true/false, dates and times in RFC 3339 form, and arrays of those as their
// elements joined by ',' (so log.dirs = ["/a", "/b"] reads as "/a,/b").
// Arrays of tables and nested arrays are errors. If two spellings flatten to
// the same key, the later one in the document wins, as duplicates do in a
// .properties file.
//
// Entry.Line is the line where the key is written, found by a light scan of
// the document (the TOML library does not expose key positions); when a key
// cannot be placed (e.g. inside an inline table) the line of its nearest
// enclosing table or key is used, and 0 when there is none.
func ParseTOML(r io.Reader) ([]Entry, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	src := string(data)
	var tree map[string]any
	md, err := toml.Decode(src, &tree)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, Errors{{Line: pe.Position.Line, Err: &KafkaError{Msg: pe.Message, Kind: ErrSyntax}}}
		}
		return nil, Errors{{Err: &KafkaError{Msg: err.Error(), Kind: ErrSyntax}}}
	}
	lines := tomlKeyLines(src)
	var (
		entries []Entry
		errs    Errors
		skip    []toml.Key // arrays of tables already reported
	)
	index := map[string]int{}
	for _, k := range md.Keys() {
		if hasKeyPrefix(k, skip) {
			continue
		}
		name := strings.Join(k, ".")
		line := lookupLine(lines, k)
		switch md.Type(k...) {
		case "Hash":
			continue
		case "ArrayHash":
			skip = append(skip, k)
			errs = append(errs, &Error{Line: line, Key: name, Err: &KafkaError{Msg: "arrays of tables are not supported", Kind: ErrSyntax}})
			continue
		}
		v, ok := lookupValue(tree, k)
		if !ok {
			continue
		}
		s, err := tomlString(v)
		if err != nil {
			errs = append(errs, &Error{Line: line, Key: name, Err: &KafkaError{Msg: err.Error(), Kind: ErrSyntax}})
			continue
		}
		if i, dup := index[name]; dup {
			entries = append(entries[:i], entries[i+1:]...)
			for n, j := range index {
				if j > i {
					index[n] = j - 1
				}
			}
		}
		index[name] = len(entries)
		entries = append(entries, Entry{Key: name, Value: s, Line: line})
	}
	return entries, errs.asError()
}

func hasKeyPrefix(k toml.Key, prefixes []toml.Key) bool {
	for _, p := range prefixes {
		if len(p) <= len(k) && equalKeys(p, k[:len(p)]) {
			return true
		}
	}
	return false
}

func equalKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func lookupValue(tree map[string]any, k toml.Key) (any, bool) {
	var cur any = tree
	for _, part := range k {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

const tomlNested = "nested arrays and tables are not supported as values"

// tomlString converts a decoded TOML value to the string a .properties file
// would hold.
func tomlString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		switch {
		case math.IsNaN(x):
			return "NaN", nil
		case math.IsInf(x, 1):
			return "Infinity", nil
		case math.IsInf(x, -1):
			return "-Infinity", nil
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		switch x.Location().String() {
		case "date-local":
			return x.Format("2006-01-02"), nil
		case "time-local":
			return x.Format("15:04:05.999999999"), nil
		case "datetime-local":
			return x.Format("2006-01-02T15:04:05.999999999"), nil
		}
		return x.Format(time.RFC3339Nano), nil
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			switch e.(type) {
			case []any, map[string]any, []map[string]any:
				return "", errors.New(tomlNested)
			}
			s, err := tomlString(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	}
	return "", errors.New(tomlNested)
}

func lookupLine(lines map[string]int, k toml.Key) int {
	for n := len(k); n > 0; n-- {
		if l, ok := lines[strings.Join(k[:n], "\x00")]; ok {
			return l
		}
	}
	return 0
}

// tomlKeyLines scans a TOML document for table headers and key/value lines
// and maps each key path (segments joined by NUL) to the line it is on. It is
// lenient: anything it does not understand is skipped, and the caller falls
// back to a shorter path or to line 0.
func tomlKeyLines(src string) map[string]int {
	s := tomlScanner{src: src, line: 1}
	lines := map[string]int{}
	var table []string
	record := func(path []string, line int) {
		k := strings.Join(path, "\x00")
		if _, ok := lines[k]; !ok {
			lines[k] = line
		}
	}
	for s.pos < len(s.src) {
		s.skipBlanks()
		if s.pos >= len(s.src) {
			break
		}
		switch c := s.src[s.pos]; c {
		case '\n':
			s.pos++
			s.line++
		case '\r':
			s.pos++
		case '#':
			s.skipToEOL()
		case '[':
			s.pos++
			if s.pos < len(s.src) && s.src[s.pos] == '[' {
				s.pos++
			}
			line := s.line
			if segs, ok := s.key(); ok {
				table = segs
				record(table, line)
			}
			s.skipToEOL()
		default:
			line := s.line
			segs, ok := s.key()
			s.skipBlanks()
			if !ok || s.pos >= len(s.src) || s.src[s.pos] != '=' {
				s.skipToEOL()
				continue
			}
			s.pos++
			path := make([]string, 0, len(table)+len(segs))
			path = append(append(path, table...), segs...)
			record(path, line)
			s.skipValue()
		}
	}
	return lines
}

type tomlScanner struct {
	src  string
	pos  int
	line int
}

func (s *tomlScanner) skipBlanks() {
	for s.pos < len(s.src) && (s.src[s.pos] == ' ' || s.src[s.pos] == '\t') {
		s.pos++
	}
}

// skipToEOL moves to the next '\n' (not past it).
func (s *tomlScanner) skipToEOL() {
	for s.pos < len(s.src) && s.src[s.pos] != '\n' {
		s.pos++
	}
}

func isBareKeyChar(c byte) bool {
	return c == '_' || c == '-' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// key reads a dotted key: bare, "basic" or 'literal' segments joined by dots.
func (s *tomlScanner) key() ([]string, bool) {
	var segs []string
	for {
		s.skipBlanks()
		if s.pos >= len(s.src) {
			return nil, false
		}
		var (
			seg string
			ok  bool
		)
		switch c := s.src[s.pos]; {
		case c == '"':
			seg, ok = s.basicKey()
		case c == '\'':
			end := strings.IndexAny(s.src[s.pos+1:], "'\n")
			if end < 0 || s.src[s.pos+1+end] != '\'' {
				return nil, false
			}
			seg, ok = s.src[s.pos+1:s.pos+1+end], true
			s.pos += end + 2
		case isBareKeyChar(c):
			start := s.pos
			for s.pos < len(s.src) && isBareKeyChar(s.src[s.pos]) {
				s.pos++
			}
			seg, ok = s.src[start:s.pos], true
		}
		if !ok {
			return nil, false
		}
		segs = append(segs, seg)
		s.skipBlanks()
		if s.pos < len(s.src) && s.src[s.pos] == '.' {
			s.pos++
			continue
		}
		return segs, true
	}
}

// basicKey reads a "quoted" key segment, decoding its escapes.
func (s *tomlScanner) basicKey() (string, bool) {
	var b strings.Builder
	i := s.pos + 1
	for i < len(s.src) {
		c := s.src[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return b.String(), true
		case c == '\n':
			return "", false
		case c != '\\':
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s.src) {
			return "", false
		}
		e := s.src[i+1]
		i += 2
		switch e {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case '"', '\\':
			b.WriteByte(e)
		case 'x', 'u', 'U':
			n := 8
			switch e {
			case 'x':
				n = 2
			case 'u':
				n = 4
			}
			if i+n > len(s.src) {
				return "", false
			}
			r, err := strconv.ParseUint(s.src[i:i+n], 16, 32)
			if err != nil || !utf8.ValidRune(rune(r)) {
				return "", false
			}
			b.WriteRune(rune(r))
			i += n
		default:
			return "", false
		}
	}
	return "", false
}

// skipValue moves past a value: strings (multi-line ones too), arrays and
// inline tables that span lines, and a trailing comment, up to the end of the
// line where the value ends.
func (s *tomlScanner) skipValue() {
	depth := 0
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '\n':
			if depth <= 0 {
				return
			}
			s.line++
			s.pos++
		case c == '#':
			s.skipToEOL()
		case c == '[' || c == '{':
			depth++
			s.pos++
		case c == ']' || c == '}':
			depth--
			s.pos++
		case strings.HasPrefix(s.src[s.pos:], `"""`):
			s.skipString(`"""`, true)
		case strings.HasPrefix(s.src[s.pos:], `'''`):
			s.skipString(`'''`, false)
		case c == '"':
			s.skipString(`"`, true)
		case c == '\'':
			s.skipString(`'`, false)
		default:
			s.pos++
		}
	}
}

// skipString moves past a string opened by quote at s.pos, counting lines.
func (s *tomlScanner) skipString(quote string, escapes bool) {
	s.pos += len(quote)
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case escapes && c == '\\':
			if s.pos+1 < len(s.src) && s.src[s.pos+1] == '\n' {
				s.line++
			}
			s.pos += 2
		case strings.HasPrefix(s.src[s.pos:], quote):
			s.pos += len(quote)
			// A multi-line string may end with up to two extra quotes.
			for len(quote) == 3 && s.pos < len(s.src) && s.src[s.pos] == quote[0] {
				s.pos++
			}
			return
		case c == '\n':
			if len(quote) == 1 { // unterminated single-line string
				return
			}
			s.line++
			s.pos++
		default:
			s.pos++
		}
	}
}
