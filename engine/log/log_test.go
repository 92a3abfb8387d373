package log

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestOpenNewLog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "orders-3")
	l := openTest(t, dir, testConfig(newFakeClock()))
	defer l.Close()
	if tp := l.TopicPartition(); tp != (TopicPartition{"orders", 3}) {
		t.Fatalf("TopicPartition = %v", tp)
	}
	if l.LogStartOffset() != 0 || l.LogEndOffset() != 0 || l.Size() != 0 {
		t.Fatalf("new log: start %d end %d size %d", l.LogStartOffset(), l.LogEndOffset(), l.Size())
	}
	for _, name := range []string{"00000000000000000000.log", "00000000000000000000.index", "00000000000000000000.timeindex", LeaderEpochCheckpointFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if d, err := l.Read(0, 100, 10); err != nil || d.Size != 0 {
		t.Fatalf("Read of empty log = %+v, %v", d, err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "nopartition"), testConfig(newFakeClock()), nil); err == nil {
		t.Fatal("Open of a directory not named topic-partition succeeded")
	}
	bad := testConfig(newFakeClock())
	bad.SegmentBytes = 10
	if _, err := Open(filepath.Join(t.TempDir(), "t-0"), bad, nil); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("Open with segment.bytes 10: %v", err)
	}
}

func TestAppendAssignsOffsets(t *testing.T) {
	l := openTest(t, filepath.Join(t.TempDir(), "t-0"), testConfig(newFakeClock()))
	defer l.Close()
	b1 := simpleBatch(t, 3, 10, 100)
	b2 := buildBatch(t, batchSpec{records: []testRecord{{value: []byte("x"), ts: 300}, {value: []byte("y"), ts: 500}, {value: []byte("z"), ts: 400}}})
	b3 := buildBatch(t, batchSpec{records: recs(4, 10, 200, 1), compression: CompressionGzip})
	info := mustAppend(t, l, b1, 5)
	if info != (AppendInfo{FirstOffset: 0, LastOffset: 2, MaxTimestamp: 102, OffsetOfMaxTimestamp: 2}) {
		t.Fatalf("first append: %+v", info)
	}
	// Two batches in one append: one write; the max timestamp is a record in
	// the middle of an uncompressed batch.
	info = mustAppend(t, l, append(bytes.Clone(b2), b3...), 5)
	if info != (AppendInfo{FirstOffset: 3, LastOffset: 9, MaxTimestamp: 500, OffsetOfMaxTimestamp: 4}) {
		t.Fatalf("second append: %+v", info)
	}
	if l.LogEndOffset() != 10 {
		t.Fatalf("LogEndOffset = %d", l.LogEndOffset())
	}
	got := readAll(t, l, 0)
	if len(got) != 3 {
		t.Fatalf("%d batches", len(got))
	}
	for i, want := range []struct{ base, last int64 }{{0, 2}, {3, 5}, {6, 9}} {
		b := got[i]
		if b.BaseOffset() != want.base || b.LastOffset() != want.last || b.PartitionLeaderEpoch() != 5 {
			t.Errorf("batch %d: base %d last %d epoch %d", i, b.BaseOffset(), b.LastOffset(), b.PartitionLeaderEpoch())
		}
		if err := b.Validate(); err != nil {
			t.Errorf("batch %d: %v", i, err)
		}
	}
	// Bytes after the patched header are the producer's bytes.
	if !bytes.Equal(got[2][offCRC:], b3[offCRC:]) {
		t.Error("stored batch differs from the appended one beyond the patched fields")
	}
	// Append patches the caller's buffer in place.
	buf := simpleBatch(t, 1, 5, 1)
	if _, err := l.Append(buf, 9); err != nil {
		t.Fatal(err)
	}
	if Batch(buf).BaseOffset() != 10 || Batch(buf).PartitionLeaderEpoch() != 9 {
		t.Fatal("Append did not patch the caller's batch")
	}
	if eps := l.LeaderEpochs(); !slices.Equal(eps, []EpochEntry{{5, 0}, {9, 10}}) {
		t.Fatalf("epochs %v", eps)
	}
}

