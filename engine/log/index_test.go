package log

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func newTestOffsetIndex(t *testing.T, base int64, maxSize int64) *offsetIndex {
	t.Helper()
	x := newOffsetIndex(OSFS{}, filepath.Join(t.TempDir(), FilenamePrefix(base)+IndexFileSuffix), base, nil)
	if err := x.create(maxSize); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.close() })
	return x
}

func TestOffsetIndexLookup(t *testing.T) {
	x := newTestOffsetIndex(t, 100, 80)
	entries := []OffsetPosition{{110, 500}, {120, 1000}, {135, 1700}}
	for _, e := range entries {
		if err := x.append(e.Offset, int64(e.Position)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		target int64
		want   OffsetPosition
	}{
		{0, OffsetPosition{100, 0}},
		{100, OffsetPosition{100, 0}},
		{109, OffsetPosition{100, 0}},
		{110, OffsetPosition{110, 500}},
		{119, OffsetPosition{110, 500}},
		{120, OffsetPosition{120, 1000}},
		{134, OffsetPosition{120, 1000}},
		{135, OffsetPosition{135, 1700}},
		{1 << 40, OffsetPosition{135, 1700}},
	}
	for _, tt := range tests {
		got, err := x.lookup(tt.target)
		if err != nil || got != tt.want {
			t.Errorf("lookup(%d) = %v, %v; want %v", tt.target, got, err, tt.want)
		}
	}
	if err := x.append(135, 2000); err == nil {
		t.Error("append of a non-increasing offset succeeded")
	}
	if err := x.append(100+maxRelativeOffset+1, 3000); err == nil {
		t.Error("append of an overflowing offset succeeded")
	}
	if full, _ := x.isFull(); full {
		t.Error("index with 3 of 10 entries is full")
	}
	// The file is preallocated; trimmed it holds exactly the entries.
	if st, _ := os.Stat(x.path); st.Size() != 80 {
		t.Errorf("preallocated size %d, want 80", st.Size())
	}
	if err := x.trim(); err != nil {
		t.Fatal(err)
	}
	data := fileBytes(t, x.path)
	got, n := DecodeOffsetIndex(data, 100)
	if n != 24 || !slices.Equal(got, entries) {
		t.Errorf("on disk: %v (%d bytes), want %v", got, n, entries)
	}
	if want := []byte{0, 0, 0, 10, 0, 0, 1, 0xf4}; !slices.Equal(data[:8], want) {
		t.Errorf("first entry bytes %x, want %x", data[:8], want)
	}
	// truncateTo keeps entries below the offset.
	if err := x.truncateTo(120); err != nil {
		t.Fatal(err)
	}
	if e, _ := x.lastEntry(); e != (OffsetPosition{110, 500}) {
		t.Errorf("after truncateTo(120) last entry %v", e)
	}
	// The file keeps its length; the dropped slots are zeroed.
	if data := fileBytes(t, x.path); len(data) != 24 || !slices.Equal(data[8:], make([]byte, 16)) {
		t.Errorf("after truncation: %x", data)
	}
}

func TestOffsetIndexFull(t *testing.T) {
	x := newTestOffsetIndex(t, 0, 20) // rounds down to 2 entries
	for i := int64(1); i <= 2; i++ {
		if full, _ := x.isFull(); full {
			t.Fatalf("full after %d entries", i-1)
		}
		if err := x.append(i, i*10); err != nil {
			t.Fatal(err)
		}
	}
	if full, _ := x.isFull(); !full {
		t.Fatal("not full after 2 entries")
	}
	if err := x.append(3, 30); err == nil {
		t.Fatal("append to a full index succeeded")
	}
}

// TestOffsetIndexReload: a reopened index keeps its consistent leading
// entries only (a crash can leave an untrimmed, zero-filled tail).
func TestOffsetIndexReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.index")
	put := func(entries ...[2]int32) []byte {
		var b []byte
		for _, e := range entries {
			b = binary.BigEndian.AppendUint32(b, uint32(e[0]))
			b = binary.BigEndian.AppendUint32(b, uint32(e[1]))
		}
		return b
	}
	tests := []struct {
		name    string
		data    []byte
		logSize int64
		want    int
	}{
		{"empty", nil, 100, 0},
		{"all valid", put([2]int32{1, 10}, [2]int32{5, 50}), 100, 2},
		{"zero tail", append(put([2]int32{1, 10}, [2]int32{5, 50}), make([]byte, 80)...), 100, 2},
		{"all zeros", make([]byte, 80), 100, 1},
		{"offset goes back", put([2]int32{5, 10}, [2]int32{4, 50}), 100, 1},
		{"position goes back", put([2]int32{5, 50}, [2]int32{6, 10}), 100, 1},
		{"position past log", put([2]int32{5, 50}, [2]int32{6, 100}), 100, 1},
		{"negative offset", put([2]int32{-1, 0}), 100, 0},
		{"torn entry", append(put([2]int32{1, 10}), 0, 0, 0), 100, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			var size = new(int64)
			*size = tt.logSize
			x := newOffsetIndex(OSFS{}, path, 1000, nil)
			x.valid = func(data []byte) int { return validOffsetEntries(data, *size) }
			defer x.close()
			if err := x.load(); err != nil {
				t.Fatal(err)
			}
			if x.entries() != tt.want {
				t.Fatalf("%d entries, want %d", x.entries(), tt.want)
			}
		})
	}
}

