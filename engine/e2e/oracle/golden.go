package oracle

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Outcome is the canonical result of one checked step: output after
// placeholder substitution, [Normalize] and the step's filters.
type Outcome struct {
	Command string // the step as written: "kafka-topics --list --bootstrap-server {bootstrap}"
	Line    int    // the step's line in the suite file (0 when read from a golden)
	Result  Result
}

// Golden is a recorded case: testdata/oracle/<suite>/<case>.golden.
type Golden struct {
	Suite  string
	Case   string
	Source string    // Case.SourceHash of the case text it was recorded from
	Checks []Outcome // one per check step, in order
}

const (
	goldenBanner = "# Recorded from Apache Kafka " + KafkaVersion + " by `make oracle`. Never edit by hand or rewrite from our own output."
	noEOL        = `\ no newline at end`
)

// FormatGolden renders the golden of case c from the outcomes of its checks.
// Every step is listed (`$ run …`, `$ sleep …`) so the file reads on its own;
// checked steps are followed by their exit status, stdout and stderr, each
// content line prefixed by '|'.
func FormatGolden(suite string, c *Case, checks []Outcome) ([]byte, error) {
	if n := len(c.Checks()); n != len(checks) {
		return nil, fmt.Errorf("oracle: case %s has %d checks, got %d outcomes", c.Name, n, len(checks))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n# suite: %s\n# case: %s\n# source: %s\n", goldenBanner, suite, c.Name, c.SourceHash())
	i := 0
	for _, s := range c.Steps {
		switch s.Kind {
		case StepSleep:
			fmt.Fprintf(&b, "$ sleep %s\n", s.Text)
		case StepFile:
			fmt.Fprintf(&b, "$ file %s\n", s.Path)
			writeBlock(&b, "content:", s.Stdin)
		case StepRun:
			fmt.Fprintf(&b, "$ run %s\n", s.Text)
			if s.HasStdin {
				writeBlock(&b, "stdin:", s.Stdin)
			}
		case StepCheck:
			fmt.Fprintf(&b, "$ check %s\n", s.Text)
			if s.HasStdin {
				writeBlock(&b, "stdin:", s.Stdin)
			}
			r := checks[i].Result
			i++
			fmt.Fprintf(&b, "exit %d\n", r.Exit)
			writeBlock(&b, "stdout:", r.Stdout)
			writeBlock(&b, "stderr:", r.Stderr)
		}
	}
	return b.Bytes(), nil
}

func writeBlock(b *bytes.Buffer, label, content string) {
	b.WriteString(label + "\n")
	if content == "" {
		return
	}
	lines := strings.SplitAfter(content, "\n")
	for _, l := range lines {
		if l == "" {
			continue
		}
		b.WriteString("|" + strings.TrimSuffix(l, "\n") + "\n")
	}
	if !strings.HasSuffix(content, "\n") {
		b.WriteString(noEOL + "\n")
	}
}

// ParseGolden reads what FormatGolden wrote.
func ParseGolden(data []byte) (*Golden, error) {
	g := &Golden{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<22)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	i := 0
	bad := func(format string, args ...any) error {
		return fmt.Errorf("golden line %d: %s", i+1, fmt.Sprintf(format, args...))
	}
	// block reads "label:" and the content lines after it.
	block := func(label string) (string, error) {
		if i >= len(lines) || lines[i] != label {
			return "", bad("want %q", label)
		}
		i++
		var sb strings.Builder
		for i < len(lines) && strings.HasPrefix(lines[i], "|") {
			sb.WriteString(lines[i][1:] + "\n")
			i++
		}
		s := sb.String()
		if i < len(lines) && lines[i] == noEOL {
			s = strings.TrimSuffix(s, "\n")
			i++
		}
		return s, nil
	}
	for ; i < len(lines) && strings.HasPrefix(lines[i], "#"); i++ {
		k, v, _ := strings.Cut(strings.TrimPrefix(lines[i], "# "), ": ")
		switch k {
		case "suite":
			g.Suite = v
		case "case":
			g.Case = v
		case "source":
			g.Source = v
		}
	}
	for i < len(lines) {
		head := lines[i]
		kind, text, ok := strings.Cut(strings.TrimPrefix(head, "$ "), " ")
		if !strings.HasPrefix(head, "$ ") || !ok {
			return nil, bad("want a `$ <step>` line, got %q", head)
		}
		i++
		switch kind {
		case "sleep":
		case "file":
			if _, err := block("content:"); err != nil {
				return nil, err
			}
		case "run", "check":
			if i < len(lines) && lines[i] == "stdin:" {
				if _, err := block("stdin:"); err != nil {
					return nil, err
				}
			}
			if kind == "run" {
				continue
			}
			if i >= len(lines) || !strings.HasPrefix(lines[i], "exit ") {
				return nil, bad("want `exit N`")
			}
			code, err := strconv.Atoi(strings.TrimPrefix(lines[i], "exit "))
			if err != nil {
				return nil, bad("%v", err)
			}
			i++
			out, err := block("stdout:")
			if err != nil {
				return nil, err
			}
			errOut, err := block("stderr:")
			if err != nil {
				return nil, err
			}
			g.Checks = append(g.Checks, Outcome{Command: text, Result: Result{Stdout: out, Stderr: errOut, Exit: code}})
		default:
			return nil, bad("unknown step %q", kind)
		}
	}
	if g.Source == "" {
		return nil, fmt.Errorf("golden has no `# source:` line")
	}
	return g, nil
}

// ReadGolden reads and parses one golden file.
func ReadGolden(path string) (*Golden, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	g, err := ParseGolden(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}
