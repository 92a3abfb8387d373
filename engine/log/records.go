package log

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// forEachRecordTime calls fn with the offset and timestamp of each record of
// the whole entry b, in order, until fn returns false. Compressed v2 batches
// are decompressed. A legacy entry counts as one record at its (last) offset
// and timestamp: the shallow view, which is exact for uncompressed messages.
func forEachRecordTime(b Batch, fn func(offset, timestamp int64) bool) error {
	if b.Magic() < MagicV2 {
		fn(b.LastOffset(), b.MaxTimestamp())
		return nil
	}
	data := []byte(b[BatchHeaderSize:])
	if c := b.Compression(); c != CompressionNone {
		var err error
		if data, err = decompress(c, data); err != nil {
			return fmt.Errorf("%w: batch at offset %d: %w", ErrCorruptBatch, b.BaseOffset(), err)
		}
	}
	base, first := b.BaseOffset(), b.FirstTimestamp()
	logAppend, maxTs := b.TimestampType() == LogAppendTime, b.MaxTimestamp()
	count := b.RecordCount()
	for i := int32(0); i < count; i++ {
		length, n := varint(data)
		if n <= 0 || length < 0 || int64(length) > int64(len(data)-n) {
			return fmt.Errorf("%w: batch at offset %d: bad length of record %d", ErrCorruptBatch, base, i)
		}
		rec := data[n : n+int(length)]
		data = data[n+int(length):]
		if len(rec) < 1 {
			return fmt.Errorf("%w: batch at offset %d: empty record %d", ErrCorruptBatch, base, i)
		}
		tsDelta, n1 := varint(rec[1:])
		if n1 <= 0 {
			return fmt.Errorf("%w: batch at offset %d: bad timestamp delta of record %d", ErrCorruptBatch, base, i)
		}
		offDelta, n2 := varint(rec[1+n1:])
		if n2 <= 0 || offDelta != int64(int32(offDelta)) {
			return fmt.Errorf("%w: batch at offset %d: bad offset delta of record %d", ErrCorruptBatch, base, i)
		}
		ts := first + tsDelta
		if logAppend {
			ts = maxTs
		}
		if !fn(base+offDelta, ts) {
			return nil
		}
	}
	return nil
}

// varint decodes a zigzag varint (Kafka's ByteUtils.readVarlong), returning
// the value and the bytes used, or n <= 0 when p holds no complete varint.
func varint(p []byte) (int64, int) {
	u, n := binary.Uvarint(p)
	if n <= 0 {
		return 0, n
	}
	return int64(u>>1) ^ -int64(u&1), n
}

// xerialHeader opens snappy data in snappy-java's framing, which the Java
// client writes; librdkafka and franz-go write one raw block.
const xerialHeader = "\x82SNAPPY\x00"

// maxDecompressed bounds what decompress produces, against corrupt or
// hostile data (a stored batch is at most max.message.bytes compressed).
const maxDecompressed = 256 << 20

// readAllLimited reads r up to maxDecompressed bytes.
func readAllLimited(r io.Reader) ([]byte, error) {
	out, err := io.ReadAll(io.LimitReader(r, maxDecompressed+1))
	if err == nil && len(out) > maxDecompressed {
		err = fmt.Errorf("decompressed data exceeds %d bytes", maxDecompressed)
	}
	return out, err
}

// unsnappyBlock decodes one raw snappy block.
func unsnappyBlock(dst, src []byte) ([]byte, error) {
	n, err := snappy.DecodedLen(src)
	if err != nil {
		return nil, err
	}
	if n > maxDecompressed-len(dst) {
		return nil, fmt.Errorf("decompressed data exceeds %d bytes", maxDecompressed)
	}
	block, err := snappy.Decode(nil, src)
	if err != nil {
		return nil, err
	}
	return append(dst, block...), nil
}

// decompress inflates the records section of a compressed batch.
func decompress(c Compression, src []byte) ([]byte, error) {
	switch c {
	case CompressionGzip:
		zr, err := gzip.NewReader(bytes.NewReader(src))
		if err != nil {
			return nil, err
		}
		return readAllLimited(zr)
	case CompressionSnappy:
		if len(src) < 16 || string(src[:8]) != xerialHeader {
			return unsnappyBlock(nil, src)
		}
		var out []byte
		for rest := src[16:]; len(rest) > 0; {
			if len(rest) < 4 {
				return nil, fmt.Errorf("xerial snappy: %d stray bytes", len(rest))
			}
			n := binary.BigEndian.Uint32(rest)
			rest = rest[4:]
			if uint64(n) > uint64(len(rest)) {
				return nil, fmt.Errorf("xerial snappy: block of %d bytes with %d left", n, len(rest))
			}
			var err error
			if out, err = unsnappyBlock(out, rest[:n]); err != nil {
				return nil, err
			}
			rest = rest[n:]
		}
		return out, nil
	case CompressionLZ4:
		return readAllLimited(lz4.NewReader(bytes.NewReader(src)))
	case CompressionZstd:
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxDecompressed))
		if err != nil {
			return nil, err
		}
		defer d.Close()
		return d.DecodeAll(src, nil)
	}
	return nil, fmt.Errorf("unknown compression codec %d", int8(c))
}
