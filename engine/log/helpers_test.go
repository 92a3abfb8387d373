package log

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testRecord is a record for buildBatch.
type testRecord struct {
	key, value []byte // nil is null
	ts         int64
}

// batchSpec describes a v2 batch for buildBatch.
type batchSpec struct {
	records       []testRecord
	compression   Compression
	logAppendTime int64 // > 0: LogAppendTime with this maxTimestamp
	producerID    int64
	xerial        bool // snappy in xerial framing
}

// recs makes n records of valueSize bytes with timestamps ts, ts+step, ...
func recs(n, valueSize int, ts, step int64) []testRecord {
	out := make([]testRecord, n)
	for i := range out {
		v := make([]byte, valueSize)
		for j := range v {
			v[j] = byte('a' + (i+j)%26)
		}
		out[i] = testRecord{key: []byte{byte('k'), byte('0' + i%10)}, value: v, ts: ts + int64(i)*step}
	}
	return out
}

func appendVarint(dst []byte, v int64) []byte {
	return binary.AppendUvarint(dst, uint64(v<<1)^uint64(v>>63))
}

// buildBatch encodes a v2 RecordBatch as a producer sends it: baseOffset 0,
// partitionLeaderEpoch -1, a valid CRC.
func buildBatch(tb testing.TB, spec batchSpec) []byte {
	tb.Helper()
	if len(spec.records) == 0 {
		tb.Fatal("buildBatch: no records")
	}
	first := spec.records[0].ts
	maxTs := first
	var body []byte
	for i, r := range spec.records {
		maxTs = max(maxTs, r.ts)
		var rec []byte
		rec = append(rec, 0) // attributes
		rec = appendVarint(rec, r.ts-first)
		rec = appendVarint(rec, int64(i))
		if r.key == nil {
			rec = appendVarint(rec, -1)
		} else {
			rec = appendVarint(rec, int64(len(r.key)))
			rec = append(rec, r.key...)
		}
		if r.value == nil {
			rec = appendVarint(rec, -1)
		} else {
			rec = appendVarint(rec, int64(len(r.value)))
			rec = append(rec, r.value...)
		}
		rec = appendVarint(rec, 0) // headers
		body = appendVarint(body, int64(len(rec)))
		body = append(body, rec...)
	}
	body = compressForTest(tb, spec, body)
	attrs := int16(spec.compression)
	if spec.logAppendTime > 0 {
		attrs |= attrTimestampType
		maxTs = spec.logAppendTime
	}
	pid := int64(-1)
	if spec.producerID != 0 {
		pid = spec.producerID
	}
	b := make([]byte, BatchHeaderSize, BatchHeaderSize+len(body))
	be := binary.BigEndian
	be.PutUint64(b[0:], 0)
	be.PutUint32(b[8:], uint32(BatchHeaderSize-LogOverhead+len(body)))
	be.PutUint32(b[12:], 0xffffffff)
	b[16] = 2
	be.PutUint16(b[21:], uint16(attrs))
	be.PutUint32(b[23:], uint32(len(spec.records)-1))
	be.PutUint64(b[27:], uint64(first))
	be.PutUint64(b[35:], uint64(maxTs))
	be.PutUint64(b[43:], uint64(pid))
	be.PutUint16(b[51:], 0xffff)
	be.PutUint32(b[53:], 0xffffffff)
	be.PutUint32(b[57:], uint32(len(spec.records)))
	b = append(b, body...)
	be.PutUint32(b[17:], crc32c(b[21:]))
	return b
}

