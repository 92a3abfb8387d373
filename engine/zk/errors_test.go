package zk

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeTable(t *testing.T) {
	seen := map[int32]bool{}
	for _, e := range codeTable {
		if seen[e.code] {
			t.Errorf("code %d twice", e.code)
		}
		seen[e.code] = true
		if got := Code(e.err); got != e.code {
			t.Errorf("Code(%v) = %d, want %d", e.err, got, e.code)
		}
		if got := ErrorForCode(e.code); got != e.err {
			t.Errorf("ErrorForCode(%d) = %v", e.code, got)
		}
		wrapped := fmt.Errorf("%w: /a/b", e.err)
		if got := Code(wrapped); got != e.code {
			t.Errorf("Code(wrapped %v) = %d", e.err, got)
		}
		if e.err.Error()[:4] != "zk: " {
			t.Errorf("%q lacks the zk: prefix", e.err)
		}
		if CodeName(e.code) != e.name {
			t.Errorf("CodeName(%d) = %q", e.code, CodeName(e.code))
		}
	}
	for code, name := range map[int32]string{-101: "NoNode", -110: "NodeExists", -2: "RuntimeInconsistency", -121: "NoWatcher"} {
		if CodeName(code) != name {
			t.Errorf("CodeName(%d) = %s", code, CodeName(code))
		}
	}
	if Code(nil) != 0 || ErrorForCode(0) != nil || CodeName(0) != "Ok" {
		t.Error("zero values")
	}
	if Code(errors.New("other")) != -1 || ErrorForCode(-999) != ErrSystemError || CodeName(-999) != "Code(-999)" {
		t.Error("unknown values")
	}
}
