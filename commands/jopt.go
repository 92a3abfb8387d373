package commands

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

// Kafka's tools parse their command lines with jopt-simple 5.0.4. urfave/cli
// stops at the first positional word and has no optional-value flags, so every
// applet runs with SkipFlagParsing and hands its arguments to this parser,
// which follows jopt's grammar and messages (reference/cli.md §0.1).

type argKind int

const (
	noArg       argKind = iota // --sync
	requiredArg                // --topic <String: topic>
	optionalArg                // --compression-codec [String: compression-codec]
)

// option is one jopt OptionSpec: what the parser accepts and what help prints.
type option struct {
	name    string
	desc    string
	arg     argKind
	typ     string   // argument type shown in help: String (default), Integer, Long
	argDesc string   // jopt describedAs
	deflt   []string // default values shown in help
	// required marks a jopt required/requiredUnless option: the parser
	// reports it missing unless one of unless is present; help prints a
	// required option (not a requiredUnless one) with "* ".
	required bool
	unless   []string
	// hidden options are accepted but left out of help: later Kafka
	// versions' additions (console consumer --include) that 2.8's help
	// does not list.
	hidden bool
}

// options is a tool's whole option parser, in declaration order.
type options []option

// defaultOptions are CommandDefaultOptions' --help and --version.
func defaultOptions() options {
	return options{
		{name: "help", desc: "Print usage information."},
		{name: "version", desc: "Display Kafka version."},
	}
}

// helpRequired is jopt's isRequired as the help formatter sees it: a
// requiredUnless option is not starred (Kafka 2.8.2's console producer help
// shows --bootstrap-server without "* ").
func (opt option) helpRequired() bool { return opt.required && len(opt.unless) == 0 }

func (o options) lookup(name string) (option, bool) {
	for _, opt := range o {
		if opt.name == name {
			return opt, true
		}
	}
	return option{}, false
}

// joptError is an exception jopt-simple throws; class is its simple name.
type joptError struct {
	class string
	msg   string
}

func (e *joptError) Error() string { return e.msg }

// exception renders the error as the JVM prints an uncaught exception.
func (e *joptError) exception() string {
	return "Exception in thread \"main\" joptsimple." + e.class + ": " + e.msg
}

// parsedArgs is jopt's OptionSet: the values given for each option.
type parsedArgs struct {
	spec       options
	values     map[string][]string
	present    map[string]bool
	nonOptions []string
}

// parse reads args with jopt-simple's rules: --name value, --name=value,
// -name value (a single dash works when the whole word is an option), --
// ends options, optional arguments are taken only when the next word does not
// look like an option, positional words are kept aside and usually ignored,
// abbreviations are not accepted.
func (o options) parse(args []string) (*parsedArgs, error) {
	p := &parsedArgs{spec: o, values: map[string][]string{}, present: map[string]bool{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			p.nonOptions = append(p.nonOptions, args[i+1:]...)
			break
		}
		var word string
		switch {
		case strings.HasPrefix(a, "--") && len(a) > 2:
			word = a[2:]
		case strings.HasPrefix(a, "-") && len(a) > 1:
			word = a[1:]
			name, _, _ := strings.Cut(word, "=")
			if _, ok := o.lookup(name); !ok {
				// A cluster of one-character options; Kafka's tools have none.
				return nil, &joptError{"UnrecognizedOptionException", word[:1] + " is not a recognized option"}
			}
		default:
			p.nonOptions = append(p.nonOptions, a)
			continue
		}
		name, val, hasVal := strings.Cut(word, "=")
		opt, ok := o.lookup(name)
		if !ok {
			return nil, &joptError{"UnrecognizedOptionException", name + " is not a recognized option"}
		}
		p.present[name] = true
		switch opt.arg {
		case noArg:
			// jopt's NoArgumentOptionSpec ignores an attached "=value".
		case requiredArg:
			if !hasVal {
				if i+1 >= len(args) {
					return nil, &joptError{"OptionMissingRequiredArgumentException", "Option " + name + " requires an argument"}
				}
				i++
				val = args[i]
			}
			p.values[name] = append(p.values[name], val)
		case optionalArg:
			if !hasVal && i+1 < len(args) && !looksLikeOption(args[i+1]) {
				i++
				val, hasVal = args[i], true
			}
			if hasVal {
				p.values[name] = append(p.values[name], val)
			}
		}
	}
	if p.has("help") || p.has("version") {
		return p, nil
	}
	var missing []string
	for _, opt := range o {
		if !opt.required || p.has(opt.name) {
			continue
		}
		satisfied := false
		for _, u := range opt.unless {
			satisfied = satisfied || p.has(u)
		}
		if !satisfied {
			missing = append(missing, opt.name)
		}
	}
	if len(missing) > 0 {
		return nil, &joptError{"MissingRequiredOptionsException", "Missing required option(s) [" + strings.Join(missing, ", ") + "]"}
	}
	return p, nil
}

