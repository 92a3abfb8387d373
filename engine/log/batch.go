package log

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Sizes and markers of the log entry formats (doc.go has the layouts).
const (
	// LogOverhead is the baseOffset and batchLength fields that open every
	// entry of a log file (Kafka's Records.LOG_OVERHEAD).
	LogOverhead = 12
	// BatchHeaderSize is the fixed header of a v2 RecordBatch
	// (DefaultRecordBatch.RECORD_BATCH_OVERHEAD).
	BatchHeaderSize = 61

	MagicV0 int8 = 0
	MagicV1 int8 = 1
	MagicV2 int8 = 2

	// NoTimestamp is RecordBatch.NO_TIMESTAMP.
	NoTimestamp int64 = -1
	// NoPartitionLeaderEpoch is RecordBatch.NO_PARTITION_LEADER_EPOCH.
	NoPartitionLeaderEpoch int32 = -1

	// headerUpToMagic is what a reader needs to size and classify an entry
	// (Records.HEADER_SIZE_UP_TO_MAGIC).
	headerUpToMagic = 17
	// legacyOverheadV0 and V1 are LegacyRecord.RECORD_OVERHEAD_V0/V1: the
	// smallest message after the 12-byte log overhead.
	legacyOverheadV0 = 14
	legacyOverheadV1 = 22
)

// Field offsets inside an entry.
const (
	offBaseOffset      = 0
	offLength          = 8
	offLeaderEpoch     = 12
	offMagic           = 16
	offCRC             = 17
	offAttributes      = 21
	offLastOffsetDelta = 23
	offFirstTimestamp  = 27
	offMaxTimestamp    = 35
	offProducerID      = 43
	offProducerEpoch   = 51
	offBaseSequence    = 53
	offRecordCount     = 57

	offLegacyCRC        = 12
	offLegacyAttributes = 17
	offLegacyTimestamp  = 18
)

// Attribute bits of a v2 batch (and the low ones of a legacy message).
const (
	attrCompressionMask = 0x07
	attrTimestampType   = 0x08
	attrTransactional   = 0x10
	attrControl         = 0x20
	attrDeleteHorizon   = 0x40
)

// Compression is the codec in a batch's attributes.
type Compression int8

// The codecs of attributes bits 0–2.
const (
	CompressionNone   Compression = 0
	CompressionGzip   Compression = 1
	CompressionSnappy Compression = 2
	CompressionLZ4    Compression = 3
	CompressionZstd   Compression = 4
)

// String is Kafka's CompressionType name.
func (c Compression) String() string {
	switch c {
	case CompressionNone:
		return "none"
	case CompressionGzip:
		return "gzip"
	case CompressionSnappy:
		return "snappy"
	case CompressionLZ4:
		return "lz4"
	case CompressionZstd:
		return "zstd"
	}
	return fmt.Sprintf("unknown(%d)", int8(c))
}

// TimestampType is attributes bit 3.
type TimestampType int8

// Kafka's TimestampType ids.
const (
	CreateTime    TimestampType = 0
	LogAppendTime TimestampType = 1
)

// Batch is a zero-copy view over one stored log entry: a v2 RecordBatch, or a
// legacy magic 0/1 message with its offset and size prefix. Its accessors read
// the fixed header only, so a view may hold just the first BatchHeaderSize
// bytes (what the log's header scans read); Validate and the record iteration
// need the whole entry.
//
// The accessors are those of a v2 batch. On a legacy entry BaseOffset is the
// entry's offset field (the last inner offset of a compressed wrapper),
// LastOffset is that same offset, MaxTimestamp is the v1 timestamp
// (NoTimestamp for v0), PartitionLeaderEpoch is NoPartitionLeaderEpoch and
// the producer fields are -1.
type Batch []byte

func (b Batch) u16(off int) uint16 { return binary.BigEndian.Uint16(b[off:]) }
func (b Batch) u32(off int) uint32 { return binary.BigEndian.Uint32(b[off:]) }
func (b Batch) u64(off int) uint64 { return binary.BigEndian.Uint64(b[off:]) }

// BaseOffset is the offset of the first record.
func (b Batch) BaseOffset() int64 { return int64(b.u64(offBaseOffset)) }

// BatchLength is the length field: the entry's size minus LogOverhead.
func (b Batch) BatchLength() int32 { return int32(b.u32(offLength)) }

// Size is the entry's size in bytes, from its length field.
func (b Batch) Size() int { return LogOverhead + int(b.BatchLength()) }

