package config

import (
	"io"
	"strings"
	"unicode/utf16"
)

// Entry is one key/value pair read from a file or a command line, with the
// place it came from: for files the 1-based line where the entry starts, for
// command-line arguments the 1-based position of the argument.
type Entry struct {
	Key   string
	Value string
	Line  int
}

// errMalformedUnicode is java.util.Properties' text for a bad \uXXXX escape.
const errMalformedUnicode = `Malformed \uxxxx encoding.`

// ParseProperties reads a stream the way java.util.Properties.load(InputStream)
// does and returns its entries in file order (duplicates included; the last
// one wins when they are merged, see PropertiesMap).
//
// The rules, all of Java's:
//   - the bytes are ISO-8859-1: each byte is one character (U+0000..U+00FF);
//     other characters are written as \uXXXX (UTF-16 surrogate pairs combine);
//   - lines end at "\n", "\r" or "\r\n"; blank lines are skipped;
//   - a line whose first non-blank character is '#' or '!' is a comment and
//     cannot be continued (as in Java 9 and later, this also holds for a
//     continuation line when the logical line is still empty);
//   - a line ending in an odd number of backslashes continues on the next
//     line, whose leading blanks (space, tab, form feed) are dropped;
//   - the key ends at the first unescaped '=', ':', space, tab or form feed;
//     blanks, then one '=' or ':', then blanks are skipped; the rest of the
//     line is the value, trailing blanks included;
//   - escapes \t \n \r \f \uXXXX; a backslash before any other character
//     stands for that character;
//   - a malformed \uXXXX (fewer than four hex digits) is an error with Java's
//     text "Malformed \uxxxx encoding.".
//
// Every malformed entry is reported (as Errors, with line numbers and no
// file name) and left out; the other entries are still returned.
func ParseProperties(r io.Reader) ([]Entry, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return parsePropertiesBytes(data)
}

// ParsePropertiesMap is ParseProperties merged into a map, last entry winning.
func ParsePropertiesMap(r io.Reader) (map[string]string, error) {
	entries, err := ParseProperties(r)
	return PropertiesMap(entries), err
}

// PropertiesMap merges entries into a map; a later entry for a key wins.
func PropertiesMap(entries []Entry) map[string]string {
	m := make(map[string]string, len(entries))
	for _, e := range entries {
		m[e.Key] = e.Value
	}
	return m
}

// ParseKeyValueArgs reads "k=v" command-line arguments the way Kafka's
// CommandLineUtils.parseKeyValueArgs does (--override, --property,
// --producer-property, --consumer-property ...): each argument is split at its
// first '='; "k" alone and "k=" both give the value ""; nothing is unescaped
// or trimmed. Entry.Line is the argument's 1-based position.
func ParseKeyValueArgs(args []string) []Entry {
	out := make([]Entry, 0, len(args))
	for i, a := range args {
		k, v, _ := strings.Cut(a, "=")
		out = append(out, Entry{Key: k, Value: v, Line: i + 1})
	}
	return out
}

func parsePropertiesBytes(data []byte) ([]Entry, error) {
	lr := lineReader{data: data, line: 1}
	var (
		entries []Entry
		errs    Errors
	)
	for {
		buf, start, ok := lr.next()
		if !ok {
			break
		}
		keyRaw, valRaw := splitKeyValue(buf)
		key, ok := unescape(keyRaw)
		if !ok {
			errs = append(errs, &Error{Line: start, Err: &KafkaError{Msg: errMalformedUnicode, Kind: ErrSyntax}})
			continue
		}
		val, ok := unescape(valRaw)
		if !ok {
			errs = append(errs, &Error{Line: start, Key: key, Err: &KafkaError{Msg: errMalformedUnicode, Kind: ErrSyntax}})
			continue
		}
		entries = append(entries, Entry{Key: key, Value: val, Line: start})
	}
	return entries, errs.asError()
}

// lineReader splits a byte stream into logical lines, with Java's rules for
// blanks, comments, line terminators and continuations.
type lineReader struct {
	data []byte
	pos  int
	line int // line number of data[pos]
}

