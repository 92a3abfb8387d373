package oracle

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// StepKind says what a step does.
type StepKind int

const (
	// StepRun runs a tool to prepare state; its output is not compared.
	StepRun StepKind = iota
	// StepCheck runs a tool and compares its output and exit status.
	StepCheck
	// StepSleep pauses (e.g. until the controller has acted).
	StepSleep
	// StepFile writes its stdin block to {tmp}/<Path>.
	StepFile
)

func (k StepKind) String() string {
	switch k {
	case StepRun:
		return "run"
	case StepCheck:
		return "check"
	case StepSleep:
		return "sleep"
	case StepFile:
		return "file"
	}
	return fmt.Sprintf("StepKind(%d)", int(k))
}

// Filter is a per-step regexp replacement applied to both output streams
// after [Normalize] (e.g. to hide CreateTime timestamps).
type Filter struct {
	Re   *regexp.Regexp
	Repl string // regexp.Expand syntax ($1)
}

// Step is one line (and its stdin block) of a case.
type Step struct {
	Kind StepKind
	Line int    // line number in the suite file
	Text string // the command as written, heredoc marker removed: "kafka-topics --list …"

	Tool     string   // run/check: the bin/ tool name
	Args     []string // run/check: arguments, placeholders not yet substituted
	Stdin    string   // run/check: standard input; file: the content
	HasStdin bool
	Path     string        // file: name under {tmp}
	Sleep    time.Duration // sleep

	Timeout   time.Duration // run/check: hard bound (0 = DefaultToolTimeout); reaching it fails the step
	Interrupt time.Duration // run/check: Ctrl-C after this long, expected
	Filters   []Filter
}

// Case is a named list of steps.
type Case struct {
	Name  string
	Line  int
	Steps []Step
	// Source is the case's text without comments and blank lines, after the
	// suite's broker overrides; its hash ties a golden to what it was
	// recorded from.
	Source string
}

// SourceHash identifies the case text a golden was recorded from.
func (c *Case) SourceHash() string {
	sum := sha256.Sum256([]byte(c.Source))
	return hex.EncodeToString(sum[:8])
}

// Checks returns the checked steps in order.
func (c *Case) Checks() []Step {
	var out []Step
	for _, s := range c.Steps {
		if s.Kind == StepCheck {
			out = append(out, s)
		}
	}
	return out
}

// Uses reports whether any step argument mentions placeholder (e.g. "{zookeeper}").
func (c *Case) Uses(placeholder string) bool {
	for _, s := range c.Steps {
		for _, a := range s.Args {
			if strings.Contains(a, placeholder) {
				return true
			}
		}
	}
	return false
}

// Suite is one testdata/oracle/<name>.txt file.
type Suite struct {
	Name string
	// Broker holds the suite's "broker key=value" overrides: start the broker
	// the suite runs against with them (StartKafka(t, zk, s.Broker...)).
	Broker []string
	Cases  []*Case
}

// Case returns the case with that name, or nil.
func (s *Suite) Case(name string) *Case {
	for _, c := range s.Cases {
		if c.Name == name {
			return c
		}
	}
	return nil
}

var (
	caseName    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	heredocMark = regexp.MustCompile(`^<<([A-Za-z_][A-Za-z0-9_]*)$`)
)

