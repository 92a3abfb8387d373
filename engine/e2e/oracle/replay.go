package oracle

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Addrs are the servers a suite runs against; they replace the placeholders
// {bootstrap} and {zookeeper} in step arguments and, the other way round, in
// the output.
type Addrs struct {
	Bootstrap string // host:port of a broker (ours or Kafka's)
	ZooKeeper string // ZooKeeper connect string (with chroot, if any); "" skips cases that use {zookeeper}
}

// Placeholders of the case files.
const (
	PlaceholderBootstrap = "{bootstrap}"
	PlaceholderZooKeeper = "{zookeeper}"
	PlaceholderTmp       = "{tmp}"
)

// vars maps placeholders to values for one case.
type vars [][2]string

func caseVars(a Addrs, tmp string) vars {
	v := vars{{PlaceholderTmp, tmp}}
	if a.Bootstrap != "" {
		v = append(v, [2]string{PlaceholderBootstrap, a.Bootstrap})
	}
	if a.ZooKeeper != "" {
		v = append(v, [2]string{PlaceholderZooKeeper, a.ZooKeeper})
	}
	return v
}

func (v vars) expand(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		for _, p := range v {
			a = strings.ReplaceAll(a, p[0], p[1])
		}
		out[i] = a
	}
	return out
}

// unexpand puts placeholders back where their values appear in output,
// longest value first (a ZooKeeper chroot string before its host:port).
func (v vars) unexpand(s string) string {
	sorted := append(vars{}, v...)
	sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i][1]) > len(sorted[j][1]) })
	for _, p := range sorted {
		if p[1] != "" {
			s = strings.ReplaceAll(s, p[1], p[0])
		}
	}
	return s
}

// Canonical turns raw tool output into what goldens hold: placeholder values
// replaced by placeholders, [Normalize], then the step's filters.
func canonical(s string, v vars, filters []Filter) string {
	s = Normalize(v.unexpand(s))
	for _, f := range filters {
		s = f.Re.ReplaceAllString(s, f.Repl)
	}
	return s
}

// RunCase runs every step of c through run against addrs and returns the
// canonical outcomes of its check steps. Problems that are not differences
// (a step that hit its timeout, a file that could not be written) are
// reported with t.Errorf; a run step that exits non-zero is only logged.
func RunCase(t testing.TB, c *Case, addrs Addrs, run Runner) []Outcome {
	t.Helper()
	tmp := t.TempDir()
	v := caseVars(addrs, tmp)
	var outs []Outcome
	for _, s := range c.Steps {
		switch s.Kind {
		case StepSleep:
			time.Sleep(s.Sleep)
		case StepFile:
			p := filepath.Join(tmp, s.Path)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatalf("line %d: %v", s.Line, err)
			}
			if err := os.WriteFile(p, []byte(v.expand([]string{s.Stdin})[0]), 0o644); err != nil {
				t.Fatalf("line %d: %v", s.Line, err)
			}
		case StepRun, StepCheck:
			res, interrupted, stuck := runStep(s, v, run, InterruptGrace+runnerGrace)
			if stuck {
				t.Fatalf("line %d: %s %s: the runner did not return %v after the step was interrupted (it must honour its context)",
					s.Line, s.Kind, s.Text, InterruptGrace+runnerGrace)
			}
			if interrupted && s.Interrupt == 0 {
				t.Errorf("line %d: %s %s: still running after %v, interrupted (exit %d)\nstdout:\n%s\nstderr:\n%s",
					s.Line, s.Kind, s.Text, stepTimeout(s), res.Exit, res.Stdout, res.Stderr)
			}
			if s.Kind == StepRun {
				if res.Exit != 0 {
					t.Logf("line %d: run %s: exit %d\nstdout:\n%s\nstderr:\n%s", s.Line, s.Text, res.Exit, res.Stdout, res.Stderr)
				}
				continue
			}
			outs = append(outs, Outcome{
				Command: s.Text,
				Line:    s.Line,
				Result: Result{
					Stdout: canonical(res.Stdout, v, s.Filters),
					Stderr: canonical(res.Stderr, v, s.Filters),
					Exit:   res.Exit,
				},
			})
		}
	}
	return outs
}

