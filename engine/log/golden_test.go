package log

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// goldenTopicID is the topic id of the golden log dir.
const goldenTopicID = "ZiGkBu5OQ8KOhzFg2-vvmA"

// goldenConfig makes a few segments, several index entries per segment and
// time index entries out of order timestamps.
func goldenConfig(clock *fakeClock) Config {
	cfg := DefaultConfig()
	cfg.Clock = clock.Now
	cfg.SegmentBytes = 2048
	cfg.IndexIntervalBytes = 200
	cfg.SegmentIndexBytes = 1024
	cfg.FileDeleteDelayMs = 0
	return cfg
}

// goldenBatches is the fixed batch set: batch i has i%3+1 uncompressed
// records with keys and values, timestamps that mostly grow, and leader
// epoch 0, 1 or 3. Appends take one batch, or two for every fifth.
func goldenBatches(t testing.TB) (appends [][]byte, epochs []int32) {
	const base = 1_764_064_800_000 // 2025-11-25T10:00:00Z
	var pending []byte
	for i := 0; i < 24; i++ {
		n := i%3 + 1
		rs := make([]testRecord, n)
		for j := range rs {
			rs[j] = testRecord{
				key:   []byte(fmt.Sprintf("key-%d", i)),
				value: []byte(fmt.Sprintf("value-%d-%d %s", i, j, bytes.Repeat([]byte{'x'}, 40+i*3))),
				ts:    base + int64(i)*100 - int64(i%4)*70 + int64(j)*7,
			}
		}
		if i == 7 {
			rs[0].key = nil // a null key
		}
		b := buildBatch(t, batchSpec{records: rs})
		epoch := int32(0)
		switch {
		case i >= 16:
			epoch = 3
		case i >= 8:
			epoch = 1
		}
		if i%5 == 3 {
			pending = b
			continue
		}
		appends = append(appends, append(pending, b...))
		epochs = append(epochs, epoch)
		pending = nil
	}
	return appends, epochs
}

// writeGoldenDir writes the golden log dir under root, as a broker's clean
// shutdown leaves it.
func writeGoldenDir(t testing.TB, root string) {
	t.Helper()
	clock := newFakeClock()
	d, err := OpenDir(root, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteMetaProperties(MetaProperties{Version: 0, BrokerID: 0, ClusterID: "Ez4GYLyIQ7CQjFyD5fOX5Q"}, clock.Now()); err != nil {
		t.Fatal(err)
	}
	l, err := d.OpenLog(TopicPartition{"golden", 0}, goldenConfig(clock))
	if err != nil {
		t.Fatal(err)
	}
	id, err := ParseTopicID(goldenTopicID)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetTopicID(id); err != nil {
		t.Fatal(err)
	}
	appends, epochs := goldenBatches(t)
	for i, a := range appends {
		if _, err := l.Append(a, epochs[i]); err != nil {
			t.Fatal(err)
		}
	}
	l.SetHighWatermark(l.LogEndOffset() - 2)
	if err := d.Shutdown([]*Log{l}); err != nil {
		t.Fatal(err)
	}
}

// listFiles returns the files under root, relative and sorted.
func listFiles(t testing.TB, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestGoldenLogDir writes a small log dir and compares every file, byte for
// byte, with testdata/golden/logdir (-update rewrites it).
func TestGoldenLogDir(t *testing.T) {
	root := t.TempDir()
	writeGoldenDir(t, root)
	files := listFiles(t, root)
	wantFiles := []string{
		".kafka_cleanshutdown",
		"golden-0/00000000000000000000.index",
		"golden-0/00000000000000000000.log",
		"golden-0/00000000000000000000.timeindex",
	}
	for _, f := range wantFiles {
		if !slices.Contains(files, f) {
			t.Errorf("missing %s in %v", f, files)
		}
	}
	if !*update {
		if want := listFiles(t, filepath.Join("testdata", "golden", "logdir")); !slices.Equal(files, want) {
			t.Errorf("files %v\nwant  %v", files, want)
		}
	}
	for _, f := range files {
		golden(t, filepath.Join("golden", "logdir", filepath.FromSlash(f)), fileBytes(t, filepath.Join(root, filepath.FromSlash(f))))
	}
	// The fixture is what the test says it is.
	seg := filepath.Join(root, "golden-0")
	data := fileBytes(t, filepath.Join(seg, "00000000000000000000.log"))
	it := IterBatches(data)
	next := int64(0)
	for it.Next() {
		b := it.Batch()
		if err := b.Validate(); err != nil || b.BaseOffset() != next {
			t.Fatalf("batch at %d: %v (base %d)", it.Pos(), err, b.BaseOffset())
		}
		next = b.NextOffset()
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	entries, n := DecodeOffsetIndex(fileBytes(t, filepath.Join(seg, "00000000000000000000.index")), 0)
	if len(entries) < 3 || n != len(entries)*8 {
		t.Fatalf("index entries %v", entries)
	}
}

// TestGoldenLogDirOpens opens a copy of the checked-in golden dir.
func TestGoldenLogDirOpens(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(filepath.Join("testdata", "golden", "logdir"))); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDir(root, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !d.HadCleanShutdown() {
		t.Fatal("golden dir not clean")
	}
	l, err := d.OpenLog(TopicPartition{"golden", 0}, goldenConfig(newFakeClock()))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	appends, _ := goldenBatches(t)
	var want []byte
	for _, a := range appends {
		want = append(want, a...)
	}
	var got []byte
	for _, b := range readAll(t, l, 0) {
		got = append(got, b[offCRC:]...)
	}
	var wantTail []byte
	it := IterBatches(want)
	for it.Next() {
		wantTail = append(wantTail, it.Batch()[offCRC:]...)
	}
	if !bytes.Equal(got, wantTail) {
		t.Fatal("batches read back differ from the ones appended")
	}
	if id, ok := l.TopicID(); !ok || id.String() != goldenTopicID {
		t.Fatalf("topic id %v", id)
	}
	if l.HighWatermark() != l.LogEndOffset()-2 {
		t.Fatalf("hw %d end %d", l.HighWatermark(), l.LogEndOffset())
	}
	mp, ok, err := d.ReadMetaProperties()
	if err != nil || !ok || mp.ClusterID != "Ez4GYLyIQ7CQjFyD5fOX5Q" {
		t.Fatalf("meta.properties %+v %v %v", mp, ok, err)
	}
}
