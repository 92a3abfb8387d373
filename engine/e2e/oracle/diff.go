package oracle

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// CompareOutcome compares a recorded outcome (want) with ours (got) and
// returns "" when they match, else a readable report: the exit statuses and
// a line diff of each stream that differs ("-" recorded, "+" ours).
func CompareOutcome(want, got Result) string {
	var b strings.Builder
	if want.Exit != got.Exit {
		fmt.Fprintf(&b, "exit status: Kafka %d, ours %d\n", want.Exit, got.Exit)
	}
	if want.Stdout != got.Stdout {
		fmt.Fprintf(&b, "stdout differs (-Kafka +ours):\n%s", LineDiff(want.Stdout, got.Stdout))
	}
	if want.Stderr != got.Stderr {
		fmt.Fprintf(&b, "stderr differs (-Kafka +ours):\n%s", LineDiff(want.Stderr, got.Stderr))
	}
	return b.String()
}

// maxDiffCells bounds the LCS table; bigger inputs are shown whole.
const maxDiffCells = 4 << 20

// LineDiff returns a unified-style diff of two texts with three lines of
// context: " " common, "-" only in a, "+" only in b. Lines with trailing
// blanks or control characters are shown quoted; a last line without a
// newline is marked.
func LineDiff(a, b string) string {
	al, bl := splitLines(a), splitLines(b)
	if len(al)*len(bl) > maxDiffCells {
		var sb strings.Builder
		for _, l := range al {
			sb.WriteString("-" + showLine(l) + "\n")
		}
		for _, l := range bl {
			sb.WriteString("+" + showLine(l) + "\n")
		}
		return sb.String()
	}
	// lcs[i][j] = length of the LCS of al[i:] and bl[j:].
	n, m := len(al), len(bl)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if al[i] == bl[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		kind byte // ' ', '-', '+'
		line string
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && al[i] == bl[j]:
			ops = append(ops, op{' ', al[i]})
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', al[i]})
			i++
		default:
			ops = append(ops, op{'+', bl[j]})
			j++
		}
	}
	// Keep changed lines and up to three lines of context around them.
	const ctx = 3
	keep := make([]bool, len(ops))
	for k, o := range ops {
		if o.kind != ' ' {
			for d := max(0, k-ctx); d <= min(len(ops)-1, k+ctx); d++ {
				keep[d] = true
			}
		}
	}
	var sb strings.Builder
	skipped := false
	for k, o := range ops {
		if !keep[k] {
			skipped = true
			continue
		}
		if skipped {
			sb.WriteString("@@ …\n")
			skipped = false
		}
		sb.WriteString(string(o.kind) + showLine(o.line) + "\n")
	}
	return sb.String()
}

// splitLines splits after each newline, keeping it, so a missing final
// newline is a difference.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.SplitAfter(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

func showLine(l string) string {
	body, hasNL := strings.CutSuffix(l, "\n")
	shown := body
	if strings.TrimRight(body, " \t") != body || strings.IndexFunc(body, func(r rune) bool {
		return r != '\t' && (unicode.IsControl(r) || r == unicode.ReplacementChar)
	}) >= 0 {
		shown = strconv.Quote(body)
	}
	if !hasNL {
		shown += "  (no newline at end)"
	}
	return shown
}