func TestAppendRejects(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.MaxMessageBytes = 500
	l := openTest(t, filepath.Join(t.TempDir(), "t-0"), cfg)
	defer l.Close()
	good := simpleBatch(t, 2, 10, 1)
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)-1] ^= 1
	negDelta := bytes.Clone(good)
	Batch(negDelta).SetBaseOffset(0)
	negDelta[23], negDelta[24], negDelta[25], negDelta[26] = 0xff, 0xff, 0xff, 0xff
	Batch(negDelta).SetMaxTimestamp(CreateTime, Batch(negDelta).MaxTimestamp())
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrInvalidBatch},
		{"torn", good[:len(good)-3], ErrTruncatedBatch},
		{"trailing garbage", append(bytes.Clone(good), 1, 2, 3), ErrTruncatedBatch},
		{"crc", corrupt, ErrCorruptBatch},
		{"legacy", legacyMessage(1, 0, 5, nil, []byte("v")), ErrUnsupportedMagic},
		{"too large", simpleBatch(t, 10, 100, 1), ErrBatchTooLarge},
		{"negative lastOffsetDelta", negDelta, ErrInvalidBatch},
	}
	for _, tt := range tests {
		if _, err := l.Append(bytes.Clone(tt.data), 0); !errors.Is(err, tt.want) {
			t.Errorf("%s: Append = %v, want %v", tt.name, err, tt.want)
		}
	}
	if l.LogEndOffset() != 0 {
		t.Fatalf("rejected appends moved the end offset to %d", l.LogEndOffset())
	}
}

