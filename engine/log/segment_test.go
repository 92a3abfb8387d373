package log

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// segmentWith creates a segment at base holding the given batches, each
// appended on its own, with offsets assigned from base.
func segmentWith(t *testing.T, base int64, interval int64, batches ...[]byte) (*segment, []Batch) {
	t.Helper()
	s, err := createSegment(OSFS{}, t.TempDir(), base, segmentConfig{maxIndexSize: 1 << 12, indexInterval: interval}, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.closeFiles() })
	next := base
	var out []Batch
	for _, raw := range batches {
		b := Batch(bytes.Clone(raw))
		b.SetBaseOffset(next)
		if err := s.append(b, b.LastOffset(), b.MaxTimestamp(), b.LastOffset()); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
		next = b.NextOffset()
	}
	return s, out
}

func TestSegmentFindAndRead(t *testing.T) {
	var raws [][]byte
	for i := 0; i < 10; i++ {
		raws = append(raws, simpleBatch(t, 5, 40, int64(100*i))) // ~290 bytes, 5 offsets each
	}
	s, batches := segmentWith(t, 1000, 500, raws...)
	if n := s.idx.entries(); n < 3 {
		t.Fatalf("only %d index entries; the test wants the index in play", n)
	}
	pos := make([]int64, len(batches))
	for i := 1; i < len(batches); i++ {
		pos[i] = pos[i-1] + int64(len(batches[i-1]))
	}
	size := s.size.Load()
	for target := int64(995); target < 1055; target++ {
		f, ok, err := s.find(target, size)
		if err != nil {
			t.Fatal(err)
		}
		gotPos, gotSize := f.pos, f.size
		i := int(max(target-1000, 0) / 5)
		if target >= 1050 {
			if ok {
				t.Errorf("find(%d) past the end found %d", target, gotPos)
			}
			continue
		}
		if !ok || gotPos != pos[i] || gotSize != int64(len(batches[i])) {
			t.Errorf("find(%d) = %d,%d,%v; want batch %d at %d", target, gotPos, gotSize, ok, i, pos[i])
		}
	}
	// A read from the middle of batch 3 starts at batch 3; maxBytes smaller
	// than the batch still returns it whole; a larger one cuts at the byte.
	d, ok, err := s.read(1017, 1, size)
	if err != nil || !ok || d.Pos != pos[3] || d.Size != int32(len(batches[3])) {
		t.Fatalf("read(1017, 1) = %+v %v %v", d, ok, err)
	}
	d, _, _ = s.read(1017, int32(len(batches[3])+10), size)
	if d.Size != int32(len(batches[3])+10) {
		t.Fatalf("read(1017, batch+10).Size = %d", d.Size)
	}
	got, err := d.Bytes()
	if err != nil || !bytes.Equal(got[:len(batches[3])], batches[3]) {
		t.Fatalf("read bytes differ: %v", err)
	}
	// maxPos bounds the read.
	d, ok, _ = s.read(1017, 1<<20, pos[5])
	if !ok || d.Size != int32(pos[5]-pos[3]) {
		t.Fatalf("read bounded at batch 5: %+v", d)
	}
	if _, ok, _ := s.read(1027, 1<<20, pos[5]); ok {
		t.Fatal("read at the bound found data")
	}
	if next, err := s.nextOffset(); err != nil || next != 1050 {
		t.Fatalf("nextOffset = %d, %v", next, err)
	}
}

// TestSegmentRecoverRebuildsSameIndexes: with one batch per append, the
// indexes recovery rebuilds equal the ones appends wrote.
func TestSegmentRecoverRebuildsSameIndexes(t *testing.T) {
	var raws [][]byte
	for i := 0; i < 30; i++ {
		raws = append(raws, simpleBatch(t, 1+i%4, 20+7*i, int64(1000+10*i-5*(i%3))))
	}
	s, _ := segmentWith(t, 0, 300, raws...)
	if err := s.onBecomeInactive(); err != nil {
		t.Fatal(err)
	}
	idx := fileBytes(t, s.idx.path)
	tidx := fileBytes(t, s.tidx.path)
	if _, err := s.recover(nil); err != nil {
		t.Fatal(err)
	}
	if got := fileBytes(t, s.idx.path); !bytes.Equal(got, idx) {
		t.Errorf("rebuilt .index differs:\n%x\n%x", got, idx)
	}
	if got := fileBytes(t, s.tidx.path); !bytes.Equal(got, tidx) {
		t.Errorf("rebuilt .timeindex differs:\n%x\n%x", got, tidx)
	}
}

