package config

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// testConf is a small registry exercising every type and validator.
type testConf struct {
	Settings
	I  int
	S  int
	L  int64
	D  float64
	B  bool
	St string
	Li []string
	P  string
	C  string
	N  string
}

func testRegistry() *Registry[testConf] {
	type T = testConf
	defs := []Def[T]{
		kInt("i", "1", "an int", func(c *T, n int) { c.I = n }, AtLeast(1), AtMost(10)),
		kShort("s", "2", "a short", func(c *T, n int) { c.S = n }),
		kLong("l", "3", "a long", func(c *T, n int64) { c.L = n }, Between(-1, 100)),
		kDouble("d", "0.5", "a double", func(c *T, f float64) { c.D = f }, Between(0.0, 1.0)),
		kBool("b", "false", "a bool", func(c *T, v bool) { c.B = v }),
		kString("st", "x", "a string", func(c *T, s string) { c.St = s }, OneOf("x", "y")),
		kList("li", "a,b", "a list", func(c *T, l []string) { c.Li = l }, OneOf("a", "b", "c")),
		{Name: "p", Type: TypePassword, NoDefault: true, Doc: "a password", Set: func(c *T, v Value) { c.P = v.Text() }},
		kClass("c", "org.example.Foo", "a class", func(c *T, s string) { c.C = s }),
		null(kString("n", "", "no default", func(c *T, s string) { c.N = s }, NonEmpty())),
		kString[T]("fold", "PLAINTEXT", "case-insensitive", nil, OneOfFold("PLAINTEXT", "SSL")),
	}
	return newRegistry("test", defs, nil, func(c *T) *Settings { return &c.Settings }, nil)
}

func TestRegistryDefaults(t *testing.T) {
	c := testRegistry().Defaults()
	if c.I != 1 || c.S != 2 || c.L != 3 || c.D != 0.5 || c.B || c.St != "x" || strings.Join(c.Li, ",") != "a,b" ||
		c.P != "" || c.C != "org.example.Foo" || c.N != "" {
		t.Errorf("defaults: %+v", c)
	}
	if v, ok := c.Get("n"); !ok || !v.IsNull() {
		t.Errorf("n: %v %v, want null", v, ok)
	}
	if c.IsSet("i") {
		t.Error("IsSet(i) on defaults")
	}
}

func TestRegistryParsing(t *testing.T) {
	tests := []struct {
		key, value string
		check      func(testConf) bool
	}{
		{"i", " 7 ", func(c testConf) bool { return c.I == 7 }},
		{"i", "+7", func(c testConf) bool { return c.I == 7 }},
		{"i", "007", func(c testConf) bool { return c.I == 7 }},
		{"s", "-32768", func(c testConf) bool { return c.S == -32768 }},
		{"l", "-1", func(c testConf) bool { return c.L == -1 }},
		{"d", "1", func(c testConf) bool { return c.D == 1 }},
		{"d", ".25", func(c testConf) bool { return c.D == 0.25 }},
		{"d", "2.5e-1", func(c testConf) bool { return c.D == 0.25 }},
		{"d", "0.5d", func(c testConf) bool { return c.D == 0.5 }},
		{"d", "0x1p-2", func(c testConf) bool { return c.D == 0.25 }},
		{"b", "TRUE", func(c testConf) bool { return c.B }},
		{"b", " true\t", func(c testConf) bool { return c.B }},
		{"st", "  y  ", func(c testConf) bool { return c.St == "y" }},
		{"li", " a , c,b ", func(c testConf) bool { return strings.Join(c.Li, "|") == "a|c|b" }},
		{"li", "", func(c testConf) bool { return len(c.Li) == 0 }},
		{"p", " secret ", func(c testConf) bool { return c.P == "secret" }},
		{"n", "v", func(c testConf) bool { return c.N == "v" }},
		{"fold", "ssl", func(c testConf) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			c, w, err := testRegistry().Build(MapLayer("m", map[string]string{tt.key: tt.value}))
			if err != nil || len(w) != 0 {
				t.Fatalf("err %v, warnings %v", err, w)
			}
			if !tt.check(c) {
				t.Errorf("unexpected config %+v", c)
			}
			if !c.IsSet(tt.key) {
				t.Error("not IsSet")
			}
			if o, _ := c.Origin(tt.key); o.Value != tt.value || o.File != "m" {
				t.Errorf("origin %+v", o)
			}
		})
	}
}

