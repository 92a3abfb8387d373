package zk

import (
	"errors"
	"testing"
)

func TestValidatePath(t *testing.T) {
	valid := []string{
		"/", "/a", "/a/b", "/a.b", "/...", "/a/...", "/.a", "/a.", "/..a", "/a..",
		"/zookeeper", "/ünïcödé", "/中文", "/a b", "/\u00a0", "/\uf900", "/\uffef",
		"/brokers/topics/__consumer_offsets",
	}
	invalid := []string{
		"", "a", "a/b", "/a/", "//", "/a//b", "/.", "/..", "/a/.", "/a/..", "/./a", "/../a",
		"/a\x00b", "/\x01", "/\x1f", "/\x7f", "/\u0080", "/\u009f", "/\ud7ff\ue000",
		"/\ue000", "/\uf8ff", "/\ufff0", "/\uffff", "/😀", "/\xff",
	}
	for _, p := range valid {
		if err := ValidatePath(p); err != nil {
			t.Errorf("ValidatePath(%q) = %v", p, err)
		}
	}
	for _, p := range invalid {
		err := ValidatePath(p)
		if !errors.Is(err, ErrBadArguments) {
			t.Errorf("ValidatePath(%q) = %v, want BadArguments", p, err)
		}
	}
	// U+D7FF is valid, the private-use U+E000 after it is not: the case
	// above fails on its second character.
	if err := ValidatePath("/\ud7ff"); err != nil {
		t.Errorf("U+D7FF: %v", err)
	}
}

func TestSequentialPath(t *testing.T) {
	cases := map[int32]string{
		0: "/n-0000000000", 42: "/n-0000000042", 2147483647: "/n-2147483647",
		-2147483648: "/n--2147483648", -5: "/n--000000005",
	}
	for n, want := range cases {
		if got := sequentialPath("/n-", n); got != want {
			t.Errorf("sequentialPath(%d) = %q, want %q", n, got, want)
		}
	}
}