// read returns the next byte and the line it is on, advancing the line count
// past "\n", "\r" and "\r\n" (counted once).
func (lr *lineReader) read() (byte, int) {
	c := lr.data[lr.pos]
	line := lr.line
	if c == '\r' || (c == '\n' && (lr.pos == 0 || lr.data[lr.pos-1] != '\r')) {
		lr.line++
	}
	lr.pos++
	return c, line
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\f' }

// next returns the next logical line (continuations joined, the joining
// backslashes removed, escapes still in place), the line its first
// character is on, and false at the end of the input. It follows the
// LineReader of Java 9 and later: a '#' or '!' seen while the logical line
// is still empty starts a comment, even right after a continuation.
func (lr *lineReader) next() (buf []byte, start int, ok bool) {
	skipBlank := true     // skipping blanks before the next character
	inComment := false    // consuming a comment up to the end of its line
	continuation := false // blanks being skipped begin a continuation line
	backslash := false    // the last character is an unpaired backslash
	skipLF := false       // drop a '\n' right after a continuing '\r'
	for {
		if lr.pos >= len(lr.data) {
			if len(buf) == 0 || inComment {
				return nil, 0, false
			}
			if backslash {
				buf = buf[:len(buf)-1]
			}
			return buf, start, true
		}
		c, line := lr.read()
		if skipLF {
			skipLF = false
			if c == '\n' {
				continue
			}
		}
		if skipBlank {
			if isBlank(c) {
				continue
			}
			if !continuation && (c == '\r' || c == '\n') {
				continue
			}
			skipBlank = false
			continuation = false
		}
		if inComment {
			if c == '\n' || c == '\r' {
				inComment = false
				skipBlank = true
			}
			continue
		}
		if len(buf) == 0 && (c == '#' || c == '!') {
			inComment = true
			continue
		}
		if c != '\n' && c != '\r' {
			if len(buf) == 0 {
				start = line
			}
			buf = append(buf, c)
			backslash = c == '\\' && !backslash
			continue
		}
		// End of a physical line.
		if len(buf) == 0 {
			skipBlank = true
			continue
		}
		if lr.pos >= len(lr.data) {
			if backslash {
				buf = buf[:len(buf)-1]
			}
			return buf, start, true
		}
		if !backslash {
			return buf, start, true
		}
		buf = buf[:len(buf)-1]
		skipBlank = true
		continuation = true
		backslash = false
		if c == '\r' {
			skipLF = true
		}
	}
}

// splitKeyValue finds the key and the value of a logical line.
func splitKeyValue(line []byte) (key, value []byte) {
	keyLen := 0
	valueStart := len(line)
	hasSep := false
	backslash := false
	for keyLen < len(line) {
		c := line[keyLen]
		if (c == '=' || c == ':') && !backslash {
			valueStart = keyLen + 1
			hasSep = true
			break
		}
		if isBlank(c) && !backslash {
			valueStart = keyLen + 1
			break
		}
		backslash = c == '\\' && !backslash
		keyLen++
	}
	for valueStart < len(line) {
		c := line[valueStart]
		if !isBlank(c) {
			if !hasSep && (c == '=' || c == ':') {
				hasSep = true
			} else {
				break
			}
		}
		valueStart++
	}
	return line[:keyLen], line[valueStart:]
}

// unescape applies the properties escapes to ISO-8859-1 bytes; false means
// a malformed \uXXXX escape.
func unescape(in []byte) (string, bool) {
	plain := true
	for _, c := range in {
		if c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return string(in), true
	}
	out := make([]uint16, 0, len(in))
	for i := 0; i < len(in); {
		c := in[i]
		i++
		if c != '\\' {
			out = append(out, uint16(c))
			continue
		}
		if i >= len(in) { // cannot happen for a logical line; drop it
			break
		}
		c = in[i]
		i++
		switch c {
		case 'u':
			if len(in)-i < 4 {
				return "", false
			}
			var v uint16
			for _, h := range in[i : i+4] {
				d, ok := hexDigit(h)
				if !ok {
					return "", false
				}
				v = v<<4 | uint16(d)
			}
			i += 4
			out = append(out, v)
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'n':
			out = append(out, '\n')
		case 'f':
			out = append(out, '\f')
		default:
			out = append(out, uint16(c))
		}
	}
	return string(utf16.Decode(out)), true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