// Magic is the format version: 2 for a RecordBatch, 0 or 1 for a legacy message.
func (b Batch) Magic() int8 { return int8(b[offMagic]) }

// PartitionLeaderEpoch is the leader epoch the leader stamped on the batch.
func (b Batch) PartitionLeaderEpoch() int32 {
	if b.Magic() < MagicV2 {
		return NoPartitionLeaderEpoch
	}
	return int32(b.u32(offLeaderEpoch))
}

// CRC is the stored checksum: CRC-32C of bytes [21, end) for v2, CRC-32 (IEEE)
// of bytes [16, end) for a legacy message.
func (b Batch) CRC() uint32 {
	if b.Magic() < MagicV2 {
		return b.u32(offLegacyCRC)
	}
	return b.u32(offCRC)
}

// Attributes is the attributes field (a legacy message has one byte of them).
func (b Batch) Attributes() int16 {
	if b.Magic() < MagicV2 {
		return int16(b[offLegacyAttributes])
	}
	return int16(b.u16(offAttributes))
}

// LastOffsetDelta is the last record's offset minus BaseOffset.
func (b Batch) LastOffsetDelta() int32 {
	if b.Magic() < MagicV2 {
		return 0
	}
	return int32(b.u32(offLastOffsetDelta))
}

// FirstTimestamp is the first record's timestamp (the delete horizon when
// that attribute bit is set).
func (b Batch) FirstTimestamp() int64 {
	if b.Magic() < MagicV2 {
		return b.legacyTimestamp()
	}
	return int64(b.u64(offFirstTimestamp))
}

// MaxTimestamp is the largest record timestamp, or the broker's time for
// LogAppendTime.
func (b Batch) MaxTimestamp() int64 {
	if b.Magic() < MagicV2 {
		return b.legacyTimestamp()
	}
	return int64(b.u64(offMaxTimestamp))
}

func (b Batch) legacyTimestamp() int64 {
	if b.Magic() == MagicV1 {
		return int64(b.u64(offLegacyTimestamp))
	}
	return NoTimestamp
}

// ProducerID is the idempotent producer id, -1 if none.
func (b Batch) ProducerID() int64 {
	if b.Magic() < MagicV2 {
		return -1
	}
	return int64(b.u64(offProducerID))
}

// ProducerEpoch is the producer epoch, -1 if none.
func (b Batch) ProducerEpoch() int16 {
	if b.Magic() < MagicV2 {
		return -1
	}
	return int16(b.u16(offProducerEpoch))
}

// BaseSequence is the first record's sequence number, -1 if none.
func (b Batch) BaseSequence() int32 {
	if b.Magic() < MagicV2 {
		return -1
	}
	return int32(b.u32(offBaseSequence))
}

// RecordCount is the number of records the batch says it holds (1 for an
// uncompressed legacy message, -1 for a compressed legacy wrapper).
func (b Batch) RecordCount() int32 {
	if b.Magic() < MagicV2 {
		if b.Compression() != CompressionNone {
			return -1
		}
		return 1
	}
	return int32(b.u32(offRecordCount))
}

// LastOffset is the offset of the last record.
func (b Batch) LastOffset() int64 {
	if b.Magic() < MagicV2 {
		return b.BaseOffset()
	}
	return b.BaseOffset() + int64(b.LastOffsetDelta())
}

// NextOffset is LastOffset+1.
func (b Batch) NextOffset() int64 { return b.LastOffset() + 1 }

// Compression is the codec of the records.
func (b Batch) Compression() Compression {
	return Compression(b.Attributes() & attrCompressionMask)
}

// TimestampType is CreateTime or LogAppendTime.
func (b Batch) TimestampType() TimestampType {
	if b.Magic() == MagicV0 {
		return CreateTime
	}
	if b.Attributes()&attrTimestampType != 0 {
		return LogAppendTime
	}
	return CreateTime
}

// IsTransactional reports attributes bit 4.
func (b Batch) IsTransactional() bool {
	return b.Magic() >= MagicV2 && b.Attributes()&attrTransactional != 0
}

// IsControl reports attributes bit 5 (a transaction marker).
func (b Batch) IsControl() bool {
	return b.Magic() >= MagicV2 && b.Attributes()&attrControl != 0
}

// ComputeCRC computes the checksum CRC would hold for the entry's bytes.
func (b Batch) ComputeCRC() uint32 {
	if b.Magic() < MagicV2 {
		return crc32.ChecksumIEEE(b[offMagic:])
	}
	return crc32c(b[offAttributes:])
}

