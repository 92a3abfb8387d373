package wire

// Jute is ZooKeeper's binary record encoding (org.apache.jute.BinaryInputArchive
// and BinaryOutputArchive). Everything is big-endian and untagged:
//
//	boolean   1 byte, 0 false, anything else true (written as 1)
//	byte      1 byte
//	int       4 bytes, two's complement
//	long      8 bytes, two's complement
//	buffer    int32 length + bytes; length -1 is null, 0 is empty
//	ustring   int32 length + UTF-8 bytes; length -1 is null
//	vector<T> int32 count + count elements; count -1 is null
//	record    its fields in declaration order, no padding or version
//
// JuteReader decodes with a sticky error in the manner of franz-go's kbin:
// reads after the first failure return zero values, and Complete (or Err)
// reports what went wrong once the record is read. The Append* functions
// encode by appending to a caller-owned slice. No reflection is involved.

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// DefaultMaxBuffer is the default of the jute.maxbuffer system property,
// 0xfffff bytes: the largest frame a ZooKeeper server accepts and so the
// largest buffer, string or vector a record inside it can hold.
const DefaultMaxBuffer = 0xfffff

// Decoding errors. Errors returned by JuteReader wrap one of these.
var (
	// ErrShortBuffer means the input ended in the middle of a field.
	ErrShortBuffer = errors.New("wire: short buffer")
	// ErrBadLength means a length or count was negative (other than -1,
	// null) or larger than the reader's limit ("Unreasonable length" in
	// Java's BinaryInputArchive).
	ErrBadLength = errors.New("wire: unreasonable length")
	// ErrTrailingBytes means a record was decoded but input remained.
	ErrTrailingBytes = errors.New("wire: trailing bytes")
)

// JuteReader decodes jute primitives from a byte slice. The zero value reads
// from an empty input with the DefaultMaxBuffer limit.
//
// Note that String reads a jute ustring: it is not a fmt.Stringer, and
// printing a *JuteReader with %v or %s consumes input.
type JuteReader struct {
	src []byte
	max int
	err error
}

// NewJuteReader returns a reader over src. max bounds every buffer and string
// length and every vector count; max <= 0 means DefaultMaxBuffer. A length is
// also never trusted beyond the bytes that remain, so a hostile length cannot
// make the reader allocate more than the input's own size.
func NewJuteReader(src []byte, max int) *JuteReader {
	r := new(JuteReader)
	r.Reset(src, max)
	return r
}

// Reset makes r read src with limit max (as NewJuteReader), clearing any error.
func (r *JuteReader) Reset(src []byte, max int) {
	if max <= 0 {
		max = DefaultMaxBuffer
	}
	r.src, r.max, r.err = src, max, nil
}

func (r *JuteReader) limit() int {
	if r.max <= 0 {
		return DefaultMaxBuffer
	}
	return r.max
}

// Err returns the first error met, or nil.
func (r *JuteReader) Err() error { return r.err }

// Ok reports whether no error has been met.
func (r *JuteReader) Ok() bool { return r.err == nil }

// Complete returns the first error met, or an error wrapping ErrTrailingBytes
// when bytes remain unread, or nil when the input was consumed exactly.
func (r *JuteReader) Complete() error {
	if r.err != nil {
		return r.err
	}
	if len(r.src) != 0 {
		return fmt.Errorf("%w: %d bytes after the record", ErrTrailingBytes, len(r.src))
	}
	return nil
}

// Remaining returns how many bytes are left unread (0 once an error is met).
func (r *JuteReader) Remaining() int {
	if r.err != nil {
		return 0
	}
	return len(r.src)
}

// Fail records err as the reader's error unless one is recorded already, and
// drops the remaining input. Record decoders use it for semantic failures.
func (r *JuteReader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.src = nil
}

func (r *JuteReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if len(r.src) < n {
		r.Fail(fmt.Errorf("%w: need %d bytes, have %d", ErrShortBuffer, n, len(r.src)))
		return nil
	}
	b := r.src[:n]
	r.src = r.src[n:]
	return b
}

// Byte reads a jute byte.
func (r *JuteReader) Byte() byte {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// Bool reads a jute boolean; any non-zero byte is true, as in Java.
func (r *JuteReader) Bool() bool { return r.Byte() != 0 }

// Int32 reads a jute int.
func (r *JuteReader) Int32() int32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return int32(binary.BigEndian.Uint32(b))
}

// Int64 reads a jute long.
func (r *JuteReader) Int64() int64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return int64(binary.BigEndian.Uint64(b))
}