func TestRegistryInvalidValues(t *testing.T) {
	tests := []struct{ key, value, want string }{
		{"i", "abc", "Invalid value abc for configuration i: Not a number of type INT"},
		{"i", "1.5", "Invalid value 1.5 for configuration i: Not a number of type INT"},
		{"i", "2147483648", "Invalid value 2147483648 for configuration i: Not a number of type INT"},
		{"i", "", "Invalid value  for configuration i: Not a number of type INT"},
		{"i", "1_000", "Invalid value 1_000 for configuration i: Not a number of type INT"},
		{"i", "0", "Invalid value 0 for configuration i: Value must be at least 1"},
		{"i", " 011 ", "Invalid value 11 for configuration i: Value must be no more than 10"},
		{"s", "32768", "Invalid value 32768 for configuration s: Not a number of type SHORT"},
		{"l", "x", "Invalid value x for configuration l: Not a number of type LONG"},
		{"l", "101", "Invalid value 101 for configuration l: Value must be no more than 100"},
		{"l", "-2", "Invalid value -2 for configuration l: Value must be at least -1"},
		{"d", "x", "Invalid value x for configuration d: Not a number of type DOUBLE"},
		{"d", "1e", "Invalid value 1e for configuration d: Not a number of type DOUBLE"},
		{"d", "inf", "Invalid value inf for configuration d: Not a number of type DOUBLE"},
		{"d", "2", "Invalid value 2.0 for configuration d: Value must be no more than 1.0"},
		{"d", "-0.5", "Invalid value -0.5 for configuration d: Value must be at least 0.0"},
		{"b", "yes", "Invalid value yes for configuration b: Expected value to be either true or false"},
		{"b", "yes ", "Invalid value yes  for configuration b: Expected value to be either true or false"},
		{"st", "z", "Invalid value z for configuration st: String must be one of: x, y"},
		{"st", "X", "Invalid value X for configuration st: String must be one of: x, y"},
		{"li", "a,d", "Invalid value d for configuration li: String must be one of: a, b, c"},
		{"li", "a,", "Invalid value  for configuration li: String must be one of: a, b, c"},
		{"n", " ", "Invalid value  for configuration n: String must be non-empty"},
		{"fold", "tls", "Invalid value tls for configuration fold: String must be one of (case insensitive): PLAINTEXT, SSL"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			c, _, err := testRegistry().Build(ArgsLayer("--override", []string{tt.key + "=" + tt.value}))
			if err == nil {
				t.Fatal("no error")
			}
			var ve *ValueError
			if !errors.As(err, &ve) {
				t.Fatalf("no ValueError in %v", err)
			}
			if ve.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", ve.Error(), tt.want)
			}
			if want := "--override:1: " + tt.key + ": " + tt.want; err.Error() != want {
				t.Errorf("got  %q\nwant %q", err.Error(), want)
			}
			if !errors.Is(err, ErrInvalidValue) {
				t.Error("not ErrInvalidValue")
			}
			// A bad key keeps its default.
			d := testRegistry().Defaults()
			if c.I != d.I || c.St != d.St {
				t.Errorf("bad value not replaced by default: %+v", c)
			}
		})
	}
}

