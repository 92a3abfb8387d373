package log

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// abandon drops a log as a crash would: files are closed, nothing is
// flushed, trimmed or checkpointed.
func abandon(l *Log) {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	for _, s := range l.segs {
		s.closeFiles()
	}
	for _, p := range l.pending {
		p.seg.closeFiles()
	}
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}

// fillLog appends n batches of 2 records, returning the stored batches.
func fillLog(t *testing.T, l *Log, n int) []Batch {
	t.Helper()
	for i := 0; i < n; i++ {
		mustAppend(t, l, simpleBatch(t, 2, 60+i%7*10, int64(1000+i)), int32(i/4))
	}
	return readAll(t, l, l.LogStartOffset())
}

// checkConsistent reads every offset and checks the batch returned holds it,
// and that the indexes agree with the data.
func checkConsistent(t *testing.T, l *Log) {
	t.Helper()
	for off := l.LogStartOffset(); off < l.LogEndOffset(); off++ {
		d, err := l.Read(off, 1, l.LogEndOffset())
		if err != nil {
			t.Fatalf("Read(%d): %v", off, err)
		}
		data, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		b := Batch(data)
		if len(data) < headerUpToMagic || b.Validate() != nil || b.LastOffset() < off {
			t.Fatalf("Read(%d) returned %d bytes of batch %d..%d", off, len(data), b.BaseOffset(), b.LastOffset())
		}
		if b.BaseOffset() > off {
			// off lies in a gap (a follower's log may have them): the
			// batch after it comes back; the next offset to try is its base.
			off = b.BaseOffset() - 1
		}
	}
	for _, s := range l.segs {
		checkSegmentIndexes(t, s)
	}
}

// checkSegmentIndexes checks what lookups rely on. An offset index entry
// (L, P): P is a batch start and every batch before P ends below L, so the
// batch holding any offset >= L is at or after P. A time index entry (T, O):
// O lies in the segment's data, and every batch ending before O has no
// timestamp above T, so no record at or after any target >= T comes before
// O's batch. Entries increase.
func checkSegmentIndexes(t *testing.T, s *segment) {
	t.Helper()
	if err := s.idx.load(); err != nil {
		t.Fatal(err)
	}
	if err := s.tidx.load(); err != nil {
		t.Fatal(err)
	}
	type hdr struct{ pos, last, maxTs int64 }
	var batches []hdr
	sc := s.scanFrom(0, s.size.Load())
	for sc.next() {
		batches = append(batches, hdr{sc.curPos, sc.cur.LastOffset(), sc.cur.MaxTimestamp()})
	}
	if sc.err != nil {
		t.Fatalf("segment %d: %v", s.base, sc.err)
	}
	for i := 0; i < s.idx.entries(); i++ {
		e := s.idx.entryAt(i)
		k := slices.IndexFunc(batches, func(b hdr) bool { return b.pos == int64(e.Position) })
		if k < 0 || (k > 0 && batches[k-1].last >= e.Offset) {
			t.Fatalf("segment %d: index entry %v: batch start %v, previous batch %v", s.base, e, k >= 0, batches[max(k-1, 0)])
		}
	}
	for i := 0; i < s.tidx.entries(); i++ {
		e := s.tidx.entryAt(i)
		if len(batches) == 0 || e.Offset > batches[len(batches)-1].last {
			t.Fatalf("segment %d: time index entry %v past the data", s.base, e)
		}
		for _, b := range batches {
			if b.last < e.Offset && b.maxTs > e.Timestamp {
				t.Fatalf("segment %d: time index entry %v, but batch ending at %d has timestamp %d", s.base, e, b.last, b.maxTs)
			}
		}
	}
}