func TestRead(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 1000
	l := openTest(t, filepath.Join(t.TempDir(), "t-0"), cfg)
	defer l.Close()
	var sizes []int
	for i := 0; i < 12; i++ {
		b := simpleBatch(t, 4, 30, int64(i*10)) // 4 offsets per batch
		sizes = append(sizes, len(b))
		mustAppend(t, l, b, 0)
	}
	if n := len(l.SegmentBaseOffsets()); n < 3 {
		t.Fatalf("only %d segments", n)
	}
	first := func(d FetchData) Batch {
		data, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return Batch(data)
	}
	tests := []struct {
		name      string
		offset    int64
		maxBytes  int32
		maxOffset int64
		wantBase  int64 // -1: empty
		wantSize  int   // 0: don't check
		wantErr   error
	}{
		{"from start", 0, 1 << 20, 48, 0, 0, nil},
		{"middle of batch", 9, 1, 48, 8, sizes[2], nil},
		{"max bytes cuts at byte", 9, int32(sizes[2] + 7), 48, 8, sizes[2] + 7, nil},
		{"high watermark bound", 1, 1 << 20, 8, 0, sizes[0] + sizes[1], nil},
		{"high watermark inside batch excludes it", 1, 1 << 20, 10, 0, sizes[0] + sizes[1], nil},
		{"read ends at the segment end", 9, 1 << 20, 30, 8, sizes[2] + sizes[3], nil},
		{"at high watermark", 20, 100, 20, -1, 0, nil},
		{"above high watermark", 30, 100, 20, -1, 0, nil},
		{"at log end", 48, 100, 48, -1, 0, nil},
		{"last batch", 47, 0, 1 << 62, 44, sizes[11], nil},
		{"past log end", 49, 100, 48, 0, 0, ErrOffsetOutOfRange},
		{"negative", -1, 100, 48, 0, 0, ErrOffsetOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := l.Read(tt.offset, tt.maxBytes, tt.maxOffset)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantBase < 0 {
				if d.Size != 0 {
					t.Fatalf("Size = %d, want empty", d.Size)
				}
				return
			}
			if b := first(d); b.BaseOffset() != tt.wantBase {
				t.Fatalf("first batch at %d, want %d", b.BaseOffset(), tt.wantBase)
			}
			if tt.wantSize != 0 && int(d.Size) != tt.wantSize {
				t.Fatalf("Size = %d, want %d", d.Size, tt.wantSize)
			}
			if d.File == nil {
				t.Fatal("no *os.File for sendfile")
			}
			if d.Size > 0 {
				// The section is a real file range.
				buf := make([]byte, d.Size)
				if _, err := d.File.ReadAt(buf, d.Pos); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	// A read never crosses a segment: it ends at the segment holding offset.
	d, _ := l.Read(0, 1<<20, 48)
	if int64(d.Size) > int64(cfg.SegmentBytes) {
		t.Fatalf("read of %d bytes crosses segments", d.Size)
	}
}

func TestRollConditions(t *testing.T) {
	t.Run("segment.bytes", func(t *testing.T) {
		cfg := testConfig(newFakeClock())
		cfg.SegmentBytes = 600
		l := openTest(t, filepath.Join(t.TempDir(), "t-0"), cfg)
		defer l.Close()
		b := simpleBatch(t, 2, 100, 1) // ~ 300 bytes
		for i := 0; i < 5; i++ {
			mustAppend(t, l, b, 0)
		}
		if got := l.SegmentBaseOffsets(); !slices.Equal(got, []int64{0, 4, 8}) {
			t.Fatalf("segments %v (batch %d bytes)", got, len(b))
		}
		// The rolled segment was flushed: the recovery point is its end.
		if l.RecoveryPoint() != 8 {
			t.Fatalf("recovery point %d", l.RecoveryPoint())
		}
		if _, err := l.Append(simpleBatch(t, 10, 100, 1), 0); !errors.Is(err, ErrBatchTooLarge) {
			t.Fatalf("append over segment.bytes: %v", err)
		}
	})
	t.Run("segment.ms", func(t *testing.T) {
		clock := newFakeClock()
		cfg := testConfig(clock)
		cfg.SegmentMs = 1000
		l := openTest(t, filepath.Join(t.TempDir(), "t-0"), cfg)
		defer l.Close()
		// Timestamps drive the age: 999 ms after the first batch's max
		// timestamp does not roll, 1001 does.
		mustAppend(t, l, simpleBatch(t, 1, 1, 10_000), 0)
		mustAppend(t, l, simpleBatch(t, 1, 1, 10_999), 0)
		mustAppend(t, l, simpleBatch(t, 1, 1, 11_001), 0)
		if got := l.SegmentBaseOffsets(); !slices.Equal(got, []int64{0, 2}) {
			t.Fatalf("segments %v", got)
		}
		// Without timestamps the clock since creation counts.
		noTs := buildBatch(t, batchSpec{records: []testRecord{{value: []byte("x"), ts: -1}}})
		l2 := openTest(t, filepath.Join(t.TempDir(), "u-0"), cfg)
		defer l2.Close()
		mustAppend(t, l2, noTs, 0)
		clock.Advance(999 * time.Millisecond)
		mustAppend(t, l2, noTs, 0)
		clock.Advance(2 * time.Millisecond)
		mustAppend(t, l2, noTs, 0)
		if got := l2.SegmentBaseOffsets(); !slices.Equal(got, []int64{0, 2}) {
			t.Fatalf("segments by clock %v", got)
		}
	})
	t.Run("full index", func(t *testing.T) {
		cfg := testConfig(newFakeClock())
		cfg.SegmentIndexBytes = 24 // 3 offset entries, 2 time entries (1 usable)
		cfg.IndexIntervalBytes = 0
		l := openTest(t, filepath.Join(t.TempDir(), "t-0"), cfg)
		defer l.Close()
		for i := 0; i < 6; i++ {
			mustAppend(t, l, simpleBatch(t, 1, 1, int64(i)), 0)
		}
		// Appends 1 and 2 add entries; the time index is full after one.
		if got := l.SegmentBaseOffsets(); !slices.Equal(got, []int64{0, 2, 4}) {
			t.Fatalf("segments %v", got)
		}
	})
	t.Run("offset overflow", func(t *testing.T) {
		l := openTest(t, filepath.Join(t.TempDir(), "t-0"), testConfig(newFakeClock()))
		defer l.Close()
		a := Batch(simpleBatch(t, 1, 1, 1))
		a.SetBaseOffset(0)
		if _, err := l.AppendAsFollower(a); err != nil {
			t.Fatal(err)
		}
		far := Batch(simpleBatch(t, 1, 1, 2))
		far.SetBaseOffset(1 << 33)
		if _, err := l.AppendAsFollower(far); err != nil {
			t.Fatal(err)
		}
		if got := l.SegmentBaseOffsets(); !slices.Equal(got, []int64{0, 1 << 33}) {
			t.Fatalf("segments %v", got)
		}
		if l.LogEndOffset() != 1<<33+1 {
			t.Fatalf("log end %d", l.LogEndOffset())
		}
	})
}

func TestAppendAsFollower(t *testing.T) {
	l := openTest(t, filepath.Join(t.TempDir(), "t-0"), testConfig(newFakeClock()))
	defer l.Close()
	mk := func(base int64, n int, epoch int32) []byte {
		b := Batch(simpleBatch(t, n, 5, base))
		b.SetBaseOffset(base)
		b.SetPartitionLeaderEpoch(epoch)
		return b
	}
	if _, err := l.AppendAsFollower(append(mk(0, 3, 1), mk(3, 2, 1)...)); err != nil {
		t.Fatal(err)
	}
	// A gap (compaction) is fine; going back is not.
	if _, err := l.AppendAsFollower(mk(10, 1, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := l.AppendAsFollower(mk(10, 1, 2)); !errors.Is(err, ErrUnexpectedOffset) {
		t.Fatalf("overlapping append: %v", err)
	}
	if _, err := l.AppendAsFollower(append(mk(20, 2, 2), mk(21, 1, 2)...)); !errors.Is(err, ErrUnexpectedOffset) {
		t.Fatalf("non-monotonic append: %v", err)
	}
	if l.LogEndOffset() != 11 {
		t.Fatalf("end %d", l.LogEndOffset())
	}
	if eps := l.LeaderEpochs(); !slices.Equal(eps, []EpochEntry{{1, 0}, {2, 10}}) {
		t.Fatalf("epochs %v", eps)
	}
	// Reading offset 7 (in the gap) returns the batch at 10.
	d, err := l.Read(7, 100, 11)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := d.Bytes()
	if Batch(data).BaseOffset() != 10 {
		t.Fatalf("read in gap starts at %d", Batch(data).BaseOffset())
	}
}

func TestReadByTimestamp(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 700
	l := openTest(t, filepath.Join(t.TempDir(), "t-0"), cfg)
	defer l.Close()
	// Batches of 3 records with timestamps t, t+10, t+20; one compressed,
	// one with timestamps out of order.
	mustAppend(t, l, buildBatch(t, batchSpec{records: recs(3, 40, 1000, 10)}), 1)                                 // 0-2: 1000..1020
	mustAppend(t, l, buildBatch(t, batchSpec{records: recs(3, 40, 2000, 10), compression: CompressionSnappy}), 1) // 3-5
	mustAppend(t, l, buildBatch(t, batchSpec{records: []testRecord{{value: []byte("a"), ts: 3050}, {value: []byte("b"), ts: 3000}, {value: []byte("c"), ts: 3010}}}), 2)
	mustAppend(t, l, buildBatch(t, batchSpec{records: recs(3, 40, 4000, 10), compression: CompressionZstd}), 2) // 9-11
	mustAppend(t, l, buildBatch(t, batchSpec{records: recs(3, 40, 500, 10)}), 2)                                // 12-14 (older timestamps)
	if len(l.SegmentBaseOffsets()) < 2 {
		t.Fatalf("segments %v", l.SegmentBaseOffsets())
	}
	tests := []struct {
		ts        int64
		want      OffsetForTime
		wantFound bool
	}{
		{0, OffsetForTime{1000, 0, 1}, true},
		{1000, OffsetForTime{1000, 0, 1}, true},
		{1001, OffsetForTime{1010, 1, 1}, true},
		{1020, OffsetForTime{1020, 2, 1}, true},
		{1021, OffsetForTime{2000, 3, 1}, true},
		{2015, OffsetForTime{2020, 5, 1}, true},
		{3000, OffsetForTime{3050, 6, 2}, true}, // first record at or after 3000 in offset order
		{3011, OffsetForTime{3050, 6, 2}, true},
		{3051, OffsetForTime{4000, 9, 2}, true},
		{4020, OffsetForTime{4020, 11, 2}, true},
		{4021, OffsetForTime{}, false},
		{EarliestTimestamp, OffsetForTime{NoTimestamp, 0, 1}, true},
		{LatestTimestamp, OffsetForTime{NoTimestamp, 15, 2}, true},
	}
	for _, tt := range tests {
		got, found, err := l.ReadByTimestamp(tt.ts)
		if err != nil || found != tt.wantFound || got != tt.want {
			t.Errorf("ReadByTimestamp(%d) = %+v %v %v; want %+v %v", tt.ts, got, found, err, tt.want, tt.wantFound)
		}
	}
}

func TestTruncateTo(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 800
	dir := filepath.Join(t.TempDir(), "t-0")
	l := openTest(t, dir, cfg)
	for i := 0; i < 10; i++ {
		mustAppend(t, l, simpleBatch(t, 2, 100, int64(i*100)), int32(i/3))
	}
	l.SetHighWatermark(20)
	segsBefore := l.SegmentBaseOffsets()
	if ok, err := l.TruncateTo(25); ok || err != nil {
		t.Fatalf("TruncateTo past end = %v, %v", ok, err)
	}
	// Offset 9 is inside batch 4 (offsets 8..9): the batch goes too.
	if ok, err := l.TruncateTo(9); !ok || err != nil {
		t.Fatalf("TruncateTo(9) = %v, %v", ok, err)
	}
	if l.LogEndOffset() != 8 || l.HighWatermark() != 8 || l.RecoveryPoint() > 8 {
		t.Fatalf("after truncation: end %d hw %d rp %d", l.LogEndOffset(), l.HighWatermark(), l.RecoveryPoint())
	}
	if got := l.SegmentBaseOffsets(); len(got) >= len(segsBefore) || got[len(got)-1] > 8 {
		t.Fatalf("segments %v (before %v)", got, segsBefore)
	}
	if eps := l.LeaderEpochs(); !slices.Equal(eps, []EpochEntry{{0, 0}, {1, 6}}) {
		t.Fatalf("epochs %v", eps)
	}
	if got := readAll(t, l, 0); len(got) != 4 || got[3].LastOffset() != 7 {
		t.Fatalf("%d batches after truncation", len(got))
	}
	// Appends continue at the new end, and survive a reopen.
	mustAppend(t, l, simpleBatch(t, 2, 100, 5000), 7)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	cfg.Recovery = Recovery{CleanShutdown: true}
	l = openTest(t, dir, cfg)
	defer l.Close()
	if l.LogEndOffset() != 10 {
		t.Fatalf("reopened end %d", l.LogEndOffset())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), DeletedFileSuffix) {
			t.Errorf("leftover %s", e.Name())
		}
	}
	if err := l.TruncateFullyAndStartAt(100); err != nil {
		t.Fatal(err)
	}
	if l.LogStartOffset() != 100 || l.LogEndOffset() != 100 || len(l.LeaderEpochs()) != 0 {
		t.Fatalf("after TruncateFullyAndStartAt: %d %d %v", l.LogStartOffset(), l.LogEndOffset(), l.LeaderEpochs())
	}
	if got := l.SegmentBaseOffsets(); !slices.Equal(got, []int64{100}) {
		t.Fatalf("segments %v", got)
	}
	if _, err := l.Read(50, 10, 1000); !errors.Is(err, ErrOffsetOutOfRange) {
		t.Fatalf("read below start: %v", err)
	}
}

func TestRetention(t *testing.T) {
	setup := func(t *testing.T, mod func(*Config)) (*Log, *fakeClock, string) {
		clock := newFakeClock()
		cfg := testConfig(clock)
		cfg.SegmentBytes = 650
		cfg.FileDeleteDelayMs = 60000
		mod(&cfg)
		dir := filepath.Join(t.TempDir(), "t-0")
		l := openTest(t, dir, cfg)
		base := clock.Now().UnixMilli()
		for i := 0; i < 9; i++ {
			mustAppend(t, l, simpleBatch(t, 2, 100, base+int64(i)*1000), 0) // ~ 300 bytes: 2 per segment
		}
		return l, clock, dir
	}
	t.Run("bytes", func(t *testing.T) {
		l, clock, dir := setup(t, func(c *Config) { c.RetentionBytes = 1000 })
		defer l.Close()
		if got := l.SegmentBaseOffsets(); !slices.Equal(got, []int64{0, 4, 8, 12, 16}) {
			t.Fatalf("segments %v", got)
		}
		// Nothing goes above the high watermark.
		if n, err := l.DeleteOldSegments(); n != 0 || err != nil {
			t.Fatalf("deleted %d with hw 0: %v", n, err)
		}
		l.SetHighWatermark(18)
		n, err := l.DeleteOldSegments()
		if err != nil {
			t.Fatal(err)
		}
		// Size ~2700, limit 1000: a segment goes while the excess still
		// covers it all (Kafka's rule), so the two oldest (~600 each) go.
		if n != 2 || l.LogStartOffset() != 8 || !slices.Equal(l.SegmentBaseOffsets(), []int64{8, 12, 16}) {
			t.Fatalf("deleted %d, start %d, segments %v, size %d", n, l.LogStartOffset(), l.SegmentBaseOffsets(), l.Size())
		}
		// Renamed .deleted, removed after file.delete.delay.ms.
		deleted, _ := filepath.Glob(filepath.Join(dir, "*"+DeletedFileSuffix))
		if len(deleted) != 6 {
			t.Fatalf("%d .deleted files: %v", len(deleted), deleted)
		}
		clock.Advance(61 * time.Second)
		if _, err := l.DeleteOldSegments(); err != nil {
			t.Fatal(err)
		}
		if deleted, _ := filepath.Glob(filepath.Join(dir, "*"+DeletedFileSuffix)); len(deleted) != 0 {
			t.Fatalf("still there after the delay: %v", deleted)
		}
	})
	t.Run("ms", func(t *testing.T) {
		l, clock, _ := setup(t, func(c *Config) { c.RetentionMs = 5000 })
		defer l.Close()
		l.SetHighWatermark(18)
		clock.Advance(8500 * time.Millisecond) // batch i is 8.5-i s old
		n, err := l.DeleteOldSegments()
		// A segment's age is its newest batch's: segment 0 (batches 0, 1)
		// is 7.5 s old, segment 4 5.5 s: gone; segment 8 (3.5 s) stays.
		if err != nil || n != 2 || l.LogStartOffset() != 8 {
			t.Fatalf("deleted %d (%v), start %d", n, err, l.LogStartOffset())
		}
	})
	t.Run("all segments", func(t *testing.T) {
		l, clock, _ := setup(t, func(c *Config) { c.RetentionMs = 0 })
		defer l.Close()
		l.SetHighWatermark(18)
		clock.Advance(time.Hour)
		n, err := l.DeleteOldSegments()
		if err != nil || n != 5 {
			t.Fatalf("deleted %d: %v", n, err)
		}
		// The log rolled first so one empty segment remains.
		if !slices.Equal(l.SegmentBaseOffsets(), []int64{18}) || l.LogStartOffset() != 18 || l.LogEndOffset() != 18 {
			t.Fatalf("segments %v start %d end %d", l.SegmentBaseOffsets(), l.LogStartOffset(), l.LogEndOffset())
		}
		mustAppend(t, l, simpleBatch(t, 1, 1, 1), 0)
		if l.LogEndOffset() != 19 {
			t.Fatal("append after deleting everything")
		}
	})
	t.Run("log start offset", func(t *testing.T) {
		l, _, _ := setup(t, func(c *Config) { c.Delete = false; c.RetentionMs = 0 })
		defer l.Close()
		if err := l.IncrementLogStartOffset(9); !errors.Is(err, ErrOffsetOutOfRange) {
			t.Fatalf("above hw: %v", err)
		}
		l.SetHighWatermark(18)
		if err := l.IncrementLogStartOffset(9); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Read(8, 100, 18); !errors.Is(err, ErrOffsetOutOfRange) {
			t.Fatalf("read below the new start: %v", err)
		}
		n, err := l.DeleteOldSegments()
		// Segments wholly below 9: 0 and 4 (segment 8 holds offset 9).
		if err != nil || n != 2 || l.LogStartOffset() != 9 || !slices.Equal(l.SegmentBaseOffsets(), []int64{8, 12, 16}) {
			t.Fatalf("deleted %d (%v): start %d segments %v", n, err, l.LogStartOffset(), l.SegmentBaseOffsets())
		}
	})
}

// TestDeletedSegmentStillReadable: a fetch handed out before retention
// removed its segment reads fine until file.delete.delay.ms passes.
func TestDeletedSegmentStillReadable(t *testing.T) {
	clock := newFakeClock()
	cfg := testConfig(clock)
	cfg.SegmentBytes = 400
	cfg.FileDeleteDelayMs = 1000
	cfg.RetentionBytes = 1
	l := openTest(t, filepath.Join(t.TempDir(), "t-0"), cfg)
	defer l.Close()
	for i := 0; i < 3; i++ {
		mustAppend(t, l, simpleBatch(t, 2, 100, 1), 0)
	}
	d, err := l.Read(0, 1000, 6)
	if err != nil || d.Size == 0 {
		t.Fatal(err)
	}
	l.SetHighWatermark(6)
	if n, err := l.DeleteOldSegments(); err != nil || n == 0 {
		t.Fatalf("deleted %d: %v", n, err)
	}
	if _, err := d.Bytes(); err != nil {
		t.Fatalf("read of a segment pending deletion: %v", err)
	}
}

func TestEpochCacheAndEndOffset(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "t-0")
	l := openTest(t, dir, testConfig(newFakeClock()))
	for _, e := range []int32{1, 1, 3, 3, 3, 6} {
		mustAppend(t, l, simpleBatch(t, 2, 5, 1), e)
	}
	if eps := l.LeaderEpochs(); !slices.Equal(eps, []EpochEntry{{1, 0}, {3, 4}, {6, 10}}) {
		t.Fatalf("epochs %v", eps)
	}
	if got := string(fileBytes(t, filepath.Join(dir, LeaderEpochCheckpointFile))); got != "0\n3\n1 0\n3 4\n6 10\n" {
		t.Fatalf("leader-epoch-checkpoint = %q", got)
	}
	tests := []struct {
		req       int32
		wantEpoch int32
		wantOff   int64
	}{
		{UndefinedEpoch, UndefinedEpoch, UndefinedEpochOffset},
		{0, 0, 0},
		{1, 1, 4},
		{2, 1, 4},
		{3, 3, 10},
		{5, 3, 10},
		{6, 6, 12},
		{7, UndefinedEpoch, UndefinedEpochOffset},
	}
	for _, tt := range tests {
		e, o := l.EndOffsetForEpoch(tt.req)
		if e != tt.wantEpoch || o != tt.wantOff {
			t.Errorf("EndOffsetForEpoch(%d) = %d, %d; want %d, %d", tt.req, e, o, tt.wantEpoch, tt.wantOff)
		}
	}
	// A new leader epoch at the log end; an older epoch truncates newer ones.
	if err := l.AssignEpochStartOffset(8, 12); err != nil {
		t.Fatal(err)
	}
	if err := l.AssignEpochStartOffset(4, 6); err != nil {
		t.Fatal(err)
	}
	if eps := l.LeaderEpochs(); !slices.Equal(eps, []EpochEntry{{1, 0}, {3, 4}, {4, 6}}) {
		t.Fatalf("epochs %v", eps)
	}
	l.Close()
	cfg := testConfig(newFakeClock())
	cfg.Recovery.CleanShutdown = true // recovery would replay epoch 6 from the batches
	l = openTest(t, dir, cfg)
	defer l.Close()
	if eps := l.LeaderEpochs(); !slices.Equal(eps, []EpochEntry{{1, 0}, {3, 4}, {4, 6}}) {
		t.Fatalf("reloaded epochs %v", eps)
	}
}

func TestTopicID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "t-0")
	l := openTest(t, dir, testConfig(newFakeClock()))
	if _, ok := l.TopicID(); ok {
		t.Fatal("new log has a topic id")
	}
	id, err := ParseTopicID("AAAAAAAAAAAAAAAAAAAAAQ")
	if err != nil {
		t.Fatal(err)
	}
	id[3] = 0x42
	if err := l.SetTopicID(id); err != nil {
		t.Fatal(err)
	}
	want := "version: 0\ntopic_id: " + id.String()
	if got := string(fileBytes(t, filepath.Join(dir, PartitionMetadataFile))); got != want {
		t.Fatalf("partition.metadata = %q, want %q", got, want)
	}
	other := id
	other[0] = 9
	if err := l.SetTopicID(other); !errors.Is(err, ErrInconsistentTopicID) {
		t.Fatalf("second id: %v", err)
	}
	l.Close()
	l = openTest(t, dir, testConfig(newFakeClock()))
	defer l.Close()
	if got, ok := l.TopicID(); !ok || got != id {
		t.Fatalf("reopened topic id %v %v", got, ok)
	}
}

