package log

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestBatchAccessors reads a batch's header with Batch and with franz-go's
// independent decoder.
func TestBatchAccessors(t *testing.T) {
	raw := buildBatch(t, batchSpec{records: recs(3, 10, 1000, 5), producerID: 77})
	b := Batch(raw)
	b.SetBaseOffset(42)
	b.SetPartitionLeaderEpoch(7)
	var k kmsg.RecordBatch
	if err := k.ReadFrom(raw); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want int64
	}{
		{"BaseOffset", b.BaseOffset(), k.FirstOffset},
		{"BatchLength", int64(b.BatchLength()), int64(k.Length)},
		{"PartitionLeaderEpoch", int64(b.PartitionLeaderEpoch()), int64(k.PartitionLeaderEpoch)},
		{"Magic", int64(b.Magic()), int64(k.Magic)},
		{"CRC", int64(int32(b.CRC())), int64(k.CRC)},
		{"Attributes", int64(b.Attributes()), int64(k.Attributes)},
		{"LastOffsetDelta", int64(b.LastOffsetDelta()), int64(k.LastOffsetDelta)},
		{"FirstTimestamp", b.FirstTimestamp(), k.FirstTimestamp},
		{"MaxTimestamp", b.MaxTimestamp(), k.MaxTimestamp},
		{"ProducerID", b.ProducerID(), k.ProducerID},
		{"ProducerEpoch", int64(b.ProducerEpoch()), int64(k.ProducerEpoch)},
		{"BaseSequence", int64(b.BaseSequence()), int64(k.FirstSequence)},
		{"RecordCount", int64(b.RecordCount()), int64(k.NumRecords)},
		{"LastOffset", b.LastOffset(), 44},
		{"Size", int64(b.Size()), int64(len(raw))},
		{"MaxTimestamp value", b.MaxTimestamp(), 1010},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if b.Compression() != CompressionNone || b.TimestampType() != CreateTime || b.IsTransactional() || b.IsControl() {
		t.Errorf("attributes decoded wrong: %v %v %v %v", b.Compression(), b.TimestampType(), b.IsTransactional(), b.IsControl())
	}
	var n int
	err := forEachRecordTime(b, func(off, ts int64) bool {
		if off != 42+int64(n) || ts != 1000+5*int64(n) {
			t.Errorf("record %d: offset %d ts %d", n, off, ts)
		}
		n++
		return true
	})
	if err != nil || n != 3 {
		t.Errorf("forEachRecordTime: %d records, %v", n, err)
	}
}