func looksLikeOption(s string) bool {
	return strings.HasPrefix(s, "-") && len(s) > 1
}

func (p *parsedArgs) has(name string) bool { return p.present[name] }

// hasValue is jopt's hasArgument: the option was given with a value.
func (p *parsedArgs) hasValue(name string) bool { return len(p.values[name]) > 0 }

// valuesOf returns every value given for name, or its defaults.
func (p *parsedArgs) valuesOf(name string) []string {
	if v := p.values[name]; len(v) > 0 {
		return v
	}
	opt, _ := p.spec.lookup(name)
	return opt.deflt
}

// valueOf is jopt's valueOf: the single value of name, its default, or "" with
// ok false. Two values given is jopt's OptionException.
func (p *parsedArgs) valueOf(name string) (string, bool, error) {
	v := p.valuesOf(name)
	switch len(v) {
	case 0:
		return "", false, nil
	case 1:
		return v[0], true, nil
	}
	return "", false, &joptError{"MultipleArgumentsForOptionException", "Found multiple arguments for option " + name + ", but you asked for only one"}
}

// str returns the single value of name, or "" (errors folded in as by valueOf).
func (p *parsedArgs) str(name string) (string, error) {
	v, _, err := p.valueOf(name)
	return v, err
}

// intOf converts the value of an Integer option as jopt's converter does.
func (p *parsedArgs) intOf(name string) (int32, bool, error) {
	v, ok, err := p.valueOf(name)
	if err != nil || !ok {
		return 0, ok, err
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, false, &joptError{"OptionArgumentConversionException", "Cannot parse argument '" + v + "' of option " + name}
	}
	return int32(n), true, nil
}

// longOf converts the value of a Long option.
func (p *parsedArgs) longOf(name string) (int64, bool, error) {
	v, ok, err := p.valueOf(name)
	if err != nil || !ok {
		return 0, ok, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, &joptError{"OptionArgumentConversionException", "Cannot parse argument '" + v + "' of option " + name}
	}
	return n, true, nil
}

// flags renders the option table as urfave/cli flags; they serve completion
// and documentation, parsing is ours.
func (o options) flags() []cli.Flag {
	var fs []cli.Flag
	for _, opt := range o {
		switch opt.arg {
		case noArg:
			fs = append(fs, &cli.BoolFlag{Name: opt.name, Usage: opt.desc})
		default:
			fs = append(fs, &cli.StringSliceFlag{Name: opt.name, Usage: opt.desc})
		}
	}
	return fs
}