func TestUncleanRecoveryTruncatesTornTail(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 1500
	dir := filepath.Join(t.TempDir(), "t-0")
	l := openTest(t, dir, cfg)
	batches := fillLog(t, l, 20)
	segs := l.SegmentBaseOffsets()
	rp := l.RecoveryPoint()
	abandon(l)
	// Tear the last batch of the active segment.
	last := filepath.Join(dir, FilenamePrefix(segs[len(segs)-1])+LogFileSuffix)
	st, _ := os.Stat(last)
	os.Truncate(last, st.Size()-5)

	cfg.Recovery = Recovery{RecoveryPoint: rp}
	l = openTest(t, dir, cfg)
	defer l.Close()
	want := batches[len(batches)-1].BaseOffset()
	if l.LogEndOffset() != want {
		t.Fatalf("LogEndOffset = %d, want %d", l.LogEndOffset(), want)
	}
	got := readAll(t, l, 0)
	if len(got) != len(batches)-1 {
		t.Fatalf("%d batches, want %d", len(got), len(batches)-1)
	}
	for i := range got {
		if !bytes.Equal(got[i], batches[i]) {
			t.Fatalf("batch %d differs", i)
		}
	}
	checkConsistent(t, l)
	// The index of the active segment is preallocated again.
	if st, _ := os.Stat(l.segs[len(l.segs)-1].idx.path); st.Size() != int64(cfg.SegmentIndexBytes) {
		t.Fatalf("active index %d bytes", st.Size())
	}
	mustAppend(t, l, simpleBatch(t, 2, 5, 9), 9)
	if l.LogEndOffset() != want+2 {
		t.Fatal("append after recovery")
	}
}

func TestRecoveryRemovesSegmentsAfterCorruption(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 1000
	dir := filepath.Join(t.TempDir(), "t-0")
	l := openTest(t, dir, cfg)
	batches := fillLog(t, l, 30)
	segs := l.SegmentBaseOffsets()
	if len(segs) < 5 {
		t.Fatalf("segments %v", segs)
	}
	abandon(l)
	// Flip a byte in the records of the second batch of segment 2.
	victim := segs[2]
	var pos int64
	var k int
	for i, b := range batches {
		if b.BaseOffset() == victim {
			k = i + 1
			pos = int64(len(b))
			break
		}
	}
	path := filepath.Join(dir, FilenamePrefix(victim)+LogFileSuffix)
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	f.WriteAt([]byte{0x5a}, pos+BatchHeaderSize+3)
	f.Close()

	cfg.Recovery = Recovery{RecoveryPoint: segs[1] + 1} // inside segment 1: recovered from there
	l = openTest(t, dir, cfg)
	defer l.Close()
	if l.LogEndOffset() != batches[k].BaseOffset() {
		t.Fatalf("LogEndOffset = %d, want %d", l.LogEndOffset(), batches[k].BaseOffset())
	}
	if got := l.SegmentBaseOffsets(); !slices.Equal(got, segs[:3]) {
		t.Fatalf("segments %v, want %v", got, segs[:3])
	}
	for _, base := range segs[3:] {
		if _, err := os.Stat(filepath.Join(dir, FilenamePrefix(base)+LogFileSuffix)); !os.IsNotExist(err) {
			t.Fatalf("segment %d still on disk", base)
		}
	}
	if l.RecoveryPoint() != segs[1]+1 {
		t.Fatalf("recovery point %d", l.RecoveryPoint())
	}
	checkConsistent(t, l)
	// The leader epoch cache forgets epochs past the end.
	for _, e := range l.LeaderEpochs() {
		if e.StartOffset >= l.LogEndOffset() {
			t.Fatalf("epoch %v past the end %d", e, l.LogEndOffset())
		}
	}
}

// readCountingFS counts ReadAt calls per file.
type readCountingFS struct {
	OSFS
	mu    sync.Mutex
	reads map[string]int
}

type countingFile struct {
	File
	fs *readCountingFS
}

func (c *readCountingFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := c.OSFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return countingFile{f, c}, nil
}

func (f countingFile) ReadAt(p []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	f.fs.reads[filepath.Base(f.Name())]++
	f.fs.mu.Unlock()
	return f.File.ReadAt(p, off)
}