// crc32c is CRC-32C (Castagnoli), hardware-accelerated where the CPU has it.
// MakeTable returns the package's cached table for this polynomial.
func crc32c(p []byte) uint32 {
	return crc32.Checksum(p, crc32.MakeTable(crc32.Castagnoli))
}

// Validate checks that b is exactly one well-formed entry whose checksum
// matches (Kafka's ensureValid plus the size checks of its batch iterators).
// It returns ErrTruncatedBatch when b is shorter than its length field says
// and ErrCorruptBatch for every other fault.
func (b Batch) Validate() error {
	if len(b) < headerUpToMagic {
		return fmt.Errorf("%w: %d bytes, a header needs %d", ErrTruncatedBatch, len(b), headerUpToMagic)
	}
	size, _, err := entrySize(b)
	if err != nil {
		return err
	}
	switch {
	case int64(len(b)) < size:
		return fmt.Errorf("%w: %d bytes of a %d-byte batch", ErrTruncatedBatch, len(b), size)
	case int64(len(b)) > size:
		return fmt.Errorf("%w: %d bytes but the length field says %d", ErrCorruptBatch, len(b), size)
	}
	if stored, computed := b.CRC(), b.ComputeCRC(); stored != computed {
		return fmt.Errorf("%w: stored crc %d, computed crc %d", ErrCorruptBatch, stored, computed)
	}
	return nil
}

// entrySize reads the length and magic of the entry opening h (at least
// headerUpToMagic bytes) and checks them against the minimum sizes of its
// format. It returns the whole entry's size.
func entrySize(h []byte) (size int64, magic int8, err error) {
	length := int32(binary.BigEndian.Uint32(h[offLength:]))
	magic = int8(h[offMagic])
	minLen := int32(legacyOverheadV0)
	switch magic {
	case MagicV0:
	case MagicV1:
		minLen = legacyOverheadV1
	case MagicV2:
		minLen = BatchHeaderSize - LogOverhead
	default:
		if length < legacyOverheadV0 {
			return 0, magic, fmt.Errorf("%w: length %d is below the minimum %d", ErrCorruptBatch, length, legacyOverheadV0)
		}
		return 0, magic, fmt.Errorf("%w: invalid magic %d", ErrCorruptBatch, magic)
	}
	if length < minLen {
		return 0, magic, fmt.Errorf("%w: length %d is below the minimum %d for magic %d", ErrCorruptBatch, length, minLen, magic)
	}
	return LogOverhead + int64(length), magic, nil
}

// SetBaseOffset rewrites the baseOffset field in place. The v2 CRC starts
// after it, so the batch stays valid.
func (b Batch) SetBaseOffset(offset int64) {
	binary.BigEndian.PutUint64(b[offBaseOffset:], uint64(offset))
}

// SetPartitionLeaderEpoch rewrites the partitionLeaderEpoch field of a v2
// batch in place; it too lies before the CRC's range.
func (b Batch) SetPartitionLeaderEpoch(epoch int32) {
	binary.BigEndian.PutUint32(b[offLeaderEpoch:], uint32(epoch))
}

// SetMaxTimestamp sets the timestamp type bit and the maxTimestamp of a v2
// batch and recomputes its CRC, as Kafka does when it stamps LogAppendTime.
// b must be the whole batch.
func (b Batch) SetMaxTimestamp(t TimestampType, ts int64) {
	attrs := b.Attributes() &^ attrTimestampType
	if t == LogAppendTime {
		attrs |= attrTimestampType
	}
	binary.BigEndian.PutUint16(b[offAttributes:], uint16(attrs))
	binary.BigEndian.PutUint64(b[offMaxTimestamp:], uint64(ts))
	binary.BigEndian.PutUint32(b[offCRC:], b.ComputeCRC())
}

// BatchIter walks the entries concatenated in a buffer. It checks each
// entry's length and magic but not its checksum (call Validate). It stops at
// the first entry it cannot frame: Err then wraps ErrTruncatedBatch for a torn
// tail (the buffer ends inside an entry) or ErrCorruptBatch for an impossible
// length or magic, and Pos is the length of the well-framed prefix.
//
//	it := log.IterBatches(buf)
//	for it.Next() {
//		b := it.Batch()
//	}
//	err := it.Err()
type BatchIter struct {
	buf []byte
	pos int
	cur Batch
	err error
}

