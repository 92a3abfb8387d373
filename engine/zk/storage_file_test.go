package zk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// openFileStorage is the file implementation for the shared tests: a small
// preallocation step so files grow often.
func openFileStorage(t *testing.T) (TxnLog, Snapshotter) {
	dir := t.TempDir()
	l, err := NewFileTxnLog(dir, WithPreAllocSize(4096))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s, err := NewFileSnapshotter(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l, s
}

func mustOpenLog(t *testing.T, dir string, opts ...FileOption) *FileTxnLog {
	t.Helper()
	l, err := NewFileTxnLog(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func logFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := listFiles(OSFS, filepath.Join(dir, VersionDir), logPrefix)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.name)
	}
	return names
}

func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestFileTxnLogLayout: names, header, preallocation, padding cut on roll
// and close, a new file after reopening.
func TestFileTxnLogLayout(t *testing.T) {
	dir := t.TempDir()
	l := mustOpenLog(t, dir, WithPreAllocSize(8192))
	txns := sampleTxns(0x100)
	if err := l.Append(txns[:5]...); err != nil {
		t.Fatal(err)
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(dir, VersionDir, "log.100")
	if got := fileSize(t, first); got != 8192 {
		t.Fatalf("preallocated size %d, want 8192", got)
	}
	b, _ := os.ReadFile(first)
	if !bytes.Equal(b[:16], []byte{'Z', 'K', 'L', 'G', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0}) {
		t.Fatalf("header % x", b[:16])
	}
	if err := l.Roll(); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(txns[5:]...); err != nil { // includes a 3000-byte txn
		t.Fatal(err)
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	if got := logFiles(t, dir); !slices.Equal(got, []string{"log.100", "log.105"}) {
		t.Fatalf("files %v", got)
	}
	end1 := fileSize(t, first)
	if end1 == 8192 || end1 < 16 {
		t.Fatalf("rolled file keeps its padding: %d bytes", end1)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(dir, VersionDir, "log.105")
	size2 := fileSize(t, second)
	l2 := mustOpenLog(t, dir, WithPreAllocSize(8192))
	if z, _ := l2.LastZxid(); z != txns[len(txns)-1].Zxid {
		t.Fatalf("LastZxid after reopen %#x", z)
	}
	if got := replayAll(t, l2, 0); !txnsEqual(got, txns) {
		t.Fatalf("replay after reopen: %v", zxidsOf(got))
	}
	next := Txn{Type: OpDelete, Path: "/x", Zxid: 0x200}
	if err := l2.Append(next); err != nil {
		t.Fatal(err)
	}
	if err := l2.Sync(); err != nil {
		t.Fatal(err)
	}
	if got := logFiles(t, dir); !slices.Equal(got, []string{"log.100", "log.105", "log.200"}) {
		t.Fatalf("files after reopen %v (a reopened log appends to a new file)", got)
	}
	if fileSize(t, second) != size2 {
		t.Fatal("an old file changed after reopening")
	}
	if got := replayAll(t, l2, 0x110); !slices.Equal(zxidsOf(got), []int64{0x111, 0x200}) {
		t.Fatalf("Replay(0x110) = %x", zxidsOf(got))
	}
}

// TestFileTxnLogNoCloseReopen: a process that dies without Close leaves its
// synced txns and a preallocated file, which the next open trims.
func TestFileTxnLogNoCloseReopen(t *testing.T) {
	dir := t.TempDir()
	l, err := NewFileTxnLog(dir, WithPreAllocSize(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	txns := sampleTxns(1)
	if err := l.Append(txns...); err != nil {
		t.Fatal(err)
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	// No Close: the file stays preallocated.
	p := filepath.Join(dir, VersionDir, "log.1")
	if fileSize(t, p) != 1<<20 {
		t.Fatal("not preallocated")
	}
	l2 := mustOpenLog(t, dir)
	if got := replayAll(t, l2, 0); !txnsEqual(got, txns) {
		t.Fatalf("replayed %v", zxidsOf(got))
	}
	if size := fileSize(t, p); size >= 1<<20 {
		t.Fatalf("padding not cut on open: %d", size)
	}
	l.Close()
}

// TestFileTxnLogForceSyncOff: forceSync=no still writes on Sync.
func TestFileTxnLogForceSyncOff(t *testing.T) {
	fsys := newFaultFS(1)
	dir := "/d"
	l, err := NewFileTxnLog(dir, WithFS(fsys), WithForceSync(false))
	if err != nil {
		t.Fatal(err)
	}
	txns := sampleTxns(1)
	if err := l.Append(txns...); err != nil {
		t.Fatal(err)
	}
	syncs := fsys.syncs
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	if fsys.syncs != syncs+1 { // only the new file's creation
		t.Fatalf("%d fsyncs for a Sync with forceSync off, want 1 (file creation)", fsys.syncs-syncs)
	}
	if err := l.Append(sampleTxns(100)[:2]...); err != nil {
		t.Fatal(err)
	}
	syncs = fsys.syncs
	if err := l.Sync(); err != nil || fsys.syncs != syncs {
		t.Fatalf("Sync = %v with %d fsyncs, want none", err, fsys.syncs-syncs)
	}
	fsys.restart() // the process dies; the OS keeps its page cache
	l2, err := NewFileTxnLog(dir, WithFS(fsys))
	if err != nil {
		t.Fatal(err)
	}
	if got := replayAll(t, l2, 0); len(got) != len(txns)+2 {
		t.Fatalf("replayed %d txns", len(got))
	}
}

// TestFileTxnLogGroupSync: one fsync per Sync, however many txns.
func TestFileTxnLogGroupSync(t *testing.T) {
	fsys := newFaultFS(1)
	l, err := NewFileTxnLog("/d", WithFS(fsys), WithPreAllocSize(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Append(Txn{Type: OpDelete, Path: "/a", Zxid: 1}); err != nil {
		t.Fatal(err)
	}
	if err := l.Sync(); err != nil { // creates the file: header fsync + dir fsync + data fsync
		t.Fatal(err)
	}
	for _, n := range []int{1, 16, 128} {
		z, _ := l.LastZxid()
		for i := range n {
			if err := l.Append(Txn{Type: OpSetData, Path: "/a", Data: make([]byte, 100), Zxid: z + 1 + int64(i)}); err != nil {
				t.Fatal(err)
			}
		}
		before, writes := fsys.syncs, fsys.writes
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
		if fsys.syncs-before != 1 || fsys.writes-writes != 1 {
			t.Fatalf("group of %d: %d fsyncs, %d writes; want 1 and 1", n, fsys.syncs-before, fsys.writes-writes)
		}
	}
	before := fsys.syncs
	if err := l.Sync(); err != nil || fsys.syncs != before {
		t.Fatalf("empty Sync: %v, %d fsyncs", err, fsys.syncs-before)
	}
}

// TestFileTxnLogConcurrentAppendSync: appends go on while a Sync writes;
// nothing is lost or reordered (run with -race).
func TestFileTxnLogConcurrentAppendSync(t *testing.T) {
	dir := t.TempDir()
	l := mustOpenLog(t, dir, WithPreAllocSize(64<<10))
	const total = 2000
	acked := make(chan int64, 64)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the sync thread
		defer wg.Done()
		for {
			z, _ := l.LastZxid()
			if err := l.Sync(); err != nil {
				t.Error(err)
				return
			}
			acked <- z
			if z == total {
				close(acked)
				return
			}
		}
	}()
	for z := int64(1); z <= total; z++ {
		if err := l.Append(Txn{Type: OpSetData, Path: "/c", Data: []byte(strconv.FormatInt(z, 10)), Zxid: z}); err != nil {
			t.Fatal(err)
		}
		if z%300 == 0 {
			if err := l.Roll(); err != nil {
				t.Fatal(err)
			}
		}
	}
	for range acked {
	}
	wg.Wait()
	got := replayAll(t, l, 0)
	if len(got) != total {
		t.Fatalf("replayed %d of %d", len(got), total)
	}
	for i, txn := range got {
		if txn.Zxid != int64(i+1) || string(txn.Data) != strconv.Itoa(i+1) {
			t.Fatalf("txn %d: %+v", i, txn)
		}
	}
}

// ---- fixtures ----

const storageFixtures = "testdata/storage"

// writeGolden writes the golden files into dir: two logs (a roll after ten
// txns), both closed so their padding is cut, and one snapshot.
func writeGolden(dir string, opts ...FileOption) error {
	l, err := NewFileTxnLog(dir, append([]FileOption{WithPreAllocSize(0)}, opts...)...)
	if err != nil {
		return err
	}
	txns := sampleTxns(1)
	if err := l.Append(txns[:10]...); err != nil {
		return err
	}
	if err := l.Sync(); err != nil {
		return err
	}
	if err := l.Roll(); err != nil {
		return err
	}
	if err := l.Append(txns[10:]...); err != nil {
		return err
	}
	if err := l.Close(); err != nil {
		return err
	}
	s, err := NewFileSnapshotter(dir, opts...)
	if err != nil {
		return err
	}
	return s.Save(sampleSnapshot(0xa))
}

var goldenFiles = []string{"log.1", "log.b", "snapshot.a"}

// TestFileStorageGolden compares the bytes this code writes with the
// checked-in files (regenerated with -update, which also rebuilds the
// damaged fixtures and the fuzz seeds from them), then reads the checked-in
// files back.
func TestFileStorageGolden(t *testing.T) {
	dir := t.TempDir()
	if err := writeGolden(dir); err != nil {
		t.Fatal(err)
	}
	goldenDir := filepath.Join(storageFixtures, "golden", VersionDir)
	if scriptUpdate() {
		writeFixtures(t, dir)
	}
	for _, name := range goldenFiles {
		got, err := os.ReadFile(filepath.Join(dir, VersionDir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(goldenDir, name))
		if err != nil {
			t.Fatalf("%v (run go test -run TestFileStorageGolden -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes differ from the golden %d bytes (format changed? -update rewrites)", name, len(got), len(want))
		}
	}
	// Read the golden files.
	copyDir := copyFixture(t, "golden")
	l := mustOpenLog(t, copyDir)
	if got := replayAll(t, l, 0); !txnsEqual(got, sampleTxns(1)) {
		t.Fatalf("golden log replays %v", zxidsOf(got))
	}
	s, err := NewFileSnapshotter(copyDir)
	if err != nil {
		t.Fatal(err)
	}
	snap, ok, err := s.Load()
	if err != nil || !ok || !snapshotsEqual(snap, sampleSnapshot(0xa)) {
		t.Fatalf("golden snapshot: %v %v\n%+v", ok, err, snap)
	}
}

// copyFixture copies testdata/storage/<name> to a temp dataDir.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join(storageFixtures, name)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// recordOffsets returns the offset of each record in a log file's bytes.
func recordOffsets(b []byte) []int64 {
	var offs []int64
	for off := int64(fileHeaderLen); off+recOverhead <= int64(len(b)); {
		n := int64(binary.BigEndian.Uint32(b[off+8:]))
		if n == 0 {
			break
		}
		offs = append(offs, off)
		off += n + recOverhead
	}
	return offs
}

// writeFixtures rebuilds testdata/storage from the golden files in dir
// (-update only).
func writeFixtures(t *testing.T, dir string) {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, VersionDir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	write := func(fixture, name string, b []byte) {
		d := filepath.Join(storageFixtures, fixture, VersionDir)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"golden", "torn-tail", "zero-padded", "torn-sector", "corrupt-middle", "corrupt-older", "bad-snapshot"} {
		os.RemoveAll(filepath.Join(storageFixtures, d))
	}
	log1, logB, snap := read("log.1"), read("log.b"), read("snapshot.a")
	for _, name := range goldenFiles {
		write("golden", name, read(name))
	}
	pad := func(b []byte, size int) []byte { return append(slices.Clone(b), make([]byte, size-len(b))...) }

	// torn-tail: log.1, then the first 40 bytes of log.b's first record,
	// then the zeros of its preallocation.
	write("torn-tail", "log.1", pad(append(slices.Clone(log1), logB[16:16+40]...), 4096))
	// zero-padded: a log left preallocated by a process that died.
	write("zero-padded", "log.1", pad(log1, 4096))
	// torn-sector: every sample txn in one file, a sector inside the
	// 3000-byte last record never written, and after it the bytes of a
	// record that did reach the disk: an interrupted append whose
	// sectors landed out of order. Only the zero sector tells it from
	// corruption.
	offs := recordOffsets(log1)
	big := append(slices.Clone(log1), logB[16:]...)
	bigOffs := recordOffsets(big)
	lastBig := bigOffs[len(bigOffs)-1]
	sector := (lastBig/sectorSize + 2) * sectorSize
	clear(big[sector : sector+sectorSize])
	rec11 := logB[16:recordOffsets(logB)[1]]
	write("torn-sector", "log.1", pad(append(big, rec11...), 8192))
	// corrupt-middle: one byte of the 5th record's payload flipped.
	bad := slices.Clone(log1)
	bad[offs[4]+recHeaderLen+20] ^= 0x40
	write("corrupt-middle", "log.1", bad)
	// corrupt-older: the same damage in a file that is not the newest.
	write("corrupt-older", "log.1", bad)
	write("corrupt-older", "log.b", logB)
	// bad-snapshot: a newer snapshot with a flipped byte, an older valid one.
	badSnap := slices.Clone(snap)
	badSnap[len(badSnap)/2] ^= 1
	write("bad-snapshot", "snapshot.a", snap)
	write("bad-snapshot", "snapshot.14", badSnap)
	write("bad-snapshot", "log.1", log1)
	write("bad-snapshot", "log.b", logB)

	// Fuzz seeds: every sample txn and the golden snapshot.
	seed := func(target, name string, b []byte) {
		d := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(d, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"FuzzDecodeTxn", "FuzzReadSnapshot"} {
		os.RemoveAll(filepath.Join("testdata", "fuzz", d))
	}
	for i, txn := range sampleTxns(1) {
		b, err := appendTxn(nil, txn)
		if err != nil {
			t.Fatal(err)
		}
		seed("FuzzDecodeTxn", fmt.Sprintf("sample-%02d-%s", i, opName(txn.Type)), b)
	}
	seed("FuzzReadSnapshot", "golden", snap)
	seed("FuzzReadSnapshot", "empty-tree", encodeSnapshot(t, snapshotOf(NewTree(Options{}))))
}

func opName(op OpCode) string {
	return fmtOp(op)
}

func encodeSnapshot(t testing.TB, s SnapshotData) []byte {
	var b bytes.Buffer
	if err := writeSnapshot(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestFileStorageFixtures opens each damaged fixture: torn tails are cut,
// corruption is an error naming the file and offset.
func TestFileStorageFixtures(t *testing.T) {
	log1, err := os.ReadFile(filepath.Join(storageFixtures, "golden", VersionDir, "log.1"))
	if err != nil {
		t.Fatal(err)
	}
	offs := recordOffsets(log1)
	all := sampleTxns(1)
	for _, tc := range []struct {
		fixture    string
		openErr    string // substring of NewFileTxnLog's error
		replayErr  string // substring of Replay(0)'s error
		errOffset  int64
		errFile    string
		replayed   int   // txns Replay(0) yields
		sizeAfter  int64 // log.1's size after open (0: not checked)
		warn       string
		replayFrom int64 // a Replay after this zxid that must succeed
	}{
		{fixture: "golden", replayed: 18, sizeAfter: int64(len(log1))},
		{fixture: "torn-tail", replayed: 10, sizeAfter: int64(len(log1)), warn: "truncating torn tail"},
		{fixture: "zero-padded", replayed: 10, sizeAfter: int64(len(log1))},
		{fixture: "torn-sector", replayed: 17, warn: "truncating torn tail"},
		{fixture: "corrupt-middle", openErr: "checksum mismatch", errOffset: offs[4], errFile: "log.1"},
		// Only the newest file is checked on open; a replay that does
		// not need the damaged file succeeds (replay-all below fails).
		{fixture: "corrupt-older", replayFrom: 10, replayed: 8},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			dir := copyFixture(t, tc.fixture)
			var logBuf bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logBuf, nil))
			l, err := NewFileTxnLog(dir, WithStorageLogger(logger))
			checkCorrupt := func(err error, want string) {
				t.Helper()
				var ce *CorruptLogError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), want) {
					t.Fatalf("error %v, want a CorruptLogError with %q", err, want)
				}
				if filepath.Base(ce.File) != tc.errFile || ce.Offset != tc.errOffset {
					t.Fatalf("error names %s at %d, want %s at %d", ce.File, ce.Offset, tc.errFile, tc.errOffset)
				}
				wantMsg := fmt.Sprintf("zk: txn log %s is corrupt at offset %d: ", ce.File, tc.errOffset)
				if !strings.HasPrefix(err.Error(), wantMsg) {
					t.Fatalf("message %q", err)
				}
				t.Logf("error (as the operator sees it): %v", err)
			}
			if tc.openErr != "" {
				checkCorrupt(err, tc.openErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if tc.warn != "" && !strings.Contains(logBuf.String(), tc.warn) {
				t.Fatalf("log output %q lacks %q", logBuf.String(), tc.warn)
			}
			if tc.warn == "" && logBuf.Len() != 0 {
				t.Fatalf("unexpected log output %q", logBuf.String())
			}
			if tc.sizeAfter != 0 {
				if got := fileSize(t, filepath.Join(dir, VersionDir, "log.1")); got != tc.sizeAfter {
					t.Fatalf("log.1 is %d bytes after open, want %d", got, tc.sizeAfter)
				}
			}
			var got []Txn
			err = l.Replay(tc.replayFrom, func(txn Txn) error { got = append(got, txn); return nil })
			if tc.replayErr != "" {
				checkCorrupt(err, tc.replayErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !txnsEqual(got, all[tc.replayFrom:tc.replayFrom+int64(tc.replayed)]) {
				t.Fatalf("replayed %v", zxidsOf(got))
			}
			// The repaired log takes appends and reads back.
			z, _ := l.LastZxid()
			if err := l.Append(Txn{Type: OpDelete, Path: "/x", Zxid: z + 1}); err != nil {
				t.Fatal(err)
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l2 := mustOpenLog(t, dir)
			if got := replayAll(t, l2, z); len(got) != 1 || got[0].Zxid != z+1 {
				t.Fatalf("after repair and append: %v", zxidsOf(got))
			}
		})
	}
	t.Run("corrupt-older/replay-all", func(t *testing.T) {
		l := mustOpenLog(t, copyFixture(t, "corrupt-older"))
		err := l.Replay(0, func(Txn) error { return nil })
		var ce *CorruptLogError
		if !errors.As(err, &ce) || filepath.Base(ce.File) != "log.1" || ce.Offset != offs[4] {
			t.Fatalf("Replay(0) = %v", err)
		}
	})
	t.Run("bad-snapshot", func(t *testing.T) {
		dir := copyFixture(t, "bad-snapshot")
		var logBuf bytes.Buffer
		s, err := NewFileSnapshotter(dir, WithStorageLogger(slog.New(slog.NewTextHandler(&logBuf, nil))))
		if err != nil {
			t.Fatal(err)
		}
		snap, ok, err := s.Load()
		if err != nil || !ok || snap.LastZxid != 0xa || !snapshotsEqual(snap, sampleSnapshot(0xa)) {
			t.Fatalf("Load = zxid %#x, %v, %v", snap.LastZxid, ok, err)
		}
		if !strings.Contains(logBuf.String(), "skipping invalid snapshot") || !strings.Contains(logBuf.String(), "snapshot.14") {
			t.Fatalf("no warning about snapshot.14: %q", logBuf.String())
		}
		l := mustOpenLog(t, dir)
		tr := NewTree(Options{ExtendedTypes: true})
		z, err := Restore(tr, s, l)
		if err != nil || z != 18 {
			t.Fatalf("Restore = %d, %v", z, err)
		}
		// Only invalid snapshots: Load fails rather than start empty.
		os.Remove(filepath.Join(dir, VersionDir, "snapshot.a"))
		if _, _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "no valid snapshot") {
			t.Fatalf("Load with only an invalid snapshot: %v", err)
		}
	})
}

// ---- interoperability with Apache ZooKeeper ----

// TestFileStorageReadsZooKeeper38 reads files Apache ZooKeeper 3.8.0
// (Debian's) wrote in testdata/storage/zk38 (see its README): logs whose
// txns carry a TxnDigest, snapshots with the digest section. Restoring from
// its last snapshot plus the log after it, and from its first (empty)
// snapshot plus every txn, must give the same tree.
func TestFileStorageReadsZooKeeper38(t *testing.T) {
	dir := copyFixture(t, "zk38")
	l := mustOpenLog(t, dir)
	all := replayAll(t, l, 0)
	if len(all) != 24 || all[0].Type != OpCreateSession || all[23].Type != OpCloseSession {
		t.Fatalf("replayed %d txns: %v", len(all), zxidsOf(all))
	}
	s, err := NewFileSnapshotter(dir)
	if err != nil {
		t.Fatal(err)
	}
	fromSnap := NewTree(Options{ExtendedTypes: true})
	z, err := Restore(fromSnap, s, l)
	if err != nil || z != 0x18 {
		t.Fatalf("Restore = %#x, %v", z, err)
	}
	for p, want := range map[string]string{"/app": "config v3", "/after": "restart", "/app/job-0000000002": "1", "/cont/kid": ""} {
		data, _, err := fromSnap.GetData(Caller{SuperUser: true}, p, false)
		if err != nil || string(data) != want {
			t.Errorf("%s = %q, %v; want %q", p, data, err, want)
		}
	}
	for _, p := range []string{"/m1", "/m2", "/gone", "/app/eph", "/app/job-0000000001"} {
		if _, err := fromSnap.Exists(Caller{SuperUser: true}, p, false); !errors.Is(err, ErrNoNode) {
			t.Errorf("%s exists after restore (%v)", p, err)
		}
	}
	// Without the later snapshot: everything is replayed onto snapshot.0.
	os.Remove(filepath.Join(dir, VersionDir, "snapshot.13"))
	fromLog := NewTree(Options{ExtendedTypes: true})
	if _, err := Restore(fromLog, s, l); err != nil {
		t.Fatal(err)
	}
	if a, b := canonicalTree(fromSnap), canonicalTree(fromLog); a != b {
		t.Fatalf("snapshot+log and log alone differ:\n%s", lineDiff(a, b))
	}
}

// zkClasspath returns the classpath of Debian's ZooKeeper tools, skipping
// the test when Java or the jars are missing.
func zkClasspath(t *testing.T) (java, cp string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a JVM")
	}
	java, err := exec.LookPath("java")
	if err != nil {
		t.Skip("no java")
	}
	var jars []string
	for _, j := range []string{"zookeeper.jar", "zookeeper-jute.jar", "slf4j-api.jar", "slf4j-nop.jar"} {
		p := filepath.Join("/usr/share/java", j)
		if _, err := os.Stat(p); err != nil {
			t.Skipf("no %s (install Debian's zookeeper)", p)
		}
		jars = append(jars, p)
	}
	return java, strings.Join(jars, string(os.PathListSeparator))
}

// TestFileStorageReadableByZooKeeper runs Apache ZooKeeper's own tools on
// what we write: zkTxnLogToolkit's TxnLogToolkit dumps the log and
// zkSnapShotToolkit's SnapshotFormatter the snapshot.
func TestFileStorageReadableByZooKeeper(t *testing.T) {
	java, cp := zkClasspath(t)
	dir := t.TempDir()
	l, err := NewFileTxnLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	var txns []Txn
	for _, txn := range sampleTxns(1) {
		// ZooKeeper logs check only inside a multi; its reader has no
		// case for a lone one.
		if txn.Type != OpCheck {
			txn.Zxid = int64(len(txns) + 1)
			txns = append(txns, txn)
		}
	}
	if err := l.Append(txns...); err != nil {
		t.Fatal(err)
	}
	if err := l.Sync(); err != nil { // the file stays preallocated, as ZooKeeper leaves its own
		t.Fatal(err)
	}
	s, err := NewFileSnapshotter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(sampleSnapshot(0x65)); err != nil {
		t.Fatal(err)
	}
	run := func(class string, args ...string) string {
		out, err := exec.Command(java, append([]string{"-cp", cp, class}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", class, err, out)
		}
		return string(out)
	}
	out := run("org.apache.zookeeper.server.persistence.TxnLogToolkit", "-d", filepath.Join(dir, VersionDir, "log.1"))
	for _, want := range []string{
		"ZooKeeper Transactional Log File with dbid 0 txnlog format version 2",
		"session 0x1000001 cxid 0x1 zxid 0x1 createSession 30000",
		"zxid 0x5 createContainer /c,c,",
		"zxid 0x9 setACL '/a,v{s{31,s{'digest,'u:hash=}},s{1,s{'ip,'10.0.0.0/8}}},1",
		"zxid 0xc error -110",
		"zxid 0xd multi create:",
		"closeSession v{'/a/e}",
		fmt.Sprintf("EOF reached after %d txns.", len(txns)),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("TxnLogToolkit output lacks %q:\n%s", want, out)
		}
	}
	out = run("org.apache.zookeeper.server.SnapshotFormatter", filepath.Join(dir, VersionDir, "snapshot.65"))
	for _, want := range []string{"ZNode Details (count=9):", "/a/s0000000002\n", "/zookeeper/config\n", "dataLength = 3000", "0x00000002000001, 4000, 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("SnapshotFormatter output lacks %q:\n%s", want, out)
		}
	}
}

// ---- snapshots and purge ----

func TestFileSnapshotterTempAndReplace(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFileSnapshotter(dir)
	if err != nil {
		t.Fatal(err)
	}
	vdir := filepath.Join(dir, VersionDir)
	// Temp files left by a crash are not snapshots.
	os.WriteFile(filepath.Join(vdir, "snapshot.30.tmp"), []byte("partial"), 0o644)
	os.WriteFile(filepath.Join(vdir, "snapshot.50.tmp"), []byte("partial"), 0o644)
	if _, ok, err := s.Load(); ok || err != nil {
		t.Fatalf("Load with only a temp file: %v %v", ok, err)
	}
	a := sampleSnapshot(0x40)
	if err := s.Save(a); err != nil {
		t.Fatal(err)
	}
	b := sampleSnapshot(0x40)
	b.Sessions[99] = 1
	if err := s.Save(b); err != nil { // same zxid: replaced
		t.Fatal(err)
	}
	got, _, err := s.Load()
	if err != nil || got.Sessions[99] != 1 {
		t.Fatalf("replaced snapshot not loaded: %v", err)
	}
	if err := s.Purge(3); err != nil {
		t.Fatal(err)
	}
	// The one below the oldest kept snapshot goes; a newer one might be a
	// Save in progress.
	names, _ := OSFS.ReadDir(vdir)
	if !slices.Equal(names, []string{"snapshot.40", "snapshot.50.tmp"}) {
		t.Fatalf("files after purge: %v", names)
	}
}

func TestFileSnapshotterPurge(t *testing.T) {
	dir := t.TempDir()
	logDir := t.TempDir()
	s, err := NewFileSnapshotter(dir, WithLogDir(logDir))
	if err != nil {
		t.Fatal(err)
	}
	l := mustOpenLog(t, logDir, WithPreAllocSize(0))
	// Logs at 0x1, 0x10, 0x20, 0x30, 0x40, 0x50; snapshots at 0x15, 0x25,
	// 0x35, 0x45 and invalid ones at 0x37 and 0x55.
	starts := []int64{0x1, 0x10, 0x20, 0x30, 0x40, 0x50, 0x58}
	for i, start := range starts[:len(starts)-1] {
		if err := l.Roll(); err != nil {
			t.Fatal(err)
		}
		for z := start; z < starts[i+1]; z++ {
			if err := l.Append(Txn{Type: OpDelete, Path: "/x", Zxid: z}); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	for _, z := range []int64{0x15, 0x25, 0x35, 0x45} {
		if err := s.Save(sampleSnapshot(z)); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, VersionDir, "snapshot.37"), []byte("garbage"), 0o644)
	os.WriteFile(filepath.Join(dir, VersionDir, "snapshot.55"), []byte("garbage"), 0o644)
	// retain 1 is raised to 3: snapshots 0x45, 0x35, 0x25 stay (0x37 and
	// 0x55 are not valid and not counted); logs from the newest at or
	// below 0x25 (log.20) on.
	if err := s.Purge(1); err != nil {
		t.Fatal(err)
	}
	snaps, _ := OSFS.ReadDir(filepath.Join(dir, VersionDir))
	if want := []string{"snapshot.25", "snapshot.35", "snapshot.37", "snapshot.45", "snapshot.55"}; !slices.Equal(snaps, want) {
		t.Fatalf("snapshots %v, want %v", snaps, want)
	}
	if got, want := logFiles(t, logDir), []string{"log.20", "log.30", "log.40", "log.50"}; !slices.Equal(got, want) {
		t.Fatalf("logs %v, want %v", got, want)
	}
	// Every kept snapshot can still be restored from.
	if got := replayAll(t, l, 0x25); len(got) == 0 || got[0].Zxid != 0x26 {
		t.Fatalf("replay after the oldest kept snapshot starts at %v", zxidsOf(got)[:1])
	}
	// Purging again changes nothing.
	if err := s.Purge(3); err != nil {
		t.Fatal(err)
	}
	if got := logFiles(t, logDir); len(got) != 4 {
		t.Fatalf("second purge removed logs: %v", got)
	}
}

// ---- the fault-injecting file system ----

var (
	errInjected = errors.New("faultfs: injected failure")
	errCrashed  = errors.New("faultfs: the process crashed")
)

type faultKind int

const (
	faultCrash faultKind = iota // the op does not happen and the process dies
	faultFail                   // the op fails without effect
	faultShort                  // a write writes part of its bytes, then fails
)

func (k faultKind) String() string { return [...]string{"crash", "fail", "short"}[k] }

// crashMode is what the disk keeps of the unsynced state when the machine
// goes down.
type crashMode int

const (
	crashDrop     crashMode = iota // nothing unsynced survives
	crashPrefix                    // an in-order prefix of the unsynced writes and directory changes, the last write torn at a byte
	crashScramble                  // each unsynced 512-byte sector survives or not at random
)

func (m crashMode) String() string { return [...]string{"drop", "prefix", "scramble"}[m] }

// faultFS is an in-memory FS that counts its mutating operations, can fail
// one of them, and simulates a machine crash: the state afterwards is what
// was synced plus, by mode, some of what was not. Directory entries become
// durable only through SyncDir, file contents only through Sync.
type faultFS struct {
	mu      sync.Mutex
	rnd     *rand.Rand
	names   map[string]*fnode // what processes see
	durable map[string]*fnode // what a crash leaves
	nsLog   []nsOp            // directory changes not yet durable
	dirs    map[string]bool
	gen     int // bumped by restarts: older handles fail

	ops     int // mutating operations so far
	faultAt int // the operation that faults (0: none)
	kind    faultKind
	dead    bool

	syncs, writes int // for the group-commit test
}

type fnode struct {
	data    []byte
	durable []byte
	pending []fop // writes and truncates since the last Sync
}

type fop struct {
	off      int64
	data     []byte
	truncate bool
}

type nsOp struct {
	dir   string
	apply func(m map[string]*fnode)
}

func newFaultFS(seed uint64) *faultFS {
	return &faultFS{
		rnd:     rand.New(rand.NewPCG(seed, 0xfa17)),
		names:   map[string]*fnode{},
		durable: map[string]*fnode{},
		dirs:    map[string]bool{"/": true},
	}
}

// mutate counts a mutating operation and says how it goes: nil to go ahead,
// or the error to fail with (short reports a short write).
func (f *faultFS) mutate() (err error, short bool) {
	if f.dead {
		return errCrashed, false
	}
	f.ops++
	if f.ops != f.faultAt {
		return nil, false
	}
	switch f.kind {
	case faultCrash:
		f.dead = true
		return errCrashed, false
	case faultShort:
		return errInjected, true
	}
	return errInjected, false
}

func (f *faultFS) read() error {
	if f.dead {
		return errCrashed
	}
	return nil
}

func applyFop(data []byte, op fop) []byte {
	if op.truncate {
		if op.off <= int64(len(data)) {
			return data[:op.off]
		}
		return append(data, make([]byte, op.off-int64(len(data)))...)
	}
	if end := op.off + int64(len(op.data)); end > int64(len(data)) {
		data = append(data, make([]byte, end-int64(len(data)))...)
	}
	copy(data[op.off:], op.data)
	return data
}

func (f *faultFS) addNS(dir string, apply func(m map[string]*fnode)) {
	apply(f.names)
	f.nsLog = append(f.nsLog, nsOp{dir, apply})
}

// crash brings the machine down and up again.
func (f *faultFS) crash(mode crashMode) {
	f.mu.Lock()
	defer f.mu.Unlock()
	names := make(map[string]*fnode, len(f.durable))
	for k, v := range f.durable {
		names[k] = v
	}
	var ns []nsOp
	switch mode {
	case crashPrefix:
		ns = f.nsLog[:f.rnd.IntN(len(f.nsLog)+1)]
	case crashScramble:
		for _, op := range f.nsLog {
			if f.rnd.IntN(2) == 0 {
				ns = append(ns, op)
			}
		}
	}
	for _, op := range ns {
		op.apply(names)
	}
	seen := map[*fnode]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		data := slices.Clone(n.durable)
		switch mode {
		case crashPrefix:
			k := f.rnd.IntN(len(n.pending) + 1)
			for _, op := range n.pending[:k] {
				data = applyFop(data, op)
			}
			if k < len(n.pending) && !n.pending[k].truncate && f.rnd.IntN(2) == 0 {
				op := n.pending[k]
				op.data = op.data[:f.rnd.IntN(len(op.data)+1)]
				data = applyFop(data, op)
			}
		case crashScramble:
			for _, op := range n.pending {
				if op.truncate {
					data = applyFop(data, op)
					continue
				}
				for a := op.off; a < op.off+int64(len(op.data)); {
					b := min((a/sectorSize+1)*sectorSize, op.off+int64(len(op.data)))
					if f.rnd.IntN(2) == 0 {
						data = applyFop(data, fop{off: a, data: op.data[a-op.off : b-op.off]})
					}
					a = b
				}
			}
		}
		n.data, n.durable, n.pending = data, slices.Clone(data), nil
	}
	f.names = names
	f.durable = make(map[string]*fnode, len(names))
	for k, v := range names {
		f.durable[k] = v
	}
	f.nsLog = nil
	f.reset()
}

// restart is the process dying while the machine stays up: everything
// written stays visible (and as durable or not as it was).
func (f *faultFS) restart() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reset()
}

func (f *faultFS) reset() {
	f.dead, f.faultAt, f.ops = false, 0, 0
	f.gen++
}

func (f *faultFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name = path.Clean(name)
	n := f.names[name]
	writing := flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC) != 0
	if writing {
		if err, _ := f.mutate(); err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
	} else if err := f.read(); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	switch {
	case n != nil && flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrExist}
	case n == nil && flag&os.O_CREATE == 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case n == nil:
		if !f.dirs[path.Dir(name)] {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		n = &fnode{}
		f.addNS(path.Dir(name), func(m map[string]*fnode) { m[name] = n })
	}
	if flag&os.O_TRUNC != 0 {
		n.data = n.data[:0]
		n.pending = append(n.pending, fop{truncate: true})
	}
	return &faultFile{fs: f, n: n, name: name, gen: f.gen}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err, _ := f.mutate(); err != nil {
		return &fs.PathError{Op: "rename", Path: oldpath, Err: err}
	}
	oldpath, newpath = path.Clean(oldpath), path.Clean(newpath)
	n := f.names[oldpath]
	if n == nil {
		return &fs.PathError{Op: "rename", Path: oldpath, Err: fs.ErrNotExist}
	}
	f.addNS(path.Dir(newpath), func(m map[string]*fnode) {
		if m[oldpath] == n {
			delete(m, oldpath)
		}
		m[newpath] = n
	})
	return nil
}

func (f *faultFS) Remove(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err, _ := f.mutate(); err != nil {
		return &fs.PathError{Op: "remove", Path: name, Err: err}
	}
	name = path.Clean(name)
	if f.names[name] == nil {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	f.addNS(path.Dir(name), func(m map[string]*fnode) { delete(m, name) })
	return nil
}

func (f *faultFS) ReadDir(dir string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.read(); err != nil {
		return nil, err
	}
	dir = path.Clean(dir)
	if !f.dirs[dir] {
		return nil, &fs.PathError{Op: "readdir", Path: dir, Err: fs.ErrNotExist}
	}
	var out []string
	for name := range f.names {
		if path.Dir(name) == dir {
			out = append(out, path.Base(name))
		}
	}
	slices.Sort(out)
	return out, nil
}

func (f *faultFS) MkdirAll(dir string, perm fs.FileMode) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err, _ := f.mutate(); err != nil {
		return err
	}
	for d := path.Clean(dir); !f.dirs[d]; d = path.Dir(d) {
		f.dirs[d] = true // directories themselves are durable at once
	}
	return nil
}

func (f *faultFS) SyncDir(dir string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err, _ := f.mutate(); err != nil {
		return err
	}
	dir = path.Clean(dir)
	kept := f.nsLog[:0]
	for _, op := range f.nsLog {
		if op.dir == dir {
			op.apply(f.durable)
		} else {
			kept = append(kept, op)
		}
	}
	f.nsLog = kept
	return nil
}

type faultFile struct {
	fs     *faultFS
	n      *fnode
	name   string
	gen    int
	closed bool
}

func (h *faultFile) check() error {
	if h.gen != h.fs.gen || h.fs.dead {
		return errCrashed
	}
	if h.closed {
		return fs.ErrClosed
	}
	return nil
}

func (h *faultFile) ReadAt(b []byte, off int64) (int, error) {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if err := h.check(); err != nil {
		return 0, err
	}
	if off >= int64(len(h.n.data)) {
		return 0, io.EOF
	}
	n := copy(b, h.n.data[off:])
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

func (h *faultFile) WriteAt(b []byte, off int64) (int, error) {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if err := h.check(); err != nil {
		return 0, err
	}
	err, short := h.fs.mutate()
	if err != nil && !short {
		return 0, err
	}
	h.fs.writes++
	if short {
		b = b[:h.fs.rnd.IntN(len(b)+1)]
	}
	op := fop{off: off, data: slices.Clone(b)}
	h.n.data = applyFop(h.n.data, op)
	h.n.pending = append(h.n.pending, op)
	return len(b), err
}

func (h *faultFile) Truncate(size int64) error {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if err := h.check(); err != nil {
		return err
	}
	if err, _ := h.fs.mutate(); err != nil {
		return err
	}
	op := fop{off: size, truncate: true}
	h.n.data = applyFop(h.n.data, op)
	h.n.pending = append(h.n.pending, op)
	return nil
}

func (h *faultFile) Sync() error {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if err := h.check(); err != nil {
		return err
	}
	if err, _ := h.fs.mutate(); err != nil {
		return err
	}
	h.fs.syncs++
	h.n.durable, h.n.pending = slices.Clone(h.n.data), nil
	return nil
}

func (h *faultFile) Size() (int64, error) {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	if err := h.check(); err != nil {
		return 0, err
	}
	return int64(len(h.n.data)), nil
}

func (h *faultFile) Close() error {
	h.fs.mu.Lock()
	defer h.fs.mu.Unlock()
	h.closed = true
	return nil
}

// ---- crash tests ----

// crashRun is one run of a workload on a faultFS: what it appended and
// what Sync acknowledged, until the first error.
type crashRun struct {
	appended []Txn
	acked    int // appended[:acked] were acknowledged by Sync
}

// logWorkload appends groups of txns of varied sizes (some spanning
// sectors and the preallocation step), syncing each and rolling now and
// then, until an error.
func logWorkload(l *FileTxnLog, seed uint64, from int64, groups int, run *crashRun) error {
	rnd := rand.New(rand.NewPCG(seed, 0x10c))
	z := from
	for g := range groups {
		var txns []Txn
		for range 1 + rnd.IntN(4) {
			z++
			txns = append(txns, Txn{Type: OpSetData, Zxid: z, Session: int64(g), Path: "/w", Data: bytes.Repeat([]byte{byte(z)}, rnd.IntN(1300)), Version: int32(z)})
		}
		// Every sixth group is split by a roll: its first txns end one
		// file, the rest begin the next, and one Sync covers both.
		split := len(txns)
		if g%6 == 5 {
			split = len(txns) / 2
		}
		if err := l.Append(txns[:split]...); err != nil {
			return err
		}
		run.appended = append(run.appended, txns[:split]...)
		if split < len(txns) || g%6 == 5 {
			if err := l.Roll(); err != nil {
				return err
			}
		}
		if err := l.Append(txns[split:]...); err != nil {
			return err
		}
		run.appended = append(run.appended, txns[split:]...)
		if err := l.Sync(); err != nil {
			return err
		}
		run.acked = len(run.appended)
	}
	return nil
}

// checkRecovered opens the log after a crash and checks that it holds a
// prefix of what was appended covering everything acknowledged, then that
// it takes new appends.
func checkRecovered(t *testing.T, fsys *faultFS, run *crashRun, label string) {
	t.Helper()
	l, err := NewFileTxnLog("/data", WithFS(fsys), WithPreAllocSize(4096))
	if err != nil {
		t.Fatalf("%s: reopen: %v", label, err)
	}
	var got []Txn
	if err := l.Replay(0, func(txn Txn) error { got = append(got, txn); return nil }); err != nil {
		t.Fatalf("%s: replay: %v", label, err)
	}
	if len(got) < run.acked || len(got) > len(run.appended) || !txnsEqual(got, run.appended[:len(got)]) {
		t.Fatalf("%s: recovered zxids %v; appended %d, acknowledged %d", label, zxidsOf(got), len(run.appended), run.acked)
	}
	last := int64(0)
	if len(got) > 0 {
		last = got[len(got)-1].Zxid
	}
	if z, _ := l.LastZxid(); z != last {
		t.Fatalf("%s: LastZxid %d, replay ends at %d", label, z, last)
	}
	more := &crashRun{appended: slices.Clone(got), acked: len(got)}
	if err := logWorkload(l, 99, last, 3, more); err != nil {
		t.Fatalf("%s: appending after recovery: %v", label, err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("%s: close: %v", label, err)
	}
	fsys.crash(crashDrop)
	l, err = NewFileTxnLog("/data", WithFS(fsys))
	if err != nil {
		t.Fatalf("%s: second reopen: %v", label, err)
	}
	got = got[:0]
	if err := l.Replay(0, func(txn Txn) error { got = append(got, txn); return nil }); err != nil {
		t.Fatalf("%s: second replay: %v", label, err)
	}
	if !txnsEqual(got, more.appended) {
		t.Fatalf("%s: after recovery and more appends: %v", label, zxidsOf(got))
	}
	l.Close()
}

// TestFileTxnLogCrashPoints fails or crashes every mutating file operation
// of a workload in turn, under each crash mode: reopening always yields a
// prefix of what was appended that includes everything Sync acknowledged,
// and no half-written record.
func TestFileTxnLogCrashPoints(t *testing.T) {
	const seed, groups = 7, 24
	probe := newFaultFS(1)
	l, err := NewFileTxnLog("/data", WithFS(probe), WithPreAllocSize(4096))
	if err != nil {
		t.Fatal(err)
	}
	if err := logWorkload(l, seed, 0, groups, &crashRun{}); err != nil {
		t.Fatal(err)
	}
	total := probe.ops
	step := 1
	if testing.Short() {
		step = 7
	}
	runs := 0
	for at := 1; at <= total; at += step {
		for _, kind := range []faultKind{faultCrash, faultFail, faultShort} {
			for _, mode := range []crashMode{crashDrop, crashPrefix, crashScramble} {
				label := fmt.Sprintf("op %d/%d %v, %v", at, total, kind, mode)
				fsys := newFaultFS(uint64(at*31 + int(mode)))
				fsys.faultAt, fsys.kind = at, kind
				run := &crashRun{}
				l, err := NewFileTxnLog("/data", WithFS(fsys), WithPreAllocSize(4096))
				if err == nil {
					err = logWorkload(l, seed, 0, groups, run)
					if err == nil {
						t.Fatalf("%s: workload finished despite the fault", label)
					}
					if kind != faultCrash && run.acked < len(run.appended) {
						// A failed log stays failed.
						if e := l.Sync(); e == nil {
							t.Fatalf("%s: Sync after a failure succeeded", label)
						}
						if e := l.Append(Txn{Type: OpDelete, Path: "/x", Zxid: 1 << 40}); e == nil {
							t.Fatalf("%s: Append after a failure succeeded", label)
						}
					}
				}
				if kind != faultCrash && mode == crashDrop {
					// The process restarts; the machine stays up.
					snap := fsys.snapshotState()
					fsys.restart()
					checkRecovered(t, fsys, run, label+" (restart)")
					fsys.restoreState(snap)
				}
				fsys.crash(mode)
				checkRecovered(t, fsys, run, label)
				runs++
			}
		}
	}
	t.Logf("%d crash runs over %d operations", runs, total)
}

// snapshotState and restoreState let one fault be checked twice (process
// restart, then machine crash) from the same state.
type faultState struct {
	names, durable map[string]*fnode
	nodes          map[*fnode]fnode
	nsLog          []nsOp
}

func (f *faultFS) snapshotState() faultState {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := faultState{names: map[string]*fnode{}, durable: map[string]*fnode{}, nodes: map[*fnode]fnode{}, nsLog: slices.Clone(f.nsLog)}
	for k, v := range f.names {
		st.names[k] = v
	}
	for k, v := range f.durable {
		st.durable[k] = v
	}
	for _, m := range []map[string]*fnode{f.names, f.durable} {
		for _, n := range m {
			st.nodes[n] = fnode{data: slices.Clone(n.data), durable: slices.Clone(n.durable), pending: slices.Clone(n.pending)}
		}
	}
	return st
}

func (f *faultFS) restoreState(st faultState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names, f.durable, f.nsLog = st.names, st.durable, st.nsLog
	for n, v := range st.nodes {
		*n = v
	}
	f.gen++
}

// TestStorageCrashRestore runs the whole recovery path under faults: a tree
// whose txns are logged in groups, snapshots saved and purged with rolls
// between them. After a fault at any operation and a crash, Restore must
// succeed and give exactly the tree of some logged prefix that includes
// every acknowledged txn.
func TestStorageCrashRestore(t *testing.T) {
	// The reference: the workload's txns and the tree after each zxid.
	const seed, steps = 3, 90
	type stepPlan struct {
		txns       []Txn
		snapshotAt bool
	}
	w := newWorkload(seed)
	var plan []stepPlan
	ref := NewTree(Options{ExtendedTypes: true})
	dumps := map[int64]string{0: canonicalTree(ref)}
	var snaps []SnapshotData
	for i := range steps {
		txns := w.step(1 + w.rnd.IntN(3))
		for _, txn := range txns {
			ref.Apply(txn)
			dumps[txn.Zxid] = canonicalTree(ref)
		}
		p := stepPlan{txns: txns, snapshotAt: i%15 == 14}
		if p.snapshotAt {
			snaps = append(snaps, snapshotOf(w.tree))
		}
		plan = append(plan, p)
	}
	run := func(fsys *faultFS) (acked int64, err error) {
		l, err := NewFileTxnLog("/data", WithFS(fsys), WithPreAllocSize(8192))
		if err != nil {
			return 0, err
		}
		s, err := NewFileSnapshotter("/data", WithFS(fsys))
		if err != nil {
			return 0, err
		}
		si := 0
		for _, p := range plan {
			if err := l.Append(p.txns...); err != nil {
				return acked, err
			}
			if err := l.Sync(); err != nil {
				return acked, err
			}
			acked = p.txns[len(p.txns)-1].Zxid
			if p.snapshotAt {
				if err := l.Roll(); err != nil {
					return acked, err
				}
				if err := s.Save(snaps[si]); err != nil {
					return acked, err
				}
				si++
				if err := s.Purge(3); err != nil {
					return acked, err
				}
			}
		}
		return acked, l.Close()
	}
	probe := newFaultFS(1)
	if _, err := run(probe); err != nil {
		t.Fatal(err)
	}
	total := probe.ops
	step := 1
	if testing.Short() {
		step = 5
	}
	for at := 1; at <= total; at += step {
		for _, mode := range []crashMode{crashDrop, crashPrefix, crashScramble} {
			for _, kind := range []faultKind{faultCrash, faultShort} {
				label := fmt.Sprintf("op %d/%d %v, %v", at, total, kind, mode)
				fsys := newFaultFS(uint64(at*7 + int(mode)))
				fsys.faultAt, fsys.kind = at, kind
				acked, err := run(fsys)
				if err == nil {
					t.Fatalf("%s: no error", label)
				}
				fsys.crash(mode)
				l, err := NewFileTxnLog("/data", WithFS(fsys))
				if err != nil {
					t.Fatalf("%s: reopen log: %v", label, err)
				}
				s, err := NewFileSnapshotter("/data", WithFS(fsys))
				if err != nil {
					t.Fatal(err)
				}
				tr := NewTree(Options{ExtendedTypes: true})
				z, err := Restore(tr, s, l)
				if err != nil {
					t.Fatalf("%s: restore: %v", label, err)
				}
				if z < acked {
					t.Fatalf("%s: restored to zxid %d, %d was acknowledged", label, z, acked)
				}
				want, ok := dumps[z]
				if !ok {
					t.Fatalf("%s: restored to zxid %d, never logged", label, z)
				}
				if got := canonicalTree(tr); got != want {
					t.Fatalf("%s: tree at zxid %d differs:\n%s", label, z, lineDiff(want, got))
				}
				l.Close()
			}
		}
	}
}

// ---- kill -9 ----

// crashChildEnv makes the test binary a child that appends and syncs until
// killed (TestFileTxnLogKill9).
const crashChildEnv = "ZK_CRASH_CHILD"

// kill9Txn is the txn the child logs at zxid z: its content follows from z.
func kill9Txn(z int64) Txn {
	return Txn{Type: OpCreate, Zxid: z, Session: z % 7, Cxid: int32(z), Time: z * 3, Path: "/k/n" + strconv.FormatInt(z, 10),
		Data: bytes.Repeat([]byte{byte(z), byte(z >> 8)}, int(z%700)), ACL: OpenACLUnsafe(), ParentCversion: int32(z)}
}

// kill9Child appends groups of txns, syncs each and prints the last zxid
// acknowledged; it rolls, snapshots and purges now and then. It runs until
// the parent kills it.
func kill9Child(dir string) error {
	l, err := NewFileTxnLog(dir, WithPreAllocSize(256<<10))
	if err != nil {
		return err
	}
	s, err := NewFileSnapshotter(dir)
	if err != nil {
		return err
	}
	z, err := l.LastZxid()
	if err != nil {
		return err
	}
	if snap, ok, err := s.Load(); err != nil {
		return err
	} else if ok && snap.LastZxid > z {
		z = snap.LastZxid
	}
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	out := bufio.NewWriter(os.Stdout)
	for g := 0; ; g++ {
		n := 1 + rnd.IntN(20)
		txns := make([]Txn, n)
		for i := range txns {
			z++
			txns[i] = kill9Txn(z)
		}
		if err := l.Append(txns...); err != nil {
			return err
		}
		if err := l.Sync(); err != nil {
			return err
		}
		fmt.Fprintf(out, "ack %d\n", z)
		out.Flush()
		if g%40 == 39 {
			if err := l.Roll(); err != nil {
				return err
			}
			snap := SnapshotData{LastZxid: z, Sessions: map[int64]int32{z: 1}}
			snap.Nodes = append(snap.Nodes, NodeInfo{Path: "/", Data: []byte{}, ACL: OpenACLUnsafe()})
			for i := range 300 {
				snap.Nodes = append(snap.Nodes, NodeInfo{Path: fmt.Sprintf("/s%d", i), Data: make([]byte, 1000), ACL: OpenACLUnsafe()})
			}
			if err := s.Save(snap); err != nil {
				return err
			}
			if err := s.Purge(3); err != nil {
				return err
			}
		}
	}
}

// TestFileTxnLogKill9 runs a child process that appends and syncs in a loop
// and SIGKILLs it at random moments; after each kill the log must reopen
// with every acknowledged txn, intact, and the snapshots must load.
func TestFileTxnLogKill9(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		if err := kill9Child(dir); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	var maxAcked int64
	for iter := range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, exe, "-test.run=^TestFileTxnLogKill9$", "-test.v=false")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := make(chan int64, 1024)
		go func() {
			defer close(acks)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
					z, _ := strconv.ParseInt(v, 10, 64)
					acks <- z
				}
			}
		}()
		// Wait for the child to get going, then kill it at a random moment.
		select {
		case z, ok := <-acks:
			if !ok {
				cancel()
				t.Fatalf("iteration %d: child exited: %v\n%s", iter, cmd.Wait(), stderr.String())
			}
			maxAcked = max(maxAcked, z)
		case <-ctx.Done():
			t.Fatalf("iteration %d: child did not start", iter)
		}
		time.Sleep(time.Duration(rnd.IntN(120)) * time.Millisecond)
		cmd.Process.Kill()
		for z := range acks {
			maxAcked = max(maxAcked, z)
		}
		cmd.Wait()
		cancel()
		if strings.Contains(stderr.String(), "child:") {
			t.Fatalf("iteration %d: %s", iter, stderr.String())
		}

		// Every acknowledged txn is there: in the snapshot or replayed.
		l, err := NewFileTxnLog(dir)
		if err != nil {
			t.Fatalf("iteration %d: reopen: %v", iter, err)
		}
		s, err := NewFileSnapshotter(dir)
		if err != nil {
			t.Fatal(err)
		}
		snap, ok, err := s.Load()
		if err != nil {
			t.Fatalf("iteration %d: snapshot: %v", iter, err)
		}
		next := int64(1)
		if ok {
			next = snap.LastZxid + 1
		}
		err = l.Replay(next-1, func(txn Txn) error {
			if txn.Zxid != next {
				return fmt.Errorf("zxid %d, want %d", txn.Zxid, next)
			}
			if want := kill9Txn(next); !txnsEqual([]Txn{txn}, []Txn{want}) {
				return fmt.Errorf("zxid %d content differs", next)
			}
			next++
			return nil
		})
		if err != nil {
			t.Fatalf("iteration %d: replay: %v", iter, err)
		}
		if next-1 < maxAcked {
			t.Fatalf("iteration %d: log ends at %d, %d was acknowledged", iter, next-1, maxAcked)
		}
		t.Logf("iteration %d: acknowledged %d, recovered %d (snapshot %v at %d), %d log files", iter, maxAcked, next-1, ok, snap.LastZxid, len(logFiles(t, dir)))
		l.Close()
	}
}

// ---- fuzzing ----

func FuzzDecodeTxn(f *testing.F) {
	for _, txn := range sampleTxns(1) {
		b, err := appendTxn(nil, txn)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		txn, err := decodeTxn(b)
		if err != nil {
			return
		}
		enc, err := appendTxn(nil, txn)
		if err != nil {
			t.Fatalf("decoded %+v does not encode: %v", txn, err)
		}
		again, err := decodeTxn(enc)
		if err != nil {
			t.Fatalf("re-encoded txn does not decode: %v", err)
		}
		if !txnsEqual([]Txn{again}, []Txn{txn}) {
			t.Fatalf("round trip changed the txn:\n%+v\n%+v", txn, again)
		}
	})
}

func FuzzReadSnapshot(f *testing.F) {
	f.Add(encodeSnapshot(f, sampleSnapshot(1)))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := readSnapshot(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		enc := encodeSnapshot(t, s)
		again, err := readSnapshot(bytes.NewReader(enc), int64(len(enc)))
		if err != nil {
			t.Fatalf("re-encoded snapshot does not decode: %v", err)
		}
		if !snapshotsEqual(again, s) {
			t.Fatalf("round trip changed the snapshot")
		}
	})
}

// TestDecodeTxnRejects: malformed payloads fail cleanly.
func TestDecodeTxnRejects(t *testing.T) {
	good, _ := appendTxn(nil, sampleTxns(1)[1])
	multi, _ := appendTxn(nil, sampleTxns(1)[13])
	for name, b := range map[string][]byte{
		"empty":          nil,
		"short header":   good[:20],
		"cut record":     good[:len(good)-3],
		"trailing bytes": append(slices.Clone(good), 1, 2, 3),
		"unknown type":   append(slices.Clone(good[:24]), 0, 0, 0, 99),
		"cut multi":      multi[:len(multi)-1],
	} {
		if _, err := decodeTxn(b); err == nil || !errors.Is(err, errTxnCodec) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A ZooKeeper 3.6+ TxnDigest after the record is skipped.
	withDigest := append(slices.Clone(good), 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8)
	if txn, err := decodeTxn(withDigest); err != nil || txn.Path != "/a" {
		t.Errorf("txn with digest: %+v %v", txn, err)
	}
	if _, err := appendTxn(nil, Txn{Type: OpMulti, Ops: []Txn{{Type: OpMulti}}}); err == nil {
		t.Error("nested multi encoded")
	}
	if _, err := appendTxn(nil, Txn{Type: OpGetData}); err == nil {
		t.Error("a read encoded as a txn")
	}
}

// ---- benchmarks ----

// BenchmarkFileTxnLogAppendSync measures group commit on the real disk:
// each op appends a group of 100-byte creates and syncs once.
func BenchmarkFileTxnLogAppendSync(b *testing.B) {
	for _, group := range []int{1, 16, 128} {
		for _, force := range []bool{true, false} {
			b.Run(fmt.Sprintf("group=%d/fsync=%v", group, force), func(b *testing.B) {
				l, err := NewFileTxnLog(b.TempDir(), WithForceSync(force))
				if err != nil {
					b.Fatal(err)
				}
				defer l.Close()
				acl := OpenACLUnsafe()
				data := bytes.Repeat([]byte("x"), 100)
				z := int64(0)
				txns := make([]Txn, group)
				b.ResetTimer()
				start := time.Now()
				for b.Loop() {
					for i := range txns {
						z++
						txns[i] = Txn{Type: OpCreate, Zxid: z, Session: 1, Path: "/bench/n" + strconv.FormatInt(z, 10), Data: data, ACL: acl, ParentCversion: int32(z)}
					}
					if err := l.Append(txns...); err != nil {
						b.Fatal(err)
					}
					if err := l.Sync(); err != nil {
						b.Fatal(err)
					}
				}
				sec := time.Since(start).Seconds()
				b.ReportMetric(float64(z)/sec, "txns/s")
				b.ReportMetric(float64(b.N)/sec, "syncs/s")
			})
		}
	}
}

// BenchmarkSnapshotSaveLoad writes and reads a snapshot of 100,000 nodes.
func BenchmarkSnapshotSaveLoad(b *testing.B) {
	snap := SnapshotData{LastZxid: 1, Sessions: map[int64]int32{1: 30000}}
	snap.Nodes = append(snap.Nodes, NodeInfo{Path: "/", Data: []byte{}, ACL: OpenACLUnsafe()})
	for i := range 100_000 {
		snap.Nodes = append(snap.Nodes, NodeInfo{Path: fmt.Sprintf("/n%07d", i), Data: make([]byte, 100), ACL: OpenACLUnsafe(), Stat: StatPersisted{Czxid: int64(i)}})
	}
	s, err := NewFileSnapshotter(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Save(snap); err != nil {
		b.Fatal(err)
	}
	b.Run("save", func(b *testing.B) {
		for b.Loop() {
			if err := s.Save(snap); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, ok, err := s.Load(); err != nil || !ok {
				b.Fatal(err)
			}
		}
	})
}

// TestFileStorageLargeRecords: data larger than the readers' buffers (and
// than jute.maxbuffer's default) round-trips through the log and a snapshot.
func TestFileStorageLargeRecords(t *testing.T) {
	dir := t.TempDir()
	l := mustOpenLog(t, dir, WithPreAllocSize(64<<10))
	big := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 7)
		}
		return b
	}
	txns := []Txn{
		{Type: OpCreate, Zxid: 1, Path: "/a", Data: big(300 << 10), ACL: OpenACLUnsafe(), ParentCversion: 1},
		{Type: OpSetData, Zxid: 2, Path: "/a", Data: big(3 << 20), Version: 1},
		{Type: OpSetData, Zxid: 3, Path: "/a", Data: big(10), Version: 2},
	}
	if err := l.Append(txns...); err != nil {
		t.Fatal(err)
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	l.Close()
	l = mustOpenLog(t, dir)
	if got := replayAll(t, l, 0); !txnsEqual(got, txns) {
		t.Fatalf("large txns replayed as %v", zxidsOf(got))
	}
	s, err := NewFileSnapshotter(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap := sampleSnapshot(5)
	for i, n := range []int{255 << 10, 256 << 10, 257 << 10, 3 << 20, 0} {
		snap.Nodes = append(snap.Nodes, NodeInfo{Path: fmt.Sprintf("/big%d", i), Data: big(n), ACL: OpenACLUnsafe()})
	}
	if err := s.Save(snap); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Load()
	if err != nil || !ok || !snapshotsEqual(got, snap) {
		t.Fatalf("large snapshot: %v %v", ok, err)
	}
}

func TestFileNames(t *testing.T) {
	for name, want := range map[string]int64{"log.1": 1, "log.1a2b": 0x1a2b, "log.7fffffffffffffff": 1<<63 - 1} {
		if z, ok := parseFileName(name, logPrefix); !ok || z != want || fileName(logPrefix, z) != name {
			t.Errorf("%s: %#x %v", name, z, ok)
		}
	}
	for _, name := range []string{"log.", "log", "log.0a", "log.A", "log.-1", "log.+1", "log.1.tmp", "log.x", "snapshot.1", "log.8000000000000000"} {
		if z, ok := parseFileName(name, logPrefix); ok {
			t.Errorf("%s parsed as %#x", name, z)
		}
	}
}