func stepTimeout(s Step) time.Duration {
	switch {
	case s.Interrupt > 0:
		return s.Interrupt
	case s.Timeout > 0:
		return s.Timeout
	}
	return DefaultToolTimeout
}

// runnerGrace is how long RunCase waits for a runner after the step's
// context ended and InterruptGrace passed, before giving up on it.
const runnerGrace = 5 * time.Second

// runStep runs one tool step; interrupted reports whether its context ended
// (the interrupt or the timeout) before the runner returned. A runner that
// ignores its context is abandoned (its goroutine leaks) and reported stuck.
// patience is how long past the step's timeout to wait for the runner.
func runStep(s Step, v vars, run Runner, patience time.Duration) (res Result, interrupted, stuck bool) {
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout(s))
	defer cancel()
	done := make(chan Result, 1)
	go func() { done <- run(ctx, s.Tool, v.expand(s.Args), v.expand([]string{s.Stdin})[0]) }()
	select {
	case res = <-done:
		return res, ctx.Err() != nil, false
	case <-time.After(stepTimeout(s) + patience):
		return Result{Exit: -1}, true, true
	}
}

// GoldenPath returns testdata/oracle/<suite>/<case>.golden.
func GoldenPath(suite, caseName string) (string, error) {
	dir, err := DataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, suite, caseName+".golden"), nil
}

// LoadGolden reads the golden of a case and checks that it was recorded from
// the case's current text.
func LoadGolden(suite string, c *Case) (*Golden, error) {
	p, err := GoldenPath(suite, c.Name)
	if err != nil {
		return nil, err
	}
	g, err := ReadGolden(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New("oracle: case " + suite + "/" + c.Name + " has no golden: run `make oracle`")
	}
	if err != nil {
		return nil, err
	}
	if g.Source != c.SourceHash() || len(g.Checks) != len(c.Checks()) {
		return nil, errors.New("oracle: " + p + " was recorded from another version of the case: run `make oracle`")
	}
	return g, nil
}

// Replay runs every case of testdata/oracle/<suite>.txt, in order and each as
// a subtest, through run against the servers at addrs (which the caller
// started, e.g. with the suite's Broker overrides), and compares each
// checked step with the golden recorded from real Kafka. Differences are
// reported with t.Errorf as readable diffs. Cases that use {zookeeper} are
// skipped when addrs.ZooKeeper is empty. Goldens are only read.
func Replay(t *testing.T, suite string, addrs Addrs, run Runner) {
	t.Helper()
	s, err := LoadSuite(suite)
	if err != nil {
		t.Fatalf("%v", err)
	}
	for _, c := range s.Cases {
		t.Run(c.Name, func(t *testing.T) {
			ReplayCase(t, s.Name, c, addrs, run)
		})
	}
}

// ReplayCase is Replay for one case.
func ReplayCase(t testing.TB, suite string, c *Case, addrs Addrs, run Runner) {
	t.Helper()
	if addrs.ZooKeeper == "" && c.Uses(PlaceholderZooKeeper) {
		t.Skipf("case %s uses %s and no ZooKeeper address was given", c.Name, PlaceholderZooKeeper)
	}
	if addrs.Bootstrap == "" && c.Uses(PlaceholderBootstrap) {
		t.Skipf("case %s uses %s and no broker address was given", c.Name, PlaceholderBootstrap)
	}
	g, err := LoadGolden(suite, c)
	if err != nil {
		t.Fatalf("%v", err)
	}
	got := RunCase(t, c, addrs, run)
	for i, o := range got {
		if d := CompareOutcome(g.Checks[i].Result, o.Result); d != "" {
			t.Errorf("%s.txt:%d: check %s\n%s", suite, o.Line, o.Command, d)
		}
	}
}