// TestRecoveryPointLimitsScan: segments below the recovery point are not
// read at all on an unclean open, so corruption there goes unnoticed; with
// recovery point 0 it is found.
func TestRecoveryPointLimitsScan(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 1000
	dir := filepath.Join(t.TempDir(), "t-0")
	l := openTest(t, dir, cfg)
	fillLog(t, l, 30)
	segs := l.SegmentBaseOffsets()
	rp := l.RecoveryPoint() // the rolls flushed every segment but the last
	if rp != segs[len(segs)-1] {
		t.Fatalf("recovery point %d, active segment %d", rp, segs[len(segs)-1])
	}
	end := l.LogEndOffset()
	abandon(l)
	path := filepath.Join(dir, FilenamePrefix(segs[1])+LogFileSuffix)
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	f.WriteAt([]byte{0x5a}, 100)
	f.Close()

	fsys := &readCountingFS{reads: map[string]int{}}
	cfg.FS = fsys
	cfg.Recovery = Recovery{RecoveryPoint: rp}
	l = openTest(t, dir, cfg)
	for _, base := range segs[:len(segs)-1] {
		for _, suffix := range []string{LogFileSuffix, IndexFileSuffix, TimeIndexFileSuffix} {
			if n := fsys.reads[FilenamePrefix(base)+suffix]; n != 0 {
				t.Errorf("%s read %d times during recovery", FilenamePrefix(base)+suffix, n)
			}
		}
	}
	if fsys.reads[FilenamePrefix(rp)+LogFileSuffix] == 0 {
		t.Error("the segment at the recovery point was not read")
	}
	if l.LogEndOffset() != end {
		t.Fatalf("end %d, want %d", l.LogEndOffset(), end)
	}
	abandon(l)

	cfg.Recovery = Recovery{}
	l = openTest(t, dir, cfg)
	defer l.Close()
	if l.LogEndOffset() > segs[2] || !slices.Equal(l.SegmentBaseOffsets(), segs[:2]) {
		t.Fatalf("full recovery: end %d, segments %v", l.LogEndOffset(), l.SegmentBaseOffsets())
	}
}

func TestMissingIndexRebuilt(t *testing.T) {
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 1000
	dir := filepath.Join(t.TempDir(), "t-0")
	l := openTest(t, dir, cfg)
	fillLog(t, l, 20)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	segs := l.SegmentBaseOffsets()
	idx := filepath.Join(dir, FilenamePrefix(segs[1])+IndexFileSuffix)
	tidx := filepath.Join(dir, FilenamePrefix(segs[2])+TimeIndexFileSuffix)
	wantIdx, wantTidx := fileBytes(t, idx), fileBytes(t, tidx)
	os.Remove(idx)
	os.WriteFile(tidx, wantTidx[:len(wantTidx)-1], 0o644) // torn
	cfg.Recovery = Recovery{CleanShutdown: true}
	l = openTest(t, dir, cfg)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if got := fileBytes(t, idx); !bytes.Equal(got, wantIdx) {
		t.Errorf("rebuilt index differs: %x vs %x", got, wantIdx)
	}
	if got := fileBytes(t, tidx); !bytes.Equal(got, wantTidx) {
		t.Errorf("rebuilt time index differs: %x vs %x", got, wantTidx)
	}
}

func TestLoadLeftovers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "t-0")
	cfg := testConfig(newFakeClock())
	l := openTest(t, dir, cfg)
	fillLog(t, l, 3)
	l.Close()
	for _, name := range []string{
		"00000000000000000100.log.deleted", "00000000000000000100.index.deleted",
		"00000000000000000200.log.cleaned", "00000000000000000300.index", "00000000000000000300.timeindex",
		"00000000000000000300.txnindex",
	} {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644)
	}
	cfg.Recovery.CleanShutdown = true
	l = openTest(t, dir, cfg)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"00000000000000000000.index", "00000000000000000000.log", "00000000000000000000.timeindex", LeaderEpochCheckpointFile}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	l.Close()
	os.WriteFile(filepath.Join(dir, "00000000000000000000.log.swap"), nil, 0o644)
	if _, err := Open(dir, cfg, nil); !errors.Is(err, ErrUnsupportedLayout) {
		t.Fatalf("open with a .swap file: %v", err)
	}
}

func TestLogEndBelowLogStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "t-0")
	cfg := testConfig(newFakeClock())
	l := openTest(t, dir, cfg)
	fillLog(t, l, 3)
	l.Close()
	cfg.Recovery = Recovery{CleanShutdown: true, LogStartOffset: 100}
	l = openTest(t, dir, cfg)
	defer l.Close()
	if !slices.Equal(l.SegmentBaseOffsets(), []int64{100}) || l.LogEndOffset() != 100 || l.LogStartOffset() != 100 {
		t.Fatalf("segments %v end %d start %d", l.SegmentBaseOffsets(), l.LogEndOffset(), l.LogStartOffset())
	}
	if len(l.LeaderEpochs()) != 0 {
		t.Fatalf("epochs %v", l.LeaderEpochs())
	}
}