// help renders the option table as jopt's BuiltinHelpFormatter does (width 80,
// column gap 2): options sorted by name, a header, word-wrapped cells whose
// continuation lines are indented by two spaces, every line padded.
func (o options) help() string {
	sorted := append(options(nil), o...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	type row struct{ left, right string }
	var rows []row
	anyRequired := false
	for _, opt := range sorted {
		anyRequired = anyRequired || opt.helpRequired()
	}
	if anyRequired {
		rows = append(rows, row{"Option (* = required)", "Description"}, row{"---------------------", "-----------"})
	} else {
		rows = append(rows, row{"Option", "Description"}, row{"------", "-----------"})
	}
	for _, opt := range sorted {
		if opt.hidden {
			continue
		}
		left := "--" + opt.name
		if opt.helpRequired() {
			left = "* " + left
		}
		if opt.arg != noArg {
			typ := opt.typ
			if typ == "" {
				typ = "String"
			}
			cell := typ
			if opt.argDesc != "" {
				cell += ": " + opt.argDesc
			}
			if opt.arg == requiredArg {
				left += " <" + cell + ">"
			} else {
				left += " [" + cell + "]"
			}
		}
		right := opt.desc
		switch len(opt.deflt) {
		case 0:
		case 1:
			right = strings.TrimSpace(right + " (default: " + opt.deflt[0] + ")")
		default:
			right = strings.TrimSpace(right + " (default: [" + strings.Join(opt.deflt, ", ") + "])")
		}
		rows = append(rows, row{left, right})
	}
	widestLeft, widestRight := 0, 0
	for _, r := range rows {
		widestLeft = max(widestLeft, len(r.left))
		widestRight = max(widestRight, len(r.right))
	}
	const width, gap = 80, 2
	lw := min((width-gap)/2, widestLeft)
	rw := min(width-lw-gap, widestRight)
	var b strings.Builder
	for _, r := range rows {
		ls, rs := wrapCell(r.left, lw), wrapCell(r.right, rw)
		for i := 0; i < max(len(ls), len(rs)); i++ {
			var l, rr string
			if i < len(ls) {
				l = ls[i]
			}
			if i < len(rs) {
				rr = rs[i]
			}
			b.WriteString(pad(l, lw))
			b.WriteString(strings.Repeat(" ", gap))
			b.WriteString(pad(rr, rw))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func pad(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return s + strings.Repeat(" ", w-len(s))
}

// wrapCell splits a cell on its newlines, then wraps each line at word
// boundaries to width; pieces after the first of a line are indented by two.
func wrapCell(s string, width int) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		var cur strings.Builder
		for _, w := range words(line) {
			if cur.Len()+len(w) > width {
				out = append(out, strings.TrimRight(cur.String(), " \t"))
				cur.Reset()
				cur.WriteString("  ")
			}
			cur.WriteString(w)
		}
		if cur.Len() > 0 {
			out = append(out, cur.String())
		}
	}
	return out
}

// lineSegment matches one segment of Java's line BreakIterator (the JDK's
// rule-based LineBreakRules) at the start of a string, for ASCII text: a
// word is opening punctuation, a core (a run of ordinary characters, or a
// number such as 1,000.5 or -5%), then a run of dashes or of closing
// punctuation (so "e.g." breaks after "e." and "--create" after "--"; a
// quote right after closing punctuation stays with it, so
// "'value.deserializer.'" breaks only after "'value."), then spaces, then at
// most one tab. Checked against JDK 17 on the option descriptions of Kafka's
// tools; "()" right after a word and '$' are the known differences.
var lineSegment = func() *regexp.Regexp {
	const (
		pre  = `(\[{"`
		post = `)\]}!%.,:;?"`
		ctl  = `\x00-\x08\x0b\x0e-\x1f\x7f`
	)
	char := `[^ \t\n\f\-` + pre + post + ctl + `]`
	number := `(?:[$#\-]*[0-9]+(?:["',.][0-9]+)*[%&]*)`
	re := regexp.MustCompile(`^[` + pre + `]*(?:` + char + `*|` + number + `)(?:-+|[` + post + `']*)[ ` + ctl + `]*[\t\n\f]?`)
	re.Longest()
	return re
}()

// words splits a line into the pieces between the break opportunities of
// Java's line BreakIterator, each keeping its trailing spaces.
func words(line string) []string {
	var ws []string
	for line != "" {
		n := len(lineSegment.FindString(line))
		if n == 0 {
			n = 1
		}
		ws = append(ws, line[:n])
		line = line[n:]
	}
	return ws
}

// usageAndDie is CommandLineUtils.printUsageAndDie: the message, then the
// help table, on stderr, and exit status 1.
func usageAndDie(w io.Writer, o options, msg string) error {
	fmt.Fprintln(w, msg)
	io.WriteString(w, o.help())
	return exit(1)
}

// versionLine is what --version prints: Kafka's VersionInfo layout.
func versionLine() string {
	commit := Commit
	if len(commit) > 16 {
		commit = commit[:16]
	}
	return KafkaVersion + " (Commit:" + commit + ")"
}
