package log

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Seed corpora live in testdata/fuzz/<Target>/ (go test runs them as tests);
// the f.Add calls add a few generated ones.

// FuzzBatchIter: framing and validation never panic; a clean end frames
// every byte; every framed entry is exactly as long as its length field; a
// valid v2 batch's records decode or fail cleanly.
func FuzzBatchIter(f *testing.F) {
	f.Add(simpleBatch(f, 2, 10, 5))
	f.Add(append(simpleBatch(f, 1, 3, 1), buildBatch(f, batchSpec{records: recs(3, 20, 9, 2), compression: CompressionSnappy})...))
	f.Add(legacyMessage(1, 4, 100, []byte("k"), []byte("v")))
	f.Fuzz(func(t *testing.T, data []byte) {
		it := IterBatches(data)
		end := 0
		for it.Next() {
			b := it.Batch()
			end += len(b)
			if b.Size() != len(b) || it.Pos() != end {
				t.Fatalf("batch of %d bytes says %d, pos %d", len(b), b.Size(), it.Pos())
			}
			if err := b.Validate(); err != nil {
				if !errors.Is(err, ErrCorruptBatch) {
					t.Fatalf("Validate of a framed batch: %v", err)
				}
				continue
			}
			_ = b.LastOffset() + b.MaxTimestamp() + int64(b.RecordCount())
			if err := forEachRecordTime(b, func(int64, int64) bool { return true }); err != nil && !errors.Is(err, ErrCorruptBatch) {
				t.Fatalf("records: %v", err)
			}
		}
		if err := it.Err(); err == nil && it.Pos() != len(data) {
			t.Fatalf("clean end at %d of %d", it.Pos(), len(data))
		} else if err != nil && !isDataError(err) {
			t.Fatalf("Err() = %v", err)
		}
		if Batch(data).Validate() == nil {
			if it2 := IterBatches(data); !it2.Next() || it2.Pos() != len(data) {
				t.Fatal("a valid batch does not frame as one entry")
			}
		}
	})
}

// FuzzRecover: any bytes as a segment file open without panicking after an
// unclean shutdown, leave a log of valid batches with consistent indexes,
// and keep every leading valid batch.
func FuzzRecover(f *testing.F) {
	a, b := simpleBatch(f, 2, 10, 5), simpleBatch(f, 3, 4, 9)
	Batch(b).SetBaseOffset(2)
	f.Add(append(bytes.Clone(a), b...))
	f.Add(append(bytes.Clone(a), b[:20]...))
	f.Add(append(bytes.Clone(a), make([]byte, 100)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := filepath.Join(t.TempDir(), "fuzz-0")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "00000000000000000000.log"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg := DefaultConfig()
		cfg.IndexIntervalBytes = 30
		cfg.SegmentIndexBytes = 240
		l, err := Open(dir, cfg, nil)
		if err != nil {
			if errors.Is(err, ErrOffsetOverflow) {
				return
			}
			t.Fatal(err)
		}
		defer l.Close()
		// The leading run of valid batches with increasing offsets survives.
		want := 0
		prev := int64(-1)
		for it := IterBatches(data); it.Next(); {
			b := it.Batch()
			first := b.LastOffset()
			if b.Magic() >= MagicV2 {
				first = b.BaseOffset()
			}
			if b.Validate() != nil || first <= prev || b.LastOffset() < first || first < 0 {
				break
			}
			prev = b.LastOffset()
			want = it.Pos()
		}
		if got := l.Size(); got != int64(want) {
			t.Fatalf("recovered %d bytes, want %d", got, want)
		}
		checkSegmentIndexes(t, l.segs[0])
	})
}

// FuzzDecodeIndexes: the index readers accept any bytes and return only
// increasing entries.
func FuzzDecodeIndexes(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0, 0, 20}, int64(100))
	f.Add(make([]byte, 36), int64(0))
	f.Fuzz(func(t *testing.T, data []byte, base int64) {
		entries, n := DecodeOffsetIndex(data, base)
		if n != len(entries)*8 || n > len(data) {
			t.Fatalf("%d entries over %d bytes of %d", len(entries), n, len(data))
		}
		for i := 1; i < len(entries); i++ {
			if entries[i].Offset <= entries[i-1].Offset || entries[i].Position < entries[i-1].Position {
				t.Fatalf("offset index entries %v", entries)
			}
		}
		tentries, n := DecodeTimeIndex(data, base)
		if n != len(tentries)*12 || n > len(data) {
			t.Fatalf("%d time entries over %d bytes of %d", len(tentries), n, len(data))
		}
		for i := 1; i < len(tentries); i++ {
			if tentries[i].Timestamp <= tentries[i-1].Timestamp || tentries[i].Offset < tentries[i-1].Offset {
				t.Fatalf("time index entries %v", tentries)
			}
		}
	})
}

// FuzzCheckpoints: the text file parsers never panic, and whatever they
// accept survives a write and a re-read.
func FuzzCheckpoints(f *testing.F) {
	f.Add([]byte("0\n2\norders 0 42\nt 1 7\n"))
	f.Add([]byte("0\n1\n5 100\n"))
	f.Add([]byte("version: 0\ntopic_id: ZiGkBu5OQ8KOhzFg2-vvmA"))
	f.Add([]byte("#\n#date\nbroker.id=1\nversion=0\ncluster.id=abc\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := ParseOffsetCheckpoint(data); err == nil {
			back, err := ParseOffsetCheckpoint(AppendOffsetCheckpoint(nil, m))
			if err != nil && len(m) > 0 {
				// Topics with whitespace cannot round-trip; Kafka's topic
				// names never hold any.
				for tp := range m {
					if !bytes.ContainsAny([]byte(tp.Topic), " \t\n\r\f\v") && tp.Topic != "" {
						t.Fatalf("re-read of %v: %v", m, err)
					}
				}
			} else if err == nil && !maps.Equal(back, m) {
				t.Fatalf("round trip %v → %v", m, back)
			}
		} else if !errors.Is(err, ErrMalformedCheckpoint) {
			t.Fatalf("offset checkpoint error %v", err)
		}
		if e, err := ParseLeaderEpochCheckpoint(data); err == nil {
			back, err := ParseLeaderEpochCheckpoint(AppendLeaderEpochCheckpoint(nil, e))
			if err != nil || !slices.Equal(back, e) {
				t.Fatalf("round trip %v → %v, %v", e, back, err)
			}
		}
		if id, err := ParsePartitionMetadata(data); err == nil {
			back, err := ParsePartitionMetadata(AppendPartitionMetadata(nil, id))
			if err != nil || back != id {
				t.Fatalf("round trip %v → %v, %v", id, back, err)
			}
		}
		if mp, err := ParseMetaProperties(data); err == nil {
			if _, err := ParseMetaProperties(AppendMetaProperties(nil, mp, newFakeClock().Now())); err != nil {
				t.Fatalf("re-read of %+v: %v", mp, err)
			}
		}
	})
}