// ParseSuite reads a case file (format in the package documentation); name
// is used in error messages and as the suite's name.
func ParseSuite(name string, r io.Reader) (*Suite, error) {
	s := &Suite{Name: name}
	var (
		cur     *Case
		pending Step // directives waiting for the next run/check step
		hasPend bool
		src     []string
	)
	finish := func() {
		if cur != nil {
			// The suite's broker overrides shape every case's output.
			var pre strings.Builder
			for _, b := range s.Broker {
				pre.WriteString("broker " + b + "\n")
			}
			cur.Source = pre.String() + strings.Join(src, "\n") + "\n"
		}
		src = nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	lineNo := 0
	errAt := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, lineNo, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		lineNo++
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verb, rest := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			verb, rest = line[:i], strings.TrimSpace(line[i+1:])
		}
		switch verb {
		case "broker":
			if cur != nil {
				return nil, errAt("broker overrides must come before the first case")
			}
			if !strings.Contains(rest, "=") {
				return nil, errAt("broker override %q is not key=value", rest)
			}
			s.Broker = append(s.Broker, rest)
			continue
		case "case":
			if hasPend {
				return nil, errAt("timeout/interrupt/filter not followed by a run or check step")
			}
			finish()
			if !caseName.MatchString(rest) {
				return nil, errAt("bad case name %q (letters, digits, '.', '_', '-')", rest)
			}
			if s.Case(rest) != nil {
				return nil, errAt("duplicate case %q", rest)
			}
			cur = &Case{Name: rest, Line: lineNo}
			s.Cases = append(s.Cases, cur)
			src = append(src, line)
			continue
		}
		if cur == nil {
			return nil, errAt("%q outside a case (start one with `case NAME`)", verb)
		}
		src = append(src, line)
		switch verb {
		case "timeout", "interrupt":
			d, err := time.ParseDuration(rest)
			if err != nil || d <= 0 {
				return nil, errAt("%s needs a positive duration, got %q", verb, rest)
			}
			if verb == "timeout" {
				pending.Timeout = d
			} else {
				pending.Interrupt = d
			}
			hasPend = true
		case "filter":
			words, err := SplitWords(rest)
			if err != nil {
				return nil, errAt("%v", err)
			}
			if len(words) != 2 {
				return nil, errAt("filter needs two words: REGEXP REPLACEMENT")
			}
			re, err := regexp.Compile(words[0])
			if err != nil {
				return nil, errAt("filter: %v", err)
			}
			pending.Filters = append(pending.Filters, Filter{Re: re, Repl: words[1]})
			hasPend = true
		case "sleep":
			if hasPend {
				return nil, errAt("timeout/interrupt/filter must be followed by a run or check step")
			}
			d, err := time.ParseDuration(rest)
			if err != nil || d <= 0 {
				return nil, errAt("sleep needs a positive duration, got %q", rest)
			}
			cur.Steps = append(cur.Steps, Step{Kind: StepSleep, Line: lineNo, Text: rest, Sleep: d})
		case "run", "check", "file":
			words, err := SplitWords(rest)
			if err != nil {
				return nil, errAt("%v", err)
			}
			step := pending
			pending, hasPend = Step{}, false
			step.Line = lineNo
			step.Text = rest
			if n := len(words); n > 0 {
				if m := heredocMark.FindStringSubmatch(words[n-1]); m != nil && lastWordUnquoted(rest) {
					words = words[:n-1]
					step.Text = strings.TrimSpace(strings.TrimSuffix(rest, words0(rest)))
					body, read, ok := readHeredoc(sc, m[1])
					if !ok {
						return nil, errAt("heredoc <<%s not closed", m[1])
					}
					lineNo += read
					src = append(src, body...)
					src = append(src, m[1])
					step.Stdin = strings.Join(body, "\n") + "\n"
					if len(body) == 0 {
						step.Stdin = ""
					}
					step.HasStdin = true
				}
			}
			if len(words) == 0 {
				return nil, errAt("%s needs a tool name", verb)
			}
			switch verb {
			case "file":
				if step.Timeout != 0 || step.Interrupt != 0 || len(step.Filters) > 0 {
					return nil, errAt("timeout/interrupt/filter apply to run and check steps only")
				}
				if len(words) != 1 || !step.HasStdin {
					return nil, errAt("file needs one name and a <<EOF block")
				}
				if p := words[0]; filepath.IsAbs(p) || strings.Contains(p, "..") {
					return nil, errAt("file name %q must stay under {tmp}", p)
				}
				step.Kind, step.Path = StepFile, words[0]
			default:
				step.Kind = StepRun
				if verb == "check" {
					step.Kind = StepCheck
				}
				step.Tool, step.Args = words[0], words[1:]
				if step.Interrupt > 0 && step.Timeout > 0 && step.Timeout <= step.Interrupt {
					return nil, errAt("timeout must be longer than interrupt")
				}
			}
			cur.Steps = append(cur.Steps, step)
		default:
			return nil, errAt("unknown step %q (run, check, sleep, file, timeout, interrupt, filter)", verb)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if hasPend {
		return nil, fmt.Errorf("%s: timeout/interrupt/filter at the end of the file", name)
	}
	finish()
	for _, c := range s.Cases {
		if len(c.Checks()) == 0 {
			return nil, fmt.Errorf("%s:%d: case %q has no check step", name, c.Line, c.Name)
		}
	}
	return s, nil
}

// words0 returns the last whitespace-separated field of s (the heredoc marker).
func words0(s string) string {
	f := strings.Fields(s)
	return f[len(f)-1]
}

// lastWordUnquoted reports whether the last field of s is a bare <<WORD,
// not a quoted argument that happens to read like one.
func lastWordUnquoted(s string) bool {
	return heredocMark.MatchString(words0(s))
}

// readHeredoc reads lines up to one equal to mark; it returns the body and
// the number of lines consumed.
func readHeredoc(sc *bufio.Scanner, mark string) ([]string, int, bool) {
	var body []string
	n := 0
	for sc.Scan() {
		n++
		if sc.Text() == mark {
			return body, n, true
		}
		body = append(body, sc.Text())
	}
	return body, n, false
}

// SplitWords splits a command line the way a POSIX shell splits words,
// without expansions: blanks separate words; '…' is literal; "…" is literal
// but for \" \\ \$ \`; a backslash outside quotes escapes the next character.
func SplitWords(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		inW   bool
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inW {
				words = append(words, cur.String())
				cur.Reset()
				inW = false
			}
		case c == '\'':
			inW = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inW = true
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unterminated double quote")
			}
		case c == '\\':
			inW = true
			if i+1 >= len(s) {
				return nil, errors.New("backslash at end of line")
			}
			i++
			cur.WriteByte(s[i])
		default:
			inW = true
			cur.WriteByte(c)
		}
	}
	if inW {
		words = append(words, cur.String())
	}
	return words, nil
}

// LoadSuite parses testdata/oracle/<name>.txt of this module.
func LoadSuite(name string) (*Suite, error) {
	dir, err := DataDir()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, name+".txt"))
	if err != nil {
		return nil, fmt.Errorf("oracle: suite %q: %w", name, err)
	}
	defer f.Close()
	s, err := ParseSuite(name+".txt", f)
	if err != nil {
		return nil, err
	}
	s.Name = name
	return s, nil
}

// SuiteNames lists the suites in testdata/oracle/, sorted.
func SuiteNames() ([]string, error) {
	dir, err := DataDir()
	if err != nil {
		return nil, err
	}
	m, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range m {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".txt"))
	}
	return names, nil
}

// DataDir returns this module's testdata/oracle directory, found by walking
// up from the working directory to go.mod (tests run in their package's
// directory, anywhere in the module).
func DataDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			if !strings.Contains(string(b), "module github.com/kafkago/kafka\n") {
				return "", fmt.Errorf("oracle: %s/go.mod is not module github.com/kafkago/kafka", dir)
			}
			return filepath.Join(dir, "testdata", "oracle"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("oracle: no go.mod above the working directory")
		}
		dir = parent
	}
}
