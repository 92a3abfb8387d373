package config

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Type is a key's value type, Kafka's ConfigDef.Type.
type Type int

// The value types of Kafka's ConfigDef.
const (
	TypeBoolean Type = iota + 1
	TypeString
	TypeInt
	TypeShort
	TypeLong
	TypeDouble
	TypeList
	TypeClass
	TypePassword
)

// String returns Kafka's name for the type (INT, LONG, ...), as printed in
// "Not a number of type INT".
func (t Type) String() string {
	switch t {
	case TypeBoolean:
		return "BOOLEAN"
	case TypeString:
		return "STRING"
	case TypeInt:
		return "INT"
	case TypeShort:
		return "SHORT"
	case TypeLong:
		return "LONG"
	case TypeDouble:
		return "DOUBLE"
	case TypeList:
		return "LIST"
	case TypeClass:
		return "CLASS"
	case TypePassword:
		return "PASSWORD"
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Value is a parsed configuration value. A null Value is a key with no value
// (Kafka's null default, never set).
type Value struct {
	typ  Type
	null bool
	str  string // trimmed text (for lists: the whole trimmed text)
	num  int64
	f    float64
	b    bool
	list []string
}

// Type returns the value's type.
func (v Value) Type() Type { return v.typ }

// IsNull reports a key that has no value.
func (v Value) IsNull() bool { return v.null }

// Int returns an INT, SHORT or LONG value (LONG values may not fit an int on
// 32-bit platforms; use Int64 for them).
func (v Value) Int() int { return int(v.num) }

// Int64 returns an INT, SHORT or LONG value.
func (v Value) Int64() int64 { return v.num }

// Float64 returns a DOUBLE value.
func (v Value) Float64() float64 { return v.f }

// Bool returns a BOOLEAN value.
func (v Value) Bool() bool { return v.b }

// Text returns the trimmed text the value was parsed from (passwords in clear).
func (v Value) Text() string { return v.str }

// List returns a fresh copy of a LIST value's elements.
func (v Value) List() []string { return slices.Clone(v.list) }

// String returns the value as Kafka's ConfigDef.convertToString prints it
// (lists joined by ','; doubles as Java prints them), except that passwords
// print as "[hidden]". A null value prints as "".
func (v Value) String() string {
	if v.null {
		return ""
	}
	switch v.typ {
	case TypeBoolean:
		return strconv.FormatBool(v.b)
	case TypeInt, TypeShort, TypeLong:
		return strconv.FormatInt(v.num, 10)
	case TypeDouble:
		return javaDouble(v.f)
	case TypeList:
		return strings.Join(v.list, ",")
	case TypePassword:
		return "[hidden]"
	}
	return v.str
}

// javaString is the value as Java's toString prints the parsed object, which
// is what ConfigException messages show for validator failures.
func (v Value) javaString() string {
	if v.null {
		return "null"
	}
	if v.typ == TypeList {
		return "[" + strings.Join(v.list, ", ") + "]"
	}
	return v.String()
}

// javaTrim is Java's String.trim: it strips every character <= ' '.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// isRegexSpace is Java's regex \s: space, \t, \n, \x0B, \f, \r.
func isRegexSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// splitCommaList splits s like Java's s.split("\\s*,\\s*", -1): at every
// comma, dropping \s characters around the commas, keeping empty items.
func splitCommaList(s string) []string {
	parts := strings.Split(s, ",")
	last := len(parts) - 1
	for i, p := range parts {
		if i > 0 {
			p = strings.TrimLeftFunc(p, isRegexSpace)
		}
		if i < last {
			p = strings.TrimRightFunc(p, isRegexSpace)
		}
		parts[i] = p
	}
	return parts
}

// parseValue converts text to a typed value as ConfigDef.parseType does:
// the text is trimmed first. On failure it returns Kafka's reason.
func parseValue(t Type, text string) (Value, string) {
	s := javaTrim(text)
	v := Value{typ: t, str: s}
	switch t {
	case TypeBoolean:
		switch {
		case strings.EqualFold(s, "true"):
			v.b = true
		case strings.EqualFold(s, "false"):
		default:
			return v, "Expected value to be either true or false"
		}
	case TypeInt, TypeShort, TypeLong:
		bits := 64
		switch t {
		case TypeInt:
			bits = 32
		case TypeShort:
			bits = 16
		}
		n, ok := parseJavaInt(s, bits)
		if !ok {
			return v, "Not a number of type " + t.String()
		}
		v.num = n
	case TypeDouble:
		f, ok := parseJavaDouble(s)
		if !ok {
			return v, "Not a number of type DOUBLE"
		}
		v.f = f
	case TypeList:
		if s != "" {
			v.list = splitCommaList(s)
		} else {
			v.list = []string{}
		}
	case TypeString, TypeClass, TypePassword:
	default:
		return v, "unknown type " + t.String()
	}
	return v, ""
}

// Validator checks a parsed value, as Kafka's ConfigDef.Validator does.
type Validator struct {
	// Desc is Kafka's "Valid Values" text, e.g. "[1,...]" or "[compact, delete]".
	Desc  string
	check func(v Value) error
}

// Check runs the validator. A failure is a *ValueError (its Key is empty until
// a registry fills it in) or another error whose text stands on its own.
func (vd Validator) Check(v Value) error {
	if vd.check == nil || v.null {
		return nil
	}
	return vd.check(v)
}

// Invalid builds the failure a validator returns: Kafka's
// "Invalid value <shown> for configuration <key>: <reason>", the key being
// filled in by the registry.
func Invalid(shown, reason string) error {
	return &ValueError{Value: shown, Reason: reason}
}

// Number is a bound for AtLeast, AtMost and Between. Integer bounds print as
// integers and float bounds as Java doubles ("0.5", "1.0"), as Kafka's do.
type Number interface{ ~int | ~int64 | ~float64 }

func numberText[N Number](n N) string {
	switch x := any(n).(type) {
	case float64:
		return javaDouble(x)
	}
	return strconv.FormatInt(int64(n), 10)
}

func numberOf(v Value) float64 {
	if v.typ == TypeDouble {
		return v.f
	}
	return float64(v.num)
}

// AtLeast is ConfigDef.Range.atLeast: "Value must be at least N".
func AtLeast[N Number](min N) Validator {
	return bounds(min, N(0), true, false)
}

// AtMost fails with "Value must be no more than N".
func AtMost[N Number](max N) Validator {
	return bounds(N(0), max, false, true)
}

// Between is ConfigDef.Range.between: both bounds, inclusive.
func Between[N Number](min, max N) Validator { return bounds(min, max, true, true) }

func bounds[N Number](min, max N, hasMin, hasMax bool) Validator {
	desc := "[...]"
	switch {
	case hasMin && hasMax:
		desc = "[" + numberText(min) + ",...," + numberText(max) + "]"
	case hasMin:
		desc = "[" + numberText(min) + ",...]"
	case hasMax:
		desc = "[...," + numberText(max) + "]"
	}
	return Validator{Desc: desc, check: func(v Value) error {
		n := numberOf(v)
		if hasMin && n < float64(min) {
			return Invalid(v.javaString(), "Value must be at least "+numberText(min))
		}
		if hasMax && n > float64(max) {
			return Invalid(v.javaString(), "Value must be no more than "+numberText(max))
		}
		return nil
	}}
}

// OneOf is ConfigDef.ValidString.in (and ValidList.in for LIST keys, checking
// every element): "String must be one of: a, b".
func OneOf(valid ...string) Validator {
	return Validator{Desc: "[" + strings.Join(valid, ", ") + "]", check: func(v Value) error {
		for _, s := range elements(v) {
			if !slices.Contains(valid, s) {
				return Invalid(s, "String must be one of: "+strings.Join(valid, ", "))
			}
		}
		return nil
	}}
}

// OneOfFold is ConfigDef.CaseInsensitiveValidString.in:
// "String must be one of (case insensitive): A, B".
func OneOfFold(valid ...string) Validator {
	return Validator{Desc: "(case insensitive) [" + strings.Join(valid, ", ") + "]", check: func(v Value) error {
		for _, s := range elements(v) {
			if !slices.ContainsFunc(valid, func(x string) bool { return strings.EqualFold(x, s) }) {
				return Invalid(s, "String must be one of (case insensitive): "+strings.Join(valid, ", "))
			}
		}
		return nil
	}}
}

func elements(v Value) []string {
	if v.typ == TypeList {
		return v.list
	}
	return []string{v.str}
}

// NonEmpty is ConfigDef.NonEmptyString: "String must be non-empty".
func NonEmpty() Validator {
	return Validator{Desc: "non-empty string", check: func(v Value) error {
		if v.str == "" {
			return Invalid("", "String must be non-empty")
		}
		return nil
	}}
}

// Custom wraps a check of one's own. It returns nil, Invalid(shown, reason),
// a plain error (its text becomes the reason and the value is shown as
// Kafka's toString of it), or a *KafkaError (its text stands alone).
func Custom(desc string, check func(v Value) error) Validator {
	return Validator{Desc: desc, check: check}
}

// Def is one key of a registry: its name, default, documentation, type,
// validators and where its value goes in the typed struct T.
type Def[T any] struct {
	Name string
	Type Type
	// Default is the default as Kafka documents it, in text form.
	Default string
	// NoDefault marks Kafka's null default: the key has no value until set,
	// and Set is not called for it.
	NoDefault  bool
	Doc        string
	Validators []Validator
	// Set stores a parsed value into the typed struct; nil for keys that are
	// only reachable through Settings.Get.
	Set func(c *T, v Value)
}

// patternDef accepts a family of keys such as server.N or listener.name.*.
type patternDef[T any] struct {
	Prefix     string
	Doc        string
	Type       Type
	Validators []Validator
	Match      func(suffix string) bool
	Set        func(c *T, suffix string, v Value, ck *checker)
}

// KeyInfo describes one key of a registry.
type KeyInfo struct {
	Name string
	Type Type
	// Default is Kafka's default in text form; HasDefault is false for keys
	// whose default is null (Default is then "null").
	Default    string
	HasDefault bool
	Doc        string
	// ValidValues is Kafka's "Valid Values" column ("" when unconstrained).
	ValidValues string
}

// Registry is the set of keys of one kind of configuration, and how to build
// the typed struct T from layers of entries. Registries are built by
// functions (BrokerRegistry, ...) and never change once built.
type Registry[T any] struct {
	kind     string
	defs     []Def[T]
	index    map[string]int
	patterns []patternDef[T]
	settings func(c *T) *Settings
	finish   func(c *T, ck *checker)
}

func newRegistry[T any](kind string, defs []Def[T], patterns []patternDef[T], settings func(*T) *Settings, finish func(*T, *checker)) *Registry[T] {
	r := &Registry[T]{kind: kind, defs: defs, index: make(map[string]int, len(defs)), patterns: patterns, settings: settings, finish: finish}
	for i, d := range defs {
		if _, dup := r.index[d.Name]; dup {
			panic("config: key " + d.Name + " defined twice in the " + kind + " registry")
		}
		r.index[d.Name] = i
	}
	return r
}

// Kind names the registry ("broker", "zookeeper", "producer", ...).
func (r *Registry[T]) Kind() string { return r.kind }

// Keys lists the registry's keys in definition order.
func (r *Registry[T]) Keys() []KeyInfo {
	out := make([]KeyInfo, len(r.defs))
	for i, d := range r.defs {
		out[i] = keyInfo(d)
	}
	return out
}

// Lookup describes one key.
func (r *Registry[T]) Lookup(name string) (KeyInfo, bool) {
	i, ok := r.index[name]
	if !ok {
		return KeyInfo{}, false
	}
	return keyInfo(r.defs[i]), true
}

func keyInfo[T any](d Def[T]) KeyInfo {
	ki := KeyInfo{Name: d.Name, Type: d.Type, Default: d.Default, HasDefault: !d.NoDefault, Doc: d.Doc}
	if d.NoDefault {
		ki.Default = "null"
	}
	var descs []string
	for _, v := range d.Validators {
		descs = append(descs, v.Desc)
	}
	ki.ValidValues = strings.Join(descs, ", ")
	return ki
}

// Known reports whether name is a key of the registry (including families
// such as server.N).
func (r *Registry[T]) Known(name string) bool {
	if _, ok := r.index[name]; ok {
		return true
	}
	_, _, ok := r.pattern(name)
	return ok
}

func (r *Registry[T]) pattern(name string) (patternDef[T], string, bool) {
	for _, p := range r.patterns {
		if suffix, ok := strings.CutPrefix(name, p.Prefix); ok && (p.Match == nil || p.Match(suffix)) {
			return p, suffix, true
		}
	}
	return patternDef[T]{}, "", false
}

// Origin tells where an explicitly set key got its value.
type Origin struct {
	File  string // file path or command-line source name
	Line  int    // see Error for its meaning
	Value string // the text as written, before trimming
	layer int
	seq   int
}

// Settings is what a load saw, kept inside every typed config: the parsed
// value of every key, and which keys were set explicitly and where. It is
// never changed after the load; its accessors return copies.
type Settings struct {
	values  map[string]Value
	set     map[string]Origin
	unknown map[string]Origin
}

// IsSet reports whether key was given explicitly (in a file or an override),
// known or not.
func (s Settings) IsSet(key string) bool {
	if _, ok := s.set[key]; ok {
		return true
	}
	_, ok := s.unknown[key]
	return ok
}

// Get returns the parsed value of a registered key (its default when it was
// not set; a null Value when it has no default), or of a set key of a family
// such as server.N.
func (s Settings) Get(key string) (Value, bool) {
	v, ok := s.values[key]
	if ok && v.list != nil {
		v.list = slices.Clone(v.list)
	}
	return v, ok
}

// Origin tells where an explicitly set key came from.
func (s Settings) Origin(key string) (Origin, bool) {
	if o, ok := s.set[key]; ok {
		return o, true
	}
	o, ok := s.unknown[key]
	return o, ok
}

// Originals returns every explicitly set key with its text as written, known
// and unknown keys alike (Kafka's AbstractConfig.originals()).
func (s Settings) Originals() map[string]string {
	out := make(map[string]string, len(s.set)+len(s.unknown))
	for k, o := range s.set {
		out[k] = o.Value
	}
	for k, o := range s.unknown {
		out[k] = o.Value
	}
	return out
}

// UnknownKeys lists the keys that were set but are not in the registry,
// sorted.
func (s Settings) UnknownKeys() []string {
	out := make([]string, 0, len(s.unknown))
	for k := range s.unknown {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checker collects the errors and warnings of one build and lets cross-key
// rules place their errors at the key they concern.
type checker struct {
	values   map[string]Value
	set      map[string]Origin
	mainFile string
	errs     []rankedError
	warns    []Warning
	seq      int
}

type rankedError struct {
	err   *Error
	layer int // -1: no place
	line  int
	seq   int
}

func (ck *checker) isSet(key string) bool { _, ok := ck.set[key]; return ok }

func (ck *checker) value(key string) Value { return ck.values[key] }

// fail records err against key, placed where key was set, or at the last
// file layer (line 0; no place without one) when it was not.
func (ck *checker) fail(key string, err error) {
	ck.seq++
	if o, ok := ck.set[key]; ok {
		ck.errs = append(ck.errs, rankedError{&Error{File: o.File, Line: o.Line, Key: key, Err: err}, o.layer, o.Line, ck.seq})
		return
	}
	ck.errs = append(ck.errs, rankedError{&Error{File: ck.mainFile, Key: key, Err: err}, -1, 0, ck.seq})
}

// invalid records a Kafka message that is not of the "Invalid value" form.
func (ck *checker) invalid(key, msg string) {
	ck.fail(key, &KafkaError{Msg: msg, Kind: ErrInvalidValue})
}

// require records "requirement failed: msg" (Scala's require) unless ok.
func (ck *checker) require(ok bool, key, msg string) {
	if !ok {
		ck.invalid(key, "requirement failed: "+msg)
	}
}

func (ck *checker) warn(key, msg string) {
	w := Warning{File: ck.mainFile, Key: key, Msg: msg}
	if o, ok := ck.set[key]; ok {
		w.File, w.Line = o.File, o.Line
	}
	ck.warns = append(ck.warns, w)
}

// Build makes the typed config from layers applied in order over the
// registry's defaults: a later layer's value for a key replaces an earlier
// one's, and only the final value of each key is parsed and validated (as
// Kafka merges Properties before parsing). Unknown keys become warnings.
// Every problem is collected; the returned error, if any, is an Errors.
// When there are errors, the returned config holds defaults for the bad keys.
func (r *Registry[T]) Build(layers ...Layer) (T, []Warning, error) {
	var cfg T
	ck := &checker{values: map[string]Value{}, set: map[string]Origin{}}
	unknown := map[string]Origin{}
	seq := 0
	for li, l := range layers {
		if l.file {
			ck.mainFile = l.Name
		}
		for _, e := range l.Entries {
			seq++
			o := Origin{File: l.Name, Line: e.Line, Value: e.Value, layer: li, seq: seq}
			if r.Known(e.Key) {
				ck.set[e.Key] = o
			} else {
				unknown[e.Key] = o
			}
		}
	}

	for _, d := range r.defs {
		v, ok := r.defaultValue(d, ck)
		if o, set := ck.set[d.Name]; set {
			if pv, err := parseAndCheck(d.Name, d.Type, d.Validators, o.Value); err != nil {
				ck.fail(d.Name, err)
			} else {
				v, ok = pv, true
			}
		}
		ck.values[d.Name] = v
		if ok && !v.null && d.Set != nil {
			d.Set(&cfg, v)
		}
	}

	var patternKeys []string
	for k := range ck.set {
		if _, isDef := r.index[k]; !isDef {
			patternKeys = append(patternKeys, k)
		}
	}
	slices.SortFunc(patternKeys, func(a, b string) int { return cmp.Compare(ck.set[a].seq, ck.set[b].seq) })
	for _, k := range patternKeys {
		p, suffix, _ := r.pattern(k)
		v, err := parseAndCheck(k, p.Type, p.Validators, ck.set[k].Value)
		if err != nil {
			ck.fail(k, err)
			continue
		}
		ck.values[k] = v
		if p.Set != nil {
			p.Set(&cfg, suffix, v, ck)
		}
	}

	var warns []Warning
	unknownKeys := make([]string, 0, len(unknown))
	for k := range unknown {
		unknownKeys = append(unknownKeys, k)
	}
	slices.SortFunc(unknownKeys, func(a, b string) int { return cmp.Compare(unknown[a].seq, unknown[b].seq) })
	for _, k := range unknownKeys {
		o := unknown[k]
		warns = append(warns, Warning{File: o.File, Line: o.Line, Key: k, Msg: "unknown key, ignored", Err: ErrUnknownKey})
	}

	if r.finish != nil {
		r.finish(&cfg, ck)
	}
	warns = append(warns, ck.warns...)
	*r.settings(&cfg) = Settings{values: ck.values, set: ck.set, unknown: unknown}

	slices.SortStableFunc(ck.errs, func(a, b rankedError) int {
		if (a.layer < 0) != (b.layer < 0) {
			if a.layer < 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.layer, b.layer), cmp.Compare(a.line, b.line), cmp.Compare(a.seq, b.seq))
	})
	errs := make(Errors, len(ck.errs))
	for i, re := range ck.errs {
		errs[i] = re.err
	}
	return cfg, warns, errs.asError()
}

func (r *Registry[T]) defaultValue(d Def[T], ck *checker) (Value, bool) {
	if d.NoDefault {
		return Value{typ: d.Type, null: true}, false
	}
	v, err := parseAndCheck(d.Name, d.Type, nil, d.Default)
	if err != nil {
		ck.fail(d.Name, fmt.Errorf("bad built-in default: %w", err))
		return Value{typ: d.Type, null: true}, false
	}
	return v, true
}

// parseAndCheck parses text as type t and runs the validators, returning
// Kafka's ConfigException text on failure.
func parseAndCheck(key string, t Type, validators []Validator, text string) (Value, error) {
	v, reason := parseValue(t, text)
	if reason != "" {
		return v, &ValueError{Key: key, Value: text, Reason: reason}
	}
	for _, vd := range validators {
		if err := vd.Check(v); err != nil {
			return v, placeError(key, v, err)
		}
	}
	return v, nil
}

func placeError(key string, v Value, err error) error {
	switch e := err.(type) {
	case *ValueError:
		c := *e
		c.Key = key
		return &c
	case *KafkaError:
		return e
	}
	return &ValueError{Key: key, Value: v.javaString(), Reason: err.Error()}
}

// Defaults builds the config from defaults alone, ignoring errors such as a
// missing required key.
func (r *Registry[T]) Defaults() T {
	c, _, _ := r.Build()
	return c
}

// Load builds the config from the registry's defaults, then the file at path
// (".toml" files are read as TOML, anything else as .properties; "" means no
// file), then overrides, which are "k=v" arguments read with
// ParseKeyValueArgs and placed as "--override:N" in messages.
//
// A file that cannot be read returns at once with an error wrapping the
// os error (fs.ErrNotExist for a missing file; its text names the path).
// Otherwise every problem is collected: syntax errors of the file, bad values,
// missing keys and cross-key rules come back together as one Errors, one
// problem per line, and unknown keys come back as warnings.
func (r *Registry[T]) Load(path string, overrides []string) (T, []Warning, error) {
	var (
		layers []Layer
		errs   Errors
	)
	if path != "" {
		l, err := ReadLayer(path)
		if err != nil {
			es, ok := err.(Errors)
			if !ok {
				var zero T
				return zero, nil, err
			}
			errs = append(errs, es...)
		}
		layers = append(layers, l)
	}
	if len(overrides) > 0 {
		layers = append(layers, ArgsLayer("--override", overrides))
	}
	cfg, warns, err := r.Build(layers...)
	built, _ := err.(Errors)
	return cfg, warns, mergeByLine(errs, built).asError()
}

// mergeByLine places a file's syntax errors among the errors of a build
// (which are in source and line order) by line number.
func mergeByLine(syntax, built Errors) Errors {
	out := make(Errors, 0, len(syntax)+len(built))
	i := 0
	for _, b := range built {
		for i < len(syntax) && (b.File != syntax[i].File || b.Line == 0 || b.Line > syntax[i].Line) {
			out = append(out, syntax[i])
			i++
		}
		out = append(out, b)
	}
	return append(out, syntax[i:]...)
}

const maxInt32 = math.MaxInt32