func TestSegmentRecoverTruncates(t *testing.T) {
	a, b, c := simpleBatch(t, 2, 50, 10), simpleBatch(t, 2, 50, 20), simpleBatch(t, 2, 50, 30)
	s, batches := segmentWith(t, 0, 0, a, b, c)
	good := int64(len(batches[0]) + len(batches[1]))
	// Corrupt a byte of the third batch's records.
	f, _ := os.OpenFile(s.path(LogFileSuffix), os.O_RDWR, 0)
	f.WriteAt([]byte{0xff}, good+70)
	f.Close()
	truncated, err := s.recover(nil)
	if err != nil {
		t.Fatal(err)
	}
	if truncated != int64(len(batches[2])) || s.size.Load() != good {
		t.Fatalf("truncated %d, size %d", truncated, s.size.Load())
	}
	if st, _ := os.Stat(s.path(LogFileSuffix)); st.Size() != good {
		t.Fatalf("file size %d", st.Size())
	}
	if next, _ := s.nextOffset(); next != 4 {
		t.Fatalf("next offset %d", next)
	}
	if ts, off, _ := s.maxTimestamp(); ts != 21 || off != 3 {
		t.Fatalf("max timestamp %d at %d", ts, off)
	}
}

func TestSegmentTruncateTo(t *testing.T) {
	var raws [][]byte
	for i := 0; i < 8; i++ {
		raws = append(raws, simpleBatch(t, 3, 60, int64(10*i)))
	}
	s, batches := segmentWith(t, 100, 100, raws...)
	if err := s.onBecomeInactive(); err != nil {
		t.Fatal(err)
	}
	// Truncating into the middle of batch 4 (offsets 112..114) removes it.
	removed, err := s.truncateTo(113, 5)
	if err != nil {
		t.Fatal(err)
	}
	var keep int64
	for _, b := range batches[:4] {
		keep += int64(len(b))
	}
	if s.size.Load() != keep || removed != sumLen(batches[4:]) {
		t.Fatalf("size %d (want %d), removed %d", s.size.Load(), keep, removed)
	}
	if next, _ := s.nextOffset(); next != 112 {
		t.Fatalf("next offset %d", next)
	}
	if e, _ := s.idx.lastEntry(); e.Offset >= 112 {
		t.Fatalf("index keeps entry %v", e)
	}
	if e, _ := s.tidx.lastEntry(); e.Offset >= 112 {
		t.Fatalf("time index keeps entry %v", e)
	}
	if ts, off, _ := s.maxTimestamp(); ts != 32 || off != 111 {
		t.Fatalf("max timestamp %d at %d, want 32 at 111", ts, off)
	}
	// Active again: the indexes are preallocated.
	if st, _ := os.Stat(s.idx.path); st.Size() != 1<<12 {
		t.Fatalf("index size %d after truncation", st.Size())
	}
	if _, err := s.truncateTo(100, 6); err != nil || s.size.Load() != 0 || s.createdMs != 6 {
		t.Fatalf("truncate to base: %v size %d created %d", err, s.size.Load(), s.createdMs)
	}
}

func sumLen(bs []Batch) int64 {
	var n int64
	for _, b := range bs {
		n += int64(len(b))
	}
	return n
}

func TestFilenamePrefix(t *testing.T) {
	for in, want := range map[int64]string{
		0:             "00000000000000000000",
		1234:          "00000000000000001234",
		1<<63 - 1:     "09223372036854775807",
		1000000000000: "00000001000000000000",
	} {
		if got := FilenamePrefix(in); got != want {
			t.Errorf("FilenamePrefix(%d) = %s, want %s", in, got, want)
		}
	}
	if got := filepath.Base((&segment{dir: "d", base: 7}).path(".log")); got != "00000000000000000007.log" {
		t.Errorf("path = %s", got)
	}
}