func TestTimeIndex(t *testing.T) {
	x := newTimeIndex(OSFS{}, filepath.Join(t.TempDir(), "0.timeindex"), 50)
	if err := x.create(48); err != nil { // 4 slots, full at 3
		t.Fatal(err)
	}
	defer x.close()
	steps := []struct {
		ts, off int64
		skip    bool
		wantN   int
	}{
		{-1, 50, false, 0}, // NoTimestamp never goes in
		{100, 55, false, 1},
		{100, 56, false, 1}, // same timestamp: ignored
		{90, 57, false, 1},  // smaller: ignored
		{200, 60, false, 2},
		{300, 60, false, 3}, // same offset, larger timestamp: kept
	}
	for _, s := range steps {
		if err := x.maybeAppend(s.ts, s.off, s.skip); err != nil {
			t.Fatalf("maybeAppend(%d, %d): %v", s.ts, s.off, err)
		}
		if x.entries() != s.wantN {
			t.Fatalf("after (%d, %d): %d entries, want %d", s.ts, s.off, x.entries(), s.wantN)
		}
	}
	if full, _ := x.isFull(); !full {
		t.Fatal("3 of 4 entries: want full (last slot reserved)")
	}
	if err := x.maybeAppend(400, 70, false); err == nil {
		t.Fatal("append to a full time index succeeded")
	}
	if err := x.maybeAppend(400, 70, true); err != nil {
		t.Fatalf("final entry into the reserved slot: %v", err)
	}
	if err := x.maybeAppend(500, 65, true); err == nil {
		t.Fatal("offset going back accepted")
	}
	lookups := []struct {
		ts   int64
		want TimestampOffset
	}{
		{0, TimestampOffset{NoTimestamp, 50}},
		{99, TimestampOffset{NoTimestamp, 50}},
		{100, TimestampOffset{100, 55}},
		{250, TimestampOffset{200, 60}},
		{300, TimestampOffset{300, 60}},
		{1000, TimestampOffset{400, 70}},
	}
	for _, tt := range lookups {
		if got, err := x.lookup(tt.ts); err != nil || got != tt.want {
			t.Errorf("lookup(%d) = %v, %v; want %v", tt.ts, got, err, tt.want)
		}
	}
	if err := x.truncateTo(60); err != nil {
		t.Fatal(err)
	}
	if e, _ := x.lastEntry(); e != (TimestampOffset{100, 55}) {
		t.Errorf("after truncateTo(60): last %v", e)
	}
	if err := x.trim(); err != nil {
		t.Fatal(err)
	}
	got, n := DecodeTimeIndex(fileBytes(t, x.path), 50)
	if n != 12 || !slices.Equal(got, []TimestampOffset{{100, 55}}) {
		t.Errorf("on disk %v (%d bytes)", got, n)
	}
}

func TestValidTimeEntries(t *testing.T) {
	put := func(entries ...[2]int64) []byte {
		var b []byte
		for _, e := range entries {
			b = binary.BigEndian.AppendUint64(b, uint64(e[0]))
			b = binary.BigEndian.AppendUint32(b, uint32(e[1]))
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"ok", put([2]int64{5, 0}, [2]int64{6, 3}, [2]int64{9, 3}), 3},
		{"zeros after", append(put([2]int64{5, 0}), make([]byte, 36)...), 1},
		{"timestamp repeats", put([2]int64{5, 0}, [2]int64{5, 1}), 1},
		{"offset goes back", put([2]int64{5, 3}, [2]int64{6, 2}), 1},
		{"negative timestamp", put([2]int64{-1, 0}), 0},
		{"negative offset", put([2]int64{5, -2}), 0},
	}
	for _, tt := range tests {
		if got := validTimeEntries(tt.data); got != tt.want {
			t.Errorf("%s: %d valid, want %d", tt.name, got, tt.want)
		}
	}
}