func TestRegistryLayersAndCollection(t *testing.T) {
	file, err := ParseLayer("test.properties", []byte("i=abc\nunknown.key=1\nst=z\nb=true\nl=500\n"))
	if err != nil {
		t.Fatal(err)
	}
	// The override fixes l; only final values are checked.
	c, w, err := testRegistry().Build(file, ArgsLayer("--override", []string{"d=5", "l=50", "other=x"}))
	want := strings.Join([]string{
		"test.properties:1: i: Invalid value abc for configuration i: Not a number of type INT",
		"test.properties:3: st: Invalid value z for configuration st: String must be one of: x, y",
		"--override:1: d: Invalid value 5.0 for configuration d: Value must be no more than 1.0",
	}, "\n")
	if err == nil || err.Error() != want {
		t.Fatalf("errors:\n%v\nwant:\n%s", err, want)
	}
	var es Errors
	if !errors.As(err, &es) || len(es) != 3 || es[0].Line != 1 || es[1].File != "test.properties" || es[2].File != "--override" {
		t.Errorf("Errors: %#v", es)
	}
	if len(w) != 2 || w[0].String() != "test.properties:2: unknown.key: unknown key, ignored" ||
		w[1].String() != "--override:3: other: unknown key, ignored" || !errors.Is(w[0], ErrUnknownKey) {
		t.Errorf("warnings: %v", w)
	}
	if w[0].KafkaClientMessage() != "The configuration 'unknown.key' was supplied but isn't a known config." {
		t.Error(w[0].KafkaClientMessage())
	}
	if !c.B || c.L != 50 {
		t.Errorf("good values not applied: %+v", c)
	}
	if got := c.Originals(); got["other"] != "x" || got["l"] != "50" || got["b"] != "true" || len(got) != 7 {
		t.Errorf("originals %v", got)
	}
	if got := c.UnknownKeys(); strings.Join(got, ",") != "other,unknown.key" {
		t.Errorf("unknown keys %v", got)
	}
}

func TestRegistryKeys(t *testing.T) {
	r := testRegistry()
	ki, ok := r.Lookup("i")
	if !ok || ki.Type != TypeInt || ki.Default != "1" || !ki.HasDefault || ki.ValidValues != "[1,...], [...,10]" {
		t.Errorf("Lookup(i) = %+v", ki)
	}
	ki, _ = r.Lookup("n")
	if ki.HasDefault || ki.Default != "null" {
		t.Errorf("Lookup(n) = %+v", ki)
	}
	if len(r.Keys()) != 11 || r.Kind() != "test" || !r.Known("p") || r.Known("zz") {
		t.Error("Keys/Kind/Known")
	}
	if _, ok := r.Lookup("zz"); ok {
		t.Error("Lookup(zz)")
	}
}

func TestValueString(t *testing.T) {
	c, _, _ := testRegistry().Build(MapLayer("m", map[string]string{"p": "pw", "li": "a, b"}))
	for key, want := range map[string]string{"i": "1", "d": "0.5", "b": "false", "li": "a,b", "p": "[hidden]", "n": "", "st": "x"} {
		v, _ := c.Get(key)
		if v.String() != want {
			t.Errorf("%s: String() = %q, want %q", key, v.String(), want)
		}
	}
	v, _ := c.Get("li")
	l := v.List()
	l[0] = "changed"
	if v2, _ := c.Get("li"); v2.List()[0] != "a" {
		t.Error("List() shares storage")
	}
}

func TestJavaDouble(t *testing.T) {
	tests := map[float64]string{
		0: "0.0", 1: "1.0", 0.5: "0.5", -2.25: "-2.25", 100: "100.0", 1234567: "1234567.0",
		1e7: "1.0E7", 1.5e7: "1.5E7", 0.001: "0.001", 0.0001: "1.0E-4", 1.7976931348623157e308: "1.7976931348623157E308",
		math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", 0.9: "0.9", 0.05: "0.05", 123.456: "123.456",
	}
	for f, want := range tests {
		if got := javaDouble(f); got != want {
			t.Errorf("javaDouble(%v) = %q, want %q", f, got, want)
		}
	}
	if javaDouble(math.NaN()) != "NaN" {
		t.Error("NaN")
	}
}