// TestCleanReopen: after Close the indexes are trimmed, a clean reopen reads
// nothing but the active segment's tail and sees the same log.
func TestCleanReopen(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 2000
	dir := filepath.Join(t.TempDir(), "t-0")
	l := openTest(t, dir, cfg)
	for i := 0; i < 20; i++ {
		mustAppend(t, l, simpleBatch(t, 3, 50, int64(i)), 0)
	}
	want := readAll(t, l, 0)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Read(0, 10, 10); !errors.Is(err, ErrClosed) {
		t.Fatalf("read after close: %v", err)
	}
	if _, err := l.Append(simpleBatch(t, 1, 1, 1), 0); !errors.Is(err, ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}
	for _, base := range []int64{0} {
		st, _ := os.Stat(filepath.Join(dir, FilenamePrefix(base)+IndexFileSuffix))
		if st.Size()%8 != 0 || st.Size() >= int64(cfg.SegmentIndexBytes) {
			t.Fatalf("index not trimmed: %d bytes", st.Size())
		}
	}
	cfg.Recovery = Recovery{CleanShutdown: true, RecoveryPoint: 60}
	l = openTest(t, dir, cfg)
	defer l.Close()
	if l.LogEndOffset() != 60 || l.RecoveryPoint() != 60 {
		t.Fatalf("reopened: end %d, recovery point %d", l.LogEndOffset(), l.RecoveryPoint())
	}
	got := readAll(t, l, 0)
	if len(got) != len(want) {
		t.Fatalf("%d batches, want %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("batch %d differs", i)
		}
	}
}
