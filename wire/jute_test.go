package wire

import (
	"bytes"
	"errors"
	"math"
	"runtime"
	"testing"
)

func TestJutePrimitives(t *testing.T) {
	var b []byte
	b = AppendByte(b, 0x7f)
	b = AppendBool(b, true)
	b = AppendBool(b, false)
	b = AppendInt32(b, -2)
	b = AppendInt32(b, math.MaxInt32)
	b = AppendInt64(b, -1)
	b = AppendInt64(b, 0x0102030405060708)
	b = AppendBuffer(b, nil)
	b = AppendBuffer(b, []byte{})
	b = AppendBuffer(b, []byte("ab"))
	b = AppendString(b, "")
	b = AppendString(b, "/zk")
	b = AppendNullString(b)
	b = AppendStrings(b, nil)
	b = AppendStrings(b, []string{"x", "yz"})
	b = AppendInt32(b, -1) // null vector
	want := "7f" + "01" + "00" + "fffffffe" + "7fffffff" + "ffffffffffffffff" + "0102030405060708" +
		"ffffffff" + "00000000" + "00000002" + "6162" + "00000000" + "00000003" + "2f7a6b" + "ffffffff" +
		"00000000" + "00000002" + "00000001" + "78" + "00000002" + "797a" + "ffffffff"
	if got := hexString(b); got != want {
		t.Fatalf("encoding\n got %s\nwant %s", got, want)
	}

	r := NewJuteReader(b, 0)
	if v := r.Byte(); v != 0x7f {
		t.Errorf("Byte %x", v)
	}
	if !r.Bool() || r.Bool() {
		t.Error("Bool")
	}
	if v := r.Int32(); v != -2 {
		t.Errorf("Int32 %d", v)
	}
	if v := r.Int32(); v != math.MaxInt32 {
		t.Errorf("Int32 %d", v)
	}
	if v := r.Int64(); v != -1 {
		t.Errorf("Int64 %d", v)
	}
	if v := r.Int64(); v != 0x0102030405060708 {
		t.Errorf("Int64 %x", v)
	}
	if v := r.Buffer(); v != nil {
		t.Errorf("null buffer = %#v, want nil", v)
	}
	if v := r.Buffer(); v == nil || len(v) != 0 {
		t.Errorf("empty buffer = %#v, want non-nil empty", v)
	}
	if v := r.Buffer(); string(v) != "ab" {
		t.Errorf("buffer %q", v)
	}
	if s, ok := r.NullableString(); s != "" || !ok {
		t.Errorf("empty string %q %v", s, ok)
	}
	if v := r.String(); v != "/zk" {
		t.Errorf("string %q", v)
	}
	if s, ok := r.NullableString(); s != "" || ok {
		t.Errorf("null string %q %v", s, ok)
	}
	if v := r.Strings(); v != nil {
		t.Errorf("empty vector %#v", v)
	}
	if v := r.Strings(); len(v) != 2 || v[0] != "x" || v[1] != "yz" {
		t.Errorf("vector %#v", v)
	}
	if v := r.Strings(); v != nil {
		t.Errorf("null vector %#v", v)
	}
	if err := r.Complete(); err != nil {
		t.Fatal(err)
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestJuteBufferDoesNotAlias(t *testing.T) {
	src := AppendBuffer(nil, []byte("data"))
	got := NewJuteReader(src, 0).Buffer()
	src[4] = 'X'
	if string(got) != "data" {
		t.Fatalf("buffer aliases its input: %q", got)
	}
}

func TestJuteBoolNonZero(t *testing.T) {
	if !NewJuteReader([]byte{0x80}, 0).Bool() {
		t.Fatal("0x80 read as false")
	}
}

func TestJuteStickyError(t *testing.T) {
	r := NewJuteReader([]byte{0, 0, 0, 1, 2}, 0)
	if r.Int32() != 1 {
		t.Fatal("first int")
	}
	if v := r.Int64(); v != 0 {
		t.Fatalf("short Int64 = %d", v)
	}
	first := r.Err()
	if !errors.Is(first, ErrShortBuffer) {
		t.Fatalf("err %v", first)
	}
	// Later reads return zero values and keep the first error.
	if r.Byte() != 0 || r.Bool() || r.Int32() != 0 || r.Buffer() != nil || r.String() != "" || r.Strings() != nil {
		t.Error("reads after an error returned data")
	}
	if r.Err() != first || r.Complete() != first || r.Ok() || r.Remaining() != 0 {
		t.Errorf("sticky error lost: %v %v", r.Err(), r.Complete())
	}
	r.Fail(errors.New("later"))
	if r.Err() != first {
		t.Error("Fail replaced the first error")
	}
	r.Reset([]byte{1}, 0)
	if !r.Ok() || !r.Bool() || r.Complete() != nil {
		t.Error("Reset did not clear")
	}
}

func TestJuteComplete(t *testing.T) {
	r := NewJuteReader([]byte{0, 0, 0, 1, 9}, 0)
	r.Int32()
	if r.Remaining() != 1 {
		t.Fatalf("Remaining %d", r.Remaining())
	}
	if err := r.Complete(); !errors.Is(err, ErrTrailingBytes) || r.Err() != nil {
		t.Fatalf("Complete %v, Err %v", err, r.Err())
	}
	var zero JuteReader
	if zero.Complete() != nil || zero.Remaining() != 0 {
		t.Fatal("zero reader")
	}
	zero.Int32()
	if !errors.Is(zero.Err(), ErrShortBuffer) {
		t.Fatal("zero reader read")
	}
}

func TestJuteLimits(t *testing.T) {
	big := func(n int32) []byte { return AppendInt32(nil, n) }
	for _, tc := range []struct {
		name string
		in   []byte
		max  int
		read func(*JuteReader)
		want error
	}{
		{"buffer -2", big(-2), 0, func(r *JuteReader) { r.Buffer() }, ErrBadLength},
		{"buffer MinInt32", big(math.MinInt32), 0, func(r *JuteReader) { r.Buffer() }, ErrBadLength},
		{"buffer over default limit", big(DefaultMaxBuffer + 1), 0, func(r *JuteReader) { r.Buffer() }, ErrBadLength},
		{"buffer MaxInt32", big(math.MaxInt32), 0, func(r *JuteReader) { r.Buffer() }, ErrBadLength},
		{"buffer over limit 8", append(big(9), make([]byte, 9)...), 8, func(r *JuteReader) { r.Buffer() }, ErrBadLength},
		{"buffer beyond input", append(big(100), 1, 2), 0, func(r *JuteReader) { r.Buffer() }, ErrShortBuffer},
		{"string -5", big(-5), 0, func(r *JuteReader) { _ = r.String() }, ErrBadLength},
		{"string over limit", big(1 << 30), 0, func(r *JuteReader) { _ = r.String() }, ErrBadLength},
		{"string beyond input", big(3), 0, func(r *JuteReader) { _ = r.String() }, ErrShortBuffer},
		{"vector -2", big(-2), 0, func(r *JuteReader) { r.Strings() }, ErrBadLength},
		{"vector over limit", big(DefaultMaxBuffer + 1), 0, func(r *JuteReader) { r.Strings() }, ErrBadLength},
		{"vector beyond input", append(big(3), make([]byte, 11)...), 0, func(r *JuteReader) { r.Strings() }, ErrShortBuffer},
		{"vector of ACLs beyond input", append(big(2), make([]byte, 23)...), 0, func(r *JuteReader) { readACLs(r) }, ErrShortBuffer},
	} {
		r := NewJuteReader(tc.in, tc.max)
		tc.read(r)
		if !errors.Is(r.Err(), tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, r.Err(), tc.want)
		}
	}
	// Exactly at the limit is fine.
	in := AppendBuffer(nil, bytes.Repeat([]byte{1}, 8))
	if b := NewJuteReader(in, 8).Buffer(); len(b) != 8 {
		t.Errorf("buffer at limit: %d", len(b))
	}
	if r := NewJuteReader(AppendStrings(nil, make([]string, 3)), 2); r.Strings() != nil || !errors.Is(r.Err(), ErrBadLength) {
		t.Errorf("vector over limit 2: %v", r.Err())
	}
}

// A hostile length must not allocate: the checks come before make.
func TestJuteHostileLengthsDoNotAllocate(t *testing.T) {
	in := AppendInt32(nil, DefaultMaxBuffer) // claims 1 MiB, holds nothing
	var r JuteReader
	const runs = 100
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		r.Reset(in, 0)
		r.Buffer()
		r.Reset(in, 0)
		r.Strings()
		r.Reset(in, 0)
		readACLs(&r)
		r.Reset(in, 0)
		_ = r.String()
	}
	runtime.ReadMemStats(&after)
	// Only the error values are allocated: a few hundred bytes, not a MiB.
	if per := (after.TotalAlloc - before.TotalAlloc) / runs; per > 16<<10 {
		t.Fatalf("%d bytes allocated per run", per)
	}
	r.Reset(in, 0)
	if r.Buffer() != nil || !errors.Is(r.Err(), ErrShortBuffer) {
		t.Fatal(r.Err())
	}
}

func TestVectorLenMinElemSize(t *testing.T) {
	in := append(AppendInt32(nil, 4), make([]byte, 4)...)
	if n := NewJuteReader(in, 0).VectorLen(1); n != 4 {
		t.Errorf("VectorLen(1) = %d", n)
	}
	r := NewJuteReader(in, 0)
	if n := r.VectorLen(2); n != 0 || !errors.Is(r.Err(), ErrShortBuffer) {
		t.Errorf("VectorLen(2) = %d, %v", n, r.Err())
	}
	if n := NewJuteReader(AppendInt32(nil, -1), 0).VectorLen(4); n != -1 {
		t.Errorf("null vector = %d", n)
	}
	if n := NewJuteReader(AppendInt32(nil, 0), 0).VectorLen(0); n != 0 {
		t.Errorf("empty vector = %d", n)
	}
}