func compressForTest(tb testing.TB, spec batchSpec, body []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	switch spec.compression {
	case CompressionNone:
		return body
	case CompressionGzip:
		w := gzip.NewWriter(&buf)
		w.Write(body)
		w.Close()
	case CompressionSnappy:
		if !spec.xerial {
			return snappy.Encode(nil, body)
		}
		buf.WriteString(xerialHeader)
		binary.Write(&buf, binary.BigEndian, int32(1))
		binary.Write(&buf, binary.BigEndian, int32(1))
		for len(body) > 0 {
			n := min(len(body), 100)
			blk := snappy.Encode(nil, body[:n])
			binary.Write(&buf, binary.BigEndian, int32(len(blk)))
			buf.Write(blk)
			body = body[n:]
		}
	case CompressionLZ4:
		w := lz4.NewWriter(&buf)
		w.Write(body)
		w.Close()
	case CompressionZstd:
		e, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		if err != nil {
			tb.Fatal(err)
		}
		out := e.EncodeAll(body, nil)
		e.Close()
		return out
	}
	return buf.Bytes()
}

// simpleBatch is an uncompressed batch of n records at ts (1 ms apart).
func simpleBatch(tb testing.TB, n, valueSize int, ts int64) []byte {
	return buildBatch(tb, batchSpec{records: recs(n, valueSize, ts, 1)})
}

// legacyMessage encodes a magic 0 or 1 log entry at offset.
func legacyMessage(magic int8, offset int64, ts int64, key, value []byte) []byte {
	var m []byte
	m = append(m, 0, 0, 0, 0) // crc
	m = append(m, byte(magic), 0)
	if magic == 1 {
		m = binary.BigEndian.AppendUint64(m, uint64(ts))
	}
	m = binary.BigEndian.AppendUint32(m, uint32(len(key)))
	m = append(m, key...)
	m = binary.BigEndian.AppendUint32(m, uint32(len(value)))
	m = append(m, value...)
	e := binary.BigEndian.AppendUint64(nil, uint64(offset))
	e = binary.BigEndian.AppendUint32(e, uint32(len(m)))
	e = append(e, m...)
	binary.BigEndian.PutUint32(e[12:], Batch(e).ComputeCRC())
	return e
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testLogger sends log output to t.Log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// testConfig is DefaultConfig with a fake clock and small sizes for tests.
func testConfig(clock *fakeClock) Config {
	cfg := DefaultConfig()
	cfg.Clock = clock.Now
	cfg.SegmentIndexBytes = 1 << 12
	cfg.IndexIntervalBytes = 256
	cfg.FileDeleteDelayMs = 0
	return cfg
}

// openTest opens dir/<name> with cfg, failing the test on error.
func openTest(t testing.TB, dir string, cfg Config) *Log {
	t.Helper()
	l, err := Open(dir, cfg, testLogger(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return l
}

// mustAppend appends a copy of batches and returns the info.
func mustAppend(t testing.TB, l *Log, batches []byte, epoch int32) AppendInfo {
	t.Helper()
	info, err := l.Append(bytes.Clone(batches), epoch)
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	return info
}

// readAll reads every batch from offset on, following the returned sections.
func readAll(t testing.TB, l *Log, offset int64) []Batch {
	t.Helper()
	var out []Batch
	for offset < l.LogEndOffset() {
		d, err := l.Read(offset, 1<<20, l.LogEndOffset())
		if err != nil {
			t.Fatalf("Read(%d): %v", offset, err)
		}
		if d.Size == 0 {
			break
		}
		data, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		it := IterBatches(data)
		for it.Next() {
			b := Batch(bytes.Clone(it.Batch()))
			out = append(out, b)
			offset = b.NextOffset()
		}
		if err := it.Err(); err != nil && !errors.Is(err, ErrTruncatedBatch) {
			t.Fatal(err)
		}
	}
	return out
}

// fileBytes reads a file, failing the test on error.
func fileBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// golden compares got with testdata/<name>, rewriting it under -update.
func golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file: got %d bytes, want %d\ngot:  %x\nwant: %x", name, len(got), len(want), head(got), head(want))
	}
}

func head(b []byte) []byte {
	if len(b) > 96 {
		return b[:96]
	}
	return b
}