// IterBatches returns an iterator over the entries in buf.
func IterBatches(buf []byte) BatchIter { return BatchIter{buf: buf} }

// Next advances to the next entry, reporting whether there is one.
func (it *BatchIter) Next() bool {
	if it.err != nil || it.pos >= len(it.buf) {
		return false
	}
	rest := it.buf[it.pos:]
	if len(rest) < headerUpToMagic {
		it.err = fmt.Errorf("%w: %d bytes left at position %d, a header needs %d", ErrTruncatedBatch, len(rest), it.pos, headerUpToMagic)
		return false
	}
	size, _, err := entrySize(rest)
	if err != nil {
		it.err = fmt.Errorf("at position %d: %w", it.pos, err)
		return false
	}
	if int64(len(rest)) < size {
		it.err = fmt.Errorf("%w: %d bytes left at position %d of a %d-byte batch", ErrTruncatedBatch, len(rest), it.pos, size)
		return false
	}
	it.cur = Batch(rest[:size:size])
	it.pos += int(size)
	return true
}

// Batch is the current entry.
func (it *BatchIter) Batch() Batch { return it.cur }

// Pos is the number of bytes framed so far: the end of the current entry.
func (it *BatchIter) Pos() int { return it.pos }

// Err is nil after a clean end, else why iteration stopped.
func (it *BatchIter) Err() error { return it.err }

// isDataError reports whether err describes bad bytes (which recovery
// truncates) rather than a failed read.
func isDataError(err error) bool {
	return errors.Is(err, ErrCorruptBatch) || errors.Is(err, ErrTruncatedBatch)
}

// fileScanner walks the entries of a file between two positions, reading
// through a buffer: whole entries when whole is set (recovery validates them),
// else only their first BatchHeaderSize bytes (offset lookups need no more).
// The current Batch is valid until the next call to next.
type fileScanner struct {
	r        io.ReaderAt
	pos, end int64
	whole    bool
	chunk    int

	buf    []byte
	bufOff int64
	bufLen int

	cur     Batch
	curPos  int64
	curSize int64
	err     error
}

const (
	headerScanChunk = 8 << 10
	wholeScanChunk  = 1 << 20
)

func newFileScanner(r io.ReaderAt, start, end int64, whole bool) *fileScanner {
	chunk := headerScanChunk
	if whole {
		chunk = wholeScanChunk
	}
	return &fileScanner{r: r, pos: start, end: end, whole: whole, chunk: chunk}
}

func (s *fileScanner) next() bool {
	if s.err != nil || s.pos >= s.end {
		return false
	}
	avail := s.end - s.pos
	if avail < headerUpToMagic {
		s.err = fmt.Errorf("%w: %d bytes left at position %d, a header needs %d", ErrTruncatedBatch, avail, s.pos, headerUpToMagic)
		return false
	}
	h, err := s.window(s.pos, headerUpToMagic)
	if err != nil {
		s.err = err
		return false
	}
	size, _, err := entrySize(h)
	if err != nil {
		s.err = fmt.Errorf("at position %d: %w", s.pos, err)
		return false
	}
	if size > avail {
		s.err = fmt.Errorf("%w: %d bytes left at position %d of a %d-byte batch", ErrTruncatedBatch, avail, s.pos, size)
		return false
	}
	n := size
	if !s.whole && n > BatchHeaderSize {
		n = BatchHeaderSize
	}
	view, err := s.window(s.pos, int(n))
	if err != nil {
		s.err = err
		return false
	}
	s.cur, s.curPos, s.curSize = Batch(view), s.pos, size
	s.pos += size
	return true
}

// window returns n bytes at file position pos, refilling the buffer from pos
// when they are not all in it. The caller has checked pos+n <= end.
func (s *fileScanner) window(pos int64, n int) ([]byte, error) {
	if pos >= s.bufOff && pos+int64(n) <= s.bufOff+int64(s.bufLen) {
		i := int(pos - s.bufOff)
		return s.buf[i : i+n], nil
	}
	want := max(n, s.chunk)
	if rem := s.end - pos; int64(want) > rem {
		want = int(rem)
	}
	if cap(s.buf) < want {
		s.buf = make([]byte, want)
	}
	s.buf = s.buf[:want]
	m, err := s.r.ReadAt(s.buf, pos)
	s.bufOff, s.bufLen = pos, m
	if m < n {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: file ends %d bytes into a %d-byte read at position %d", ErrTruncatedBatch, m, n, pos)
		}
		return nil, err
	}
	return s.buf[:n], nil
}