// length reads a buffer or string length: -1 (null) is returned as is; other
// negative values, values over the limit and values over the remaining input
// fail.
func (r *JuteReader) length(what string) int {
	n := r.Int32()
	if r.err != nil || n == -1 {
		return int(n)
	}
	if n < 0 || int(n) > r.limit() {
		r.Fail(fmt.Errorf("%w: %s length %d (limit %d)", ErrBadLength, what, n, r.limit()))
		return 0
	}
	if int(n) > len(r.src) {
		r.Fail(fmt.Errorf("%w: %s length %d, have %d bytes", ErrShortBuffer, what, n, len(r.src)))
		return 0
	}
	return int(n)
}

// Buffer reads a jute buffer. Length -1 (null) returns nil; length 0 returns
// a non-nil empty slice, so null and empty stay distinct. The result is a
// copy: it never aliases the reader's input, which callers often reuse.
func (r *JuteReader) Buffer() []byte {
	n := r.length("buffer")
	if r.err != nil || n < 0 {
		return nil
	}
	out := make([]byte, n)
	copy(out, r.take(n))
	return out
}

// String reads a jute ustring. Null (length -1) reads as "". The bytes are
// returned as they are (Java would replace invalid UTF-8 with U+FFFD).
func (r *JuteReader) String() string {
	s, _ := r.NullableString()
	return s
}

// NullableString reads a jute ustring and reports whether it was present
// (false for null, length -1).
func (r *JuteReader) NullableString() (string, bool) {
	n := r.length("string")
	if r.err != nil || n < 0 {
		return "", false
	}
	return string(r.take(n)), true
}

// VectorLen reads a vector count. It returns -1 for a null vector. A count
// below -1, above the limit, or larger than the remaining input could hold at
// minElemSize bytes per element fails and returns 0, so callers may allocate
// count elements safely.
func (r *JuteReader) VectorLen(minElemSize int) int {
	n := r.Int32()
	if r.err != nil || n == -1 {
		return int(n)
	}
	if n < 0 || int(n) > r.limit() {
		r.Fail(fmt.Errorf("%w: vector count %d (limit %d)", ErrBadLength, n, r.limit()))
		return 0
	}
	if minElemSize < 1 {
		minElemSize = 1
	}
	if int(n) > len(r.src)/minElemSize {
		r.Fail(fmt.Errorf("%w: vector count %d, have %d bytes", ErrShortBuffer, n, len(r.src)))
		return 0
	}
	return int(n)
}

// Strings reads a vector<ustring>. Null and empty vectors both read as nil.
func (r *JuteReader) Strings() []string {
	n := r.VectorLen(4)
	if n <= 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.String()
	}
	if r.err != nil {
		return nil
	}
	return out
}

// AppendByte appends a jute byte.
func AppendByte(dst []byte, v byte) []byte { return append(dst, v) }

// AppendBool appends a jute boolean (1 or 0).
func AppendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, 1)
	}
	return append(dst, 0)
}

// AppendInt32 appends a jute int.
func AppendInt32(dst []byte, v int32) []byte {
	return binary.BigEndian.AppendUint32(dst, uint32(v))
}

// AppendInt64 appends a jute long.
func AppendInt64(dst []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(v))
}

// AppendBuffer appends a jute buffer: nil as length -1 (null), anything
// else, including an empty non-nil slice, as its length and bytes.
func AppendBuffer(dst, v []byte) []byte {
	if v == nil {
		return AppendInt32(dst, -1)
	}
	dst = AppendInt32(dst, int32(len(v)))
	return append(dst, v...)
}

// AppendString appends a jute ustring. It never writes null: go-zookeeper
// reads a string length as unsigned, so a server must not send -1.
func AppendString(dst []byte, s string) []byte {
	dst = AppendInt32(dst, int32(len(s)))
	return append(dst, s...)
}

// AppendNullString appends a null ustring (length -1).
func AppendNullString(dst []byte) []byte { return AppendInt32(dst, -1) }

// AppendVectorLen appends a vector count. Vectors are never written as null
// (go-zookeeper reads the count as unsigned); a nil slice is an empty vector.
func AppendVectorLen(dst []byte, n int) []byte { return AppendInt32(dst, int32(n)) }

// AppendStrings appends a vector<ustring>; nil is written as an empty vector.
func AppendStrings(dst []byte, v []string) []byte {
	dst = AppendVectorLen(dst, len(v))
	for _, s := range v {
		dst = AppendString(dst, s)
	}
	return dst
}