func TestDirShutdownAndRestart(t *testing.T) {
	root := t.TempDir()
	cfg := testConfig(newFakeClock())
	cfg.SegmentBytes = 1000
	d, err := OpenDir(root, nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if d.HadCleanShutdown() {
		t.Fatal("new dir had a clean shutdown")
	}
	var logs []*Log
	for _, tp := range []TopicPartition{{"a", 0}, {"b-x", 3}} {
		l, err := d.OpenLog(tp, cfg)
		if err != nil {
			t.Fatal(err)
		}
		fillLog(t, l, 12)
		logs = append(logs, l)
	}
	logs[0].SetHighWatermark(10)
	if err := logs[0].IncrementLogStartOffset(5); err != nil {
		t.Fatal(err)
	}
	logs[1].SetHighWatermark(24)
	if err := d.Shutdown(logs); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, CleanShutdownFile)); err != nil {
		t.Fatal("no clean shutdown marker")
	}
	read := func(name string) string { return string(fileBytes(t, filepath.Join(root, name))) }
	if got := read(RecoveryPointCheckpointFile); got != "0\n2\na 0 24\nb-x 3 24\n" {
		t.Errorf("recovery points %q", got)
	}
	if got := read(ReplicationOffsetCheckpointFile); got != "0\n2\na 0 10\nb-x 3 24\n" {
		t.Errorf("high watermarks %q", got)
	}
	if got := read(LogStartOffsetCheckpointFile); got != "0\n1\na 0 5\n" {
		t.Errorf("log start offsets %q", got)
	}

	d, err = OpenDir(root, nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if !d.HadCleanShutdown() {
		t.Fatal("clean shutdown not seen")
	}
	if _, err := os.Stat(filepath.Join(root, CleanShutdownFile)); !os.IsNotExist(err) {
		t.Fatal("marker not removed on open")
	}
	tps, err := d.Partitions()
	if err != nil || !slices.Equal(tps, []TopicPartition{{"a", 0}, {"b-x", 3}}) {
		t.Fatalf("partitions %v %v", tps, err)
	}
	want := map[TopicPartition]Recovery{
		{"a", 0}:   {CleanShutdown: true, RecoveryPoint: 24, LogStartOffset: 5, HighWatermark: 10},
		{"b-x", 3}: {CleanShutdown: true, RecoveryPoint: 24, HighWatermark: 24},
	}
	got := map[TopicPartition]Recovery{}
	for _, tp := range tps {
		got[tp] = d.Recovery(tp)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("recovery %v, want %v", got, want)
	}
	l, err := d.OpenLog(TopicPartition{"a", 0}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if l.LogStartOffset() != 5 || l.HighWatermark() != 10 || l.LogEndOffset() != 24 {
		t.Fatalf("reopened: start %d hw %d end %d", l.LogStartOffset(), l.HighWatermark(), l.LogEndOffset())
	}
	abandon(l) // a crash: no marker next time
	d, _ = OpenDir(root, nil, nil)
	if d.HadCleanShutdown() {
		t.Fatal("crash seen as a clean shutdown")
	}
	// A garbled checkpoint is treated as empty.
	os.WriteFile(filepath.Join(root, RecoveryPointCheckpointFile), []byte("zzz"), 0o644)
	d, _ = OpenDir(root, nil, nil)
	if r := d.Recovery(TopicPartition{"a", 0}); r.RecoveryPoint != 0 {
		t.Fatalf("garbled checkpoint gave %v", r)
	}
	os.Mkdir(filepath.Join(root, "a-0.0123456789abcdef-delete"), 0o755)
	os.Mkdir(filepath.Join(root, "notapartition"), 0o755)
	if tps, _ := d.Partitions(); len(tps) != 2 || strings.Contains(tps[0].Topic, "delete") {
		t.Fatalf("partitions %v", tps)
	}
}
