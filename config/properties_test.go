package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestParseProperties(t *testing.T) {
	type kv = Entry
	tests := []struct {
		name string
		in   string
		want []Entry
	}{
		{"equals", "a=b", []kv{{"a", "b", 1}}},
		{"colon", "a:b", []kv{{"a", "b", 1}}},
		{"space", "a b", []kv{{"a", "b", 1}}},
		{"tab", "a\tb", []kv{{"a", "b", 1}}},
		{"formfeed", "a\fb", []kv{{"a", "b", 1}}},
		{"spaces around equals", "a = b", []kv{{"a", "b", 1}}},
		{"spaces around colon", "a  :  b", []kv{{"a", "b", 1}}},
		{"only one separator consumed", "a==b", []kv{{"a", "=b", 1}}},
		{"space then equals then colon", "a = :b", []kv{{"a", ":b", 1}}},
		{"key only", "key", []kv{{"key", "", 1}}},
		{"key and separator", "key=", []kv{{"key", "", 1}}},
		{"key and blanks", "key   ", []kv{{"key", "", 1}}},
		{"empty key", "=v", []kv{{"", "v", 1}}},
		{"leading blanks", "   \t\fa=b", []kv{{"a", "b", 1}}},
		{"trailing blanks kept", "a=b  \t", []kv{{"a", "b  \t", 1}}},
		{"hash comment", "# c\na=b", []kv{{"a", "b", 2}}},
		{"bang comment", "! c\na=b", []kv{{"a", "b", 2}}},
		{"indented comment", "   # c\na=b", []kv{{"a", "b", 2}}},
		{"hash in value", "a=b#c", []kv{{"a", "b#c", 1}}},
		{"comment not continued", "# c \\\na=b", []kv{{"a", "b", 2}}},
		{"blank lines", "\n\n  \n\ta=b\n\n", []kv{{"a", "b", 4}}},
		{"crlf", "a=1\r\nb=2\r\n", []kv{{"a", "1", 1}, {"b", "2", 2}}},
		{"cr", "a=1\rb=2\r", []kv{{"a", "1", 1}, {"b", "2", 2}}},
		{"mixed terminators", "a=1\r\r\nb=2\n\rc=3", []kv{{"a", "1", 1}, {"b", "2", 3}, {"c", "3", 5}}},
		{"continuation", "a=b\\\n   c", []kv{{"a", "bc", 1}}},
		{"continuation crlf", "a=b\\\r\n\t c\r\nd=e", []kv{{"a", "bc", 1}, {"d", "e", 3}}},
		{"continuation cr", "a=b\\\r  c\rd=e", []kv{{"a", "bc", 1}, {"d", "e", 3}}},
		{"continuation line number", "x=1\na=b\\\nc\\\nd\ne=f", []kv{{"x", "1", 1}, {"a", "bcd", 2}, {"e", "f", 5}}},
		{"even backslashes do not continue", "a=b\\\\\nc=d", []kv{{"a", "b\\", 1}, {"c", "d", 2}}},
		{"three backslashes continue", "a=b\\\\\\\nc", []kv{{"a", "b\\c", 1}}},
		{"continuation of key", "ke\\\n  y=v", []kv{{"key", "v", 1}}},
		{"continuation line starting with hash is data", "a=\\\n#x", []kv{{"a", "#x", 1}}},
		// Java 9+: a '#' or '!' while the logical line is still empty is a comment.
		{"empty continuation then comment", "\\\n  !x\na=b", []kv{{"a", "b", 3}}},
		{"empty continuation then data", "\\\n  x=1", []kv{{"x", "1", 2}}},
		{"continuation into empty line ends entry", "a=b\\\n\nc=d", []kv{{"a", "b", 1}, {"c", "d", 3}}},
		{"backslash at eof dropped", "a=b\\", []kv{{"a", "b", 1}}},
		{"lone backslash at eof", "\\", []kv{{"", "", 1}}},
		{"lone backslash line then eof", "\\\n", []kv{{"", "", 1}}},
		{"lone backslash then blank line", "\\\n\na=b", []kv{{"a", "b", 3}}},
		{"escapes", `a=\t\n\r\f`, []kv{{"a", "\t\n\r\f", 1}}},
		{"escaped backslash", `a=x\\y`, []kv{{"a", `x\y`, 1}}},
		{"other escapes stand for the char", `a=\q\=\:\ \#\!`, []kv{{"a", "q=: #!", 1}}},
		{"escaped separators in key", `a\=b\:c\ d=e`, []kv{{"a=b:c d", "e", 1}}},
		{"escaped leading space in value", `a=\  b`, []kv{{"a", "  b", 1}}},
		{"unicode escape", `a=\u0041\u00e9\u20AC`, []kv{{"a", "Aé€", 1}}},
		{"surrogate pair", `a=\uD83D\uDE00`, []kv{{"a", "😀", 1}}},
		{"lone surrogate", `a=\uD83D`, []kv{{"a", "\uFFFD", 1}}},
		{"unicode in key", `\u006b=v`, []kv{{"k", "v", 1}}},
		{"latin1 bytes", "a=\xe9\xff", []kv{{"a", "éÿ", 1}}},
		{"utf8 bytes read as latin1", "a=\xc3\xa9", []kv{{"a", "Ã©", 1}}},
		{"duplicates kept in order", "a=1\na=2", []kv{{"a", "1", 1}, {"a", "2", 2}}},
		{"nul byte", "a=\x00", []kv{{"a", "\x00", 1}}},
		{"empty input", "", nil},
		{"only comments", "#a\n!b\n", nil},
		{"value with equals", "url=http://x?a=b", []kv{{"url", "http://x?a=b", 1}}},
		{"windows path needs escapes", `dir=C:\\tmp\\kafka`, []kv{{"dir", `C:\tmp\kafka`, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProperties(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseProperties(%q)\n got  %+v\n want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParsePropertiesMalformedUnicode(t *testing.T) {
	in := "a=1\nb=\\u12\nc=3\n\\uZZZZ=4\nd=\\u00411\ne=\\u"
	got, err := ParseProperties(strings.NewReader(in))
	want := []Entry{{"a", "1", 1}, {"c", "3", 3}, {"d", "A1", 5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries = %+v, want %+v", got, want)
	}
	var es Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("err = %v, want 3 errors", err)
	}
	wantText := "line 2: b: Malformed \\uxxxx encoding.\nline 4: Malformed \\uxxxx encoding.\nline 6: e: Malformed \\uxxxx encoding."
	if err.Error() != wantText {
		t.Errorf("err text:\n%s\nwant:\n%s", err, wantText)
	}
	if !errors.Is(err, ErrSyntax) {
		t.Error("errors.Is(err, ErrSyntax) = false")
	}
}

func TestParsePropertiesMap(t *testing.T) {
	m, err := ParsePropertiesMap(strings.NewReader("a=1\nb=2\na=3"))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"a": "3", "b": "2"}; !reflect.DeepEqual(m, want) {
		t.Errorf("got %v, want %v", m, want)
	}
}

func TestParseKeyValueArgs(t *testing.T) {
	got := ParseKeyValueArgs([]string{"a=b", "key", "key2=", "k=v=w", "=x", "", `t=\t`, " s = v "})
	want := []Entry{
		{"a", "b", 1}, {"key", "", 2}, {"key2", "", 3}, {"k", "v=w", 4},
		{"", "x", 5}, {"", "", 6}, {"t", `\t`, 7}, {" s ", " v ", 8},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestReadLayerMissingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope.properties")
	_, err := ReadLayer(p)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), p) {
		t.Errorf("error %q does not name the path", err)
	}
}

// escapeProperty writes s so that ParseProperties reads it back unchanged,
// in key or value position.
func escapeProperty(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\f':
			b.WriteString(`\f`)
		case strings.ContainsRune("=: #!", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7e:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04X`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func FuzzParseProperties(f *testing.F) {
	for _, s := range []string{
		"a=b\n", "a b\r\nc:d\r", "# x\n! y\n", "a=b\\\n  c", `k=\u0041\t`, `k=\u12`,
		"\\", "\\\n\n", "a=\xe9", "=\n:\n \n", "key\\ with\\ spaces = v  ",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parsePropertiesBytes(data)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
		lines := 1 + strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") +
			strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r")
		for _, e := range entries {
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("entry %q at line %d of %d", e.Key, e.Line, lines)
			}
		}
		// Writing the entries back escaped and reading them again gives
		// the same keys and values.
		var b strings.Builder
		for _, e := range entries {
			b.WriteString(escapeProperty(e.Key) + "=" + escapeProperty(e.Value) + "\n")
		}
		again, err := ParseProperties(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("re-reading %q: %v", b.String(), err)
		}
		if len(again) != len(entries) {
			t.Fatalf("re-read %d entries, want %d", len(again), len(entries))
		}
		for i := range again {
			if again[i].Key != entries[i].Key || again[i].Value != entries[i].Value {
				t.Fatalf("entry %d: re-read %q=%q, want %q=%q", i, again[i].Key, again[i].Value, entries[i].Key, entries[i].Value)
			}
		}
	})
}