func TestBatchValidate(t *testing.T) {
	good := buildBatch(t, batchSpec{records: recs(2, 20, 5, 1)})
	mutate := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"valid", good, nil},
		{"valid legacy v0", legacyMessage(0, 9, 0, []byte("k"), []byte("v")), nil},
		{"valid legacy v1", legacyMessage(1, 9, 123, nil, []byte("value")), nil},
		{"empty", nil, ErrTruncatedBatch},
		{"header only", good[:20], ErrTruncatedBatch},
		{"torn", good[:len(good)-1], ErrTruncatedBatch},
		{"trailing byte", append(bytes.Clone(good), 0), ErrCorruptBatch},
		{"crc mismatch", mutate(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), ErrCorruptBatch},
		{"attributes change crc", mutate(func(b []byte) []byte { b[22] ^= 1; return b }), ErrCorruptBatch},
		{"bad magic", mutate(func(b []byte) []byte { b[16] = 3; return b }), ErrCorruptBatch},
		{"negative magic", mutate(func(b []byte) []byte { b[16] = 0xff; return b }), ErrCorruptBatch},
		{"length below v2 header", mutate(func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[8:], 40)
			return b[:52]
		}), ErrCorruptBatch},
		{"length below minimum", mutate(func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[8:], 13)
			return b[:25]
		}), ErrCorruptBatch},
		{"legacy crc", func() []byte {
			m := legacyMessage(1, 9, 123, nil, []byte("value"))
			m[len(m)-1] ^= 0xff
			return m
		}(), ErrCorruptBatch},
		{"legacy v1 too short", func() []byte {
			m := legacyMessage(0, 9, 0, nil, nil)
			m[16] = 1
			return m
		}(), ErrCorruptBatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Batch(tt.b).Validate()
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestPatchKeepsCRC: baseOffset and partitionLeaderEpoch lie before the CRC's
// range, so rewriting them leaves the batch valid; SetMaxTimestamp recomputes
// the CRC.
func TestPatchKeepsCRC(t *testing.T) {
	b := Batch(buildBatch(t, batchSpec{records: recs(4, 8, 100, 1)}))
	crc := b.CRC()
	b.SetBaseOffset(1 << 40)
	b.SetPartitionLeaderEpoch(123456)
	if err := b.Validate(); err != nil || b.CRC() != crc {
		t.Fatalf("after patching: %v (crc %d → %d)", err, crc, b.CRC())
	}
	if b.BaseOffset() != 1<<40 || b.PartitionLeaderEpoch() != 123456 || b.LastOffset() != 1<<40+3 {
		t.Fatalf("patched fields: %d %d %d", b.BaseOffset(), b.PartitionLeaderEpoch(), b.LastOffset())
	}
	b.SetMaxTimestamp(LogAppendTime, 999)
	if err := b.Validate(); err != nil {
		t.Fatalf("after SetMaxTimestamp: %v", err)
	}
	if b.TimestampType() != LogAppendTime || b.MaxTimestamp() != 999 {
		t.Fatalf("SetMaxTimestamp: %v %d", b.TimestampType(), b.MaxTimestamp())
	}
	n := 0
	forEachRecordTime(b, func(_, ts int64) bool {
		if ts != 999 {
			t.Errorf("LogAppendTime record timestamp %d, want 999", ts)
		}
		n++
		return true
	})
	if n != 4 {
		t.Fatalf("%d records", n)
	}
}

// TestBatchIterTornTail cuts three concatenated batches at every length: the
// iterator yields exactly the whole batches before the cut and reports a torn
// tail unless the cut falls on a boundary.
func TestBatchIterTornTail(t *testing.T) {
	var buf []byte
	var ends []int
	for i := 0; i < 3; i++ {
		buf = append(buf, simpleBatch(t, i+1, 30*(i+1), int64(i))...)
		ends = append(ends, len(buf))
	}
	for cut := 0; cut <= len(buf); cut++ {
		it := IterBatches(buf[:cut])
		n := 0
		for it.Next() {
			if err := it.Batch().Validate(); err != nil {
				t.Fatalf("cut %d: batch %d: %v", cut, n, err)
			}
			n++
		}
		wantN, wantPos := 0, 0
		for _, e := range ends {
			if e <= cut {
				wantN, wantPos = wantN+1, e
			}
		}
		if n != wantN || it.Pos() != wantPos {
			t.Fatalf("cut %d: %d batches ending at %d, want %d ending at %d", cut, n, it.Pos(), wantN, wantPos)
		}
		onBoundary := cut == wantPos
		if err := it.Err(); onBoundary && err != nil || !onBoundary && !errors.Is(err, ErrTruncatedBatch) {
			t.Fatalf("cut %d: Err() = %v", cut, err)
		}
	}
}

func TestBatchIterCorruptLength(t *testing.T) {
	a := simpleBatch(t, 1, 10, 0)
	b := simpleBatch(t, 1, 10, 0)
	binary.BigEndian.PutUint32(b[8:], 3)
	it := IterBatches(append(bytes.Clone(a), b...))
	if !it.Next() || it.Next() {
		t.Fatal("want exactly one batch")
	}
	if !errors.Is(it.Err(), ErrCorruptBatch) || it.Pos() != len(a) {
		t.Fatalf("Err() = %v at %d", it.Err(), it.Pos())
	}
}

// TestRecordTimesCompressed decodes record timestamps through every codec.
func TestRecordTimesCompressed(t *testing.T) {
	specs := map[string]batchSpec{
		"gzip":          {compression: CompressionGzip},
		"snappy":        {compression: CompressionSnappy},
		"snappy xerial": {compression: CompressionSnappy, xerial: true},
		"lz4":           {compression: CompressionLZ4},
		"zstd":          {compression: CompressionZstd},
	}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			spec.records = recs(20, 40, 500, 3)
			b := Batch(buildBatch(t, spec))
			if err := b.Validate(); err != nil {
				t.Fatal(err)
			}
			if b.Compression() != spec.compression {
				t.Fatalf("compression %v", b.Compression())
			}
			var got []int64
			if err := forEachRecordTime(b, func(off, ts int64) bool {
				got = append(got, off, ts)
				return true
			}); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 20; i++ {
				if got[2*i] != int64(i) || got[2*i+1] != 500+3*int64(i) {
					t.Fatalf("record %d: offset %d ts %d", i, got[2*i], got[2*i+1])
				}
			}
		})
	}
}