func TestParseJavaDouble(t *testing.T) {
	good := map[string]float64{
		"1": 1, "1.": 1, ".5": 0.5, "+2": 2, "-2": -2, "1e3": 1000, "1E+3": 1000, "1e-3": 0.001, "2f": 2, "2D": 2,
		"0x10p0": 16, "0X1.8P1": 3, " 3 ": 3, "1.7976931348623157E308": math.MaxFloat64, "1e400": math.Inf(1),
		"Infinity": math.Inf(1), "-Infinity": math.Inf(-1),
	}
	for s, want := range good {
		if got, ok := parseJavaDouble(s); !ok || got != want {
			t.Errorf("parseJavaDouble(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	if f, ok := parseJavaDouble("NaN"); !ok || !math.IsNaN(f) {
		t.Error("NaN")
	}
	for _, s := range []string{"", ".", "e3", "1e", "inf", "infinity", "nan", "0x10", "1_0", "1.0.0", "--1", "0x", "1 2", "d"} {
		if _, ok := parseJavaDouble(s); ok {
			t.Errorf("parseJavaDouble(%q) accepted", s)
		}
	}
}

func TestJavaTrimAndListSplit(t *testing.T) {
	if got := javaTrim("\x00\x01 a b\x1f\t"); got != "a b" {
		t.Errorf("javaTrim = %q", got)
	}
	if got := javaTrim("\u00a0a\u00a0"); got != "\u00a0a\u00a0" {
		t.Errorf("javaTrim strips non-breaking spaces: %q", got)
	}
	tests := map[string][]string{
		"a":           {"a"},
		"a,b":         {"a", "b"},
		"a , b ,\tc":  {"a", "b", "c"},
		"a,,b":        {"a", "", "b"},
		"a,":          {"a", ""},
		",a":          {"", "a"},
		"a\x01 , b":   {"a\x01", "b"},
		"a b, c d":    {"a b", "c d"},
		"x\u00a0, y":  {"x\u00a0", "y"},
		"a \n,\r\n b": {"a", "b"},
		"a\x0b,\x0cb": {"a", "b"},
	}
	for in, want := range tests {
		if got := splitCommaList(in); strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("splitCommaList(%q) = %q, want %q", in, got, want)
		}
	}
	c, _, err := testRegistry().Build(MapLayer("m", map[string]string{"i": "\x00 5 \x01", "li": " a ,\x02b\x02"}))
	if err == nil || c.I != 5 {
		// Only the ends of the whole value are trimmed: "\x02b" is not one of a, b, c.
		t.Errorf("err %v, i %d", err, c.I)
	}
}

func TestLayers(t *testing.T) {
	if !IsTOML("a/b.toml") || !IsTOML("X.TOML") || IsTOML("a.properties") || IsTOML("toml") {
		t.Error("IsTOML")
	}
	l, err := ReadLayerFS(DistFiles, "dist/consumer.properties")
	if err != nil || l.Name != "dist/consumer.properties" || len(l.Entries) != 2 {
		t.Fatalf("%v %+v", err, l)
	}
	if _, err := ReadLayerFS(DistFiles, "dist/none.properties"); err == nil {
		t.Error("missing embedded file")
	}
	m := MapLayer("flags", map[string]string{"b": "2", "a": "1"})
	if m.Entries[0].Key != "a" || m.Entries[1].Key != "b" || m.Entries[0].Line != 0 {
		t.Errorf("%+v", m)
	}
	e := EntriesLayer("x.properties", []Entry{{"i", "zz", 4}}, true)
	_, _, err = testRegistry().Build(e)
	if err == nil || err.Error() != "x.properties:4: i: Invalid value zz for configuration i: Not a number of type INT" {
		t.Errorf("%v", err)
	}
	e = EntriesLayer("--prop", []Entry{{"i", "zz", 0}}, false)
	_, _, err = testRegistry().Build(e)
	if err == nil || err.Error() != "--prop: i: Invalid value zz for configuration i: Not a number of type INT" {
		t.Errorf("%v", err)
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "f", Line: 3, Key: "k", Err: ErrMissing}, "f:3: k: config: missing required configuration"},
		{Error{File: "f", Key: "k", Err: ErrMissing}, "f: k: config: missing required configuration"},
		{Error{Line: 2, Err: ErrSyntax}, "line 2: config: syntax error"},
		{Error{Key: "k", Err: ErrInvalidValue}, "k: config: invalid value"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
	for _, s := range []error{ErrUnknownKey, ErrInvalidValue, ErrMissing, ErrSyntax} {
		if !strings.HasPrefix(s.Error(), "config: ") {
			t.Errorf("sentinel %q lacks the package prefix", s)
		}
	}
}

func TestMergeByLine(t *testing.T) {
	syn := Errors{{File: "f", Line: 2}, {File: "f", Line: 9}}
	built := Errors{{File: "f", Line: 1}, {File: "f", Line: 5}, {File: "--override", Line: 1}, {File: "f", Line: 0}}
	var got []string
	for _, e := range mergeByLine(syn, built) {
		got = append(got, location(e.File, e.Line))
	}
	if want := "f:1 f:2 f:5 f:9 --override:1 f"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}
