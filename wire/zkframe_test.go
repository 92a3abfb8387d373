package wire

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"
	"testing/iotest"
)

func TestReadFrame(t *testing.T) {
	var stream []byte
	stream = AppendFrame(stream, []byte("hello"))
	stream = AppendFrame(stream, nil)
	stream = AppendFrame(stream, bytes.Repeat([]byte{7}, 300))
	r := iotest.HalfReader(bytes.NewReader(stream)) // short reads must not matter
	buf := make([]byte, 0, 16)
	got, err := ReadFrame(r, buf, 0)
	if err != nil || string(got) != "hello" {
		t.Fatalf("frame 1: %q %v", got, err)
	}
	if &got[0] != &buf[:1][0] {
		t.Error("frame 1 did not reuse buf")
	}
	got, err = ReadFrame(r, buf, 0)
	if err != nil || len(got) != 0 {
		t.Fatalf("frame 2: %q %v", got, err)
	}
	got, err = ReadFrame(r, buf, 0)
	if err != nil || len(got) != 300 || got[299] != 7 {
		t.Fatalf("frame 3: %d bytes %v", len(got), err)
	}
	if _, err = ReadFrame(r, buf, 0); err != io.EOF {
		t.Fatalf("at end: %v, want io.EOF", err)
	}
}

func TestReadFrameErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		max  int
		want error
	}{
		{"negative", []byte{0xff, 0xff, 0xff, 0xfe}, 0, ErrFrameTooLarge},
		{"over default", []byte{0x00, 0x10, 0x00, 0x00}, 0, ErrFrameTooLarge},
		{"over max", AppendFrame(nil, make([]byte, 11)), 10, ErrFrameTooLarge},
		{"four-letter word as length", []byte("ruok"), 0, ErrFrameTooLarge},
		{"short prefix", []byte{0, 0}, 0, io.ErrUnexpectedEOF},
		{"short payload", []byte{0, 0, 0, 5, 1, 2}, 0, io.ErrUnexpectedEOF},
		{"prefix only", []byte{0, 0, 0, 5}, 0, io.ErrUnexpectedEOF},
	} {
		_, err := ReadFrame(bytes.NewReader(tc.in), nil, tc.max)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	_, err := ReadFrame(bytes.NewReader([]byte("stat")), nil, 0)
	if err == nil || err.Error() != "wire: frame too large: length 1937006964, limit 1048575" {
		t.Errorf("error text: %v", err)
	}
	// Exactly max is accepted.
	if got, err := ReadFrame(bytes.NewReader(AppendFrame(nil, make([]byte, 10))), nil, 10); err != nil || len(got) != 10 {
		t.Errorf("frame at max: %d %v", len(got), err)
	}
}

func TestReadFrameBodyAfterFourLetterCheck(t *testing.T) {
	stream := AppendRequest(nil, RequestHeader{Xid: 1, Type: OpPing}, nil)
	r := bytes.NewReader(stream)
	var first [4]byte
	if _, err := io.ReadFull(r, first[:]); err != nil {
		t.Fatal(err)
	}
	if _, ok := IsFourLetterWord(first); ok {
		t.Fatal("a length read as a four-letter word")
	}
	got, err := ReadFrameBody(r, first, nil, 0)
	if err != nil || len(got) != RequestHeaderSize {
		t.Fatalf("%x %v", got, err)
	}
	if _, err := ReadFrameBody(bytes.NewReader(nil), [4]byte{0, 0, 0, 1}, nil, 0); err != io.ErrUnexpectedEOF {
		t.Fatalf("empty body: %v", err)
	}
}

func TestReadFrameReusesBufferWithoutAllocating(t *testing.T) {
	frame := AppendFrame(nil, bytes.Repeat([]byte{1}, 64))
	buf := make([]byte, 0, 128)
	var br bytes.Reader
	allocs := testing.AllocsPerRun(100, func() {
		br.Reset(frame)
		if _, err := ReadFrame(&br, buf, 0); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per frame", allocs)
	}
}

func TestStartEndFrame(t *testing.T) {
	dst := []byte("xx")
	dst, start := StartFrame(dst)
	dst = append(dst, "abc"...)
	dst = EndFrame(dst, start)
	if string(dst) != "xx\x00\x00\x00\x03abc" {
		t.Fatalf("%q", dst)
	}
	if got := AppendFrame([]byte("y"), []byte("ab")); string(got) != "y\x00\x00\x00\x02ab" {
		t.Fatalf("AppendFrame %q", got)
	}
}

func TestFourLetterWords(t *testing.T) {
	want := []string{"ruok", "stat", "srvr", "conf", "cons", "crst", "dump", "envi", "mntr", "srst",
		"wchs", "wchc", "wchp", "isro", "dirs", "gtmk", "stmk", "hash"}
	words := FourLetterWords()
	if len(words) != len(want) || !slices.IsSorted(words) {
		t.Fatalf("FourLetterWords() = %v", words)
	}
	for _, w := range want {
		got, ok := IsFourLetterWord([4]byte([]byte(w)))
		if !ok || got != w {
			t.Errorf("%s: %q %v", w, got, ok)
		}
		if !slices.Contains(words, w) {
			t.Errorf("%s missing from FourLetterWords", w)
		}
	}
	for _, w := range []string{"RUOK", "ruo\n", "\x00\x00\x00\x2d", "icfg", "kill", "\xff\xf4\xff\xfd"} {
		if got, ok := IsFourLetterWord([4]byte([]byte(w))); ok {
			t.Errorf("%q accepted as %q", w, got)
		}
	}
	// The words never fit under the default limit, so they cannot be real lengths.
	for _, w := range words {
		if _, err := ReadFrame(bytes.NewReader([]byte(w)), nil, 0); !errors.Is(err, ErrFrameTooLarge) {
			t.Errorf("%s as a length: %v", w, err)
		}
	}
	words[0] = "changed"
	if FourLetterWords()[0] != "conf" {
		t.Error("FourLetterWords shares its slice")
	}
}
