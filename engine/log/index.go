package log

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// indexFile is what the offset and time indexes share: a file of fixed-size
// big-endian entries, preallocated to segment.index.bytes while its segment
// is active and trimmed to its entries when the segment rolls or closes
// (Kafka's AbstractIndex).
//
// Kafka mmaps index files. This implementation does not: on first use it
// reads the file's entries into memory once (one ReadAt), lookups
// binary-search that copy, and appended entries reach the file with WriteAt
// in runs of indexWriteRun bytes, and always before an fsync, a trim, a
// resize or a close. That is portable (no mmap, no unmapping before
// truncation on Windows), costs the same memory the page cache would hold
// for the mapping (8 or 12 bytes per entry, about 2 MiB for a full 1 GiB
// segment at the default interval), spares appends a syscall per entry as
// the mapping does, and keeps indexes of idle segments closed and unread,
// like Kafka's LazyIndex. Entries not yet written are as durable as Kafka's
// unflushed mapped pages: an index at or past the recovery point is rebuilt
// after a crash, and one before it was fsynced.
//
// Loading keeps only the leading entries that are consistent (offsets and
// timestamps increasing, positions inside the log). An index Kafka would
// accept blindly after a crash, such as a preallocated file of zeros that was
// never trimmed, thus degrades to a shorter sparse index, which is still
// correct: lookups only scan further.
type indexFile struct {
	fsys      FS
	path      string
	entrySize int
	// valid returns how many leading entries of data are consistent.
	valid func(data []byte) int

	mu       sync.RWMutex
	loaded   atomic.Bool
	closed   bool // closed for good: a deleted or closed segment's index
	f        File
	data     []byte // the valid entries
	written  int    // how many bytes of data the file holds
	fileSize int64  // the file's length: entries plus preallocated room
}

// indexWriteRun is how many bytes of new entries wait before a write.
const indexWriteRun = 4096

// create makes a new, empty index file of maxSize bytes (rounded down to
// whole entries), replacing any file at the path.
func (x *indexFile) create(maxSize int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	f, err := x.fsys.OpenFile(x.path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	x.f = f
	x.data = x.data[:0]
	x.written = 0
	x.fileSize = 0
	x.loaded.Store(true)
	return x.resizeLocked(maxSize)
}

// load reads the index if it has not been read yet.
func (x *indexFile) load() error {
	if x.loaded.Load() {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.loadLocked()
}

func (x *indexFile) loadLocked() error {
	if x.loaded.Load() {
		return nil
	}
	if x.closed {
		return fmt.Errorf("index %s: %w", x.path, os.ErrClosed)
	}
	if x.f == nil {
		f, err := x.fsys.OpenFile(x.path, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("open index %s: %w", x.path, err)
		}
		x.f = f
	}
	st, err := x.f.Stat()
	if err != nil {
		return fmt.Errorf("stat index %s: %w", x.path, err)
	}
	x.fileSize = st.Size()
	buf := make([]byte, x.fileSize-x.fileSize%int64(x.entrySize))
	if n, err := x.f.ReadAt(buf, 0); n < len(buf) {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("read index %s: %w", x.path, err)
	}
	x.data = buf[:x.valid(buf)*x.entrySize]
	x.written = len(x.data)
	x.loaded.Store(true)
	return nil
}

// writePendingLocked writes the entries the file does not hold yet.
func (x *indexFile) writePendingLocked() error {
	if x.written >= len(x.data) {
		return nil
	}
	if _, err := x.f.WriteAt(x.data[x.written:], int64(x.written)); err != nil {
		return fmt.Errorf("write index %s: %w", x.path, err)
	}
	x.written = len(x.data)
	return nil
}

// entries is the number of valid entries.
func (x *indexFile) entries() int { return len(x.data) / x.entrySize }

// maxEntries is how many entries fit the file as it is now.
func (x *indexFile) maxEntries() int { return int(x.fileSize / int64(x.entrySize)) }

// appendLocked adds one entry after the last; it reaches the file with the
// next run.
func (x *indexFile) appendLocked(entry []byte) error {
	if int64(len(x.data)+x.entrySize) > x.fileSize {
		return fmt.Errorf("append to full index %s (%d entries)", x.path, x.entries())
	}
	x.data = append(x.data, entry...)
	if len(x.data)-x.written >= indexWriteRun {
		return x.writePendingLocked()
	}
	return nil
}

// truncateEntriesLocked keeps the first n entries. Dropped slots the file
// held are zeroed on disk (the file is cut to n entries and grown back) so a
// crash cannot bring stale entries back.
func (x *indexFile) truncateEntriesLocked(n int) error {
	if n >= x.entries() {
		return nil
	}
	x.data = x.data[:n*x.entrySize]
	if x.written <= len(x.data) {
		return nil
	}
	x.written = len(x.data)
	size := x.fileSize
	if err := x.f.Truncate(int64(len(x.data))); err != nil {
		return fmt.Errorf("truncate index %s: %w", x.path, err)
	}
	x.fileSize = int64(len(x.data))
	return x.resizeLocked(size)
}

// resizeLocked sets the file's length to size rounded down to whole entries,
// never below the valid entries, which it writes out first.
func (x *indexFile) resizeLocked(size int64) error {
	if err := x.writePendingLocked(); err != nil {
		return err
	}
	size -= size % int64(x.entrySize)
	if size < int64(len(x.data)) {
		size = int64(len(x.data))
	}
	if size == x.fileSize {
		return nil
	}
	if err := x.f.Truncate(size); err != nil {
		return fmt.Errorf("resize index %s: %w", x.path, err)
	}
	x.fileSize = size
	return nil
}

// resize loads the index and sets its file's length (Kafka's resize).
func (x *indexFile) resize(size int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.loadLocked(); err != nil {
		return err
	}
	return x.resizeLocked(size)
}

// trim cuts the file to its valid entries (trimToValidSize).
func (x *indexFile) trim() error { return x.resize(0) }

// reset drops every entry and preallocates size bytes again.
func (x *indexFile) reset(size int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.loadLocked(); err != nil {
		return err
	}
	x.data = x.data[:0]
	x.written = 0
	if err := x.f.Truncate(0); err != nil {
		return fmt.Errorf("reset index %s: %w", x.path, err)
	}
	x.fileSize = 0
	return x.resizeLocked(size)
}

// sync writes the pending entries of an open index file and fsyncs it.
func (x *indexFile) sync() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.f == nil {
		return nil
	}
	if err := x.writePendingLocked(); err != nil {
		return err
	}
	if err := x.f.Sync(); err != nil {
		return fmt.Errorf("sync index %s: %w", x.path, err)
	}
	return nil
}

// rename moves the file (open or not) to path.
func (x *indexFile) rename(path string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.fsys.Rename(x.path, path); err != nil {
		return err
	}
	x.path = path
	return nil
}

// close writes the pending entries and closes the file if it is open; the
// index cannot be used afterwards (lookups fail with os.ErrClosed).
func (x *indexFile) close() error { return x.closeFile(true) }

// abandon closes the file without writing anything (a failed log, a crash).
func (x *indexFile) abandon() error { return x.closeFile(false) }

func (x *indexFile) closeFile(write bool) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.closed = true
	if x.f == nil {
		return nil
	}
	var err error
	if write {
		err = x.writePendingLocked()
	}
	err = errors.Join(err, x.f.Close())
	x.f = nil
	x.loaded.Store(false)
	x.data = nil
	return err
}

// OffsetPosition is an offset index entry: offset (absolute) and the byte
// position in the segment's .log file where the batches holding it start.
type OffsetPosition struct {
	Offset   int64
	Position int32
}

// offsetIndexEntrySize is the size of an .index entry.
const offsetIndexEntrySize = 8

// offsetIndex is a segment's .index: sparse entries of
// int32 relativeOffset (offset − baseOffset) and int32 position. An entry is
// added before an append once more than index.interval.bytes were appended
// since the previous one, mapping the appended set's last offset to the
// position where the set starts.
type offsetIndex struct {
	indexFile
	base int64
}

func newOffsetIndex(fsys FS, path string, base int64, logSize *atomic.Int64) *offsetIndex {
	x := &offsetIndex{base: base}
	x.indexFile = indexFile{fsys: fsys, path: path, entrySize: offsetIndexEntrySize}
	x.valid = func(data []byte) int {
		limit := int64(-1)
		if logSize != nil {
			limit = logSize.Load()
		}
		return validOffsetEntries(data, limit)
	}
	return x
}

// validOffsetEntries counts the leading entries whose relative offsets
// increase and whose positions are non-negative, do not decrease and lie
// below logSize (unless logSize is negative).
func validOffsetEntries(data []byte, logSize int64) int {
	prevRel, prevPos := int32(-1), int32(-1)
	n := len(data) / offsetIndexEntrySize
	for i := 0; i < n; i++ {
		rel := int32(binary.BigEndian.Uint32(data[i*8:]))
		pos := int32(binary.BigEndian.Uint32(data[i*8+4:]))
		if rel <= prevRel || pos < prevPos || pos < 0 || (logSize >= 0 && int64(pos) >= logSize) {
			return i
		}
		prevRel, prevPos = rel, pos
	}
	return n
}

// DecodeOffsetIndex parses the bytes of an .index file of the segment whose
// base offset is base. It returns the consistent leading entries and the
// number of bytes they cover; a kafka-dump-log style reader compares that to
// the file's length.
func DecodeOffsetIndex(data []byte, base int64) ([]OffsetPosition, int) {
	n := validOffsetEntries(data, -1)
	out := make([]OffsetPosition, n)
	for i := range out {
		out[i] = OffsetPosition{
			Offset:   base + int64(int32(binary.BigEndian.Uint32(data[i*8:]))),
			Position: int32(binary.BigEndian.Uint32(data[i*8+4:])),
		}
	}
	return out, n * offsetIndexEntrySize
}

func (x *offsetIndex) entryAt(i int) OffsetPosition {
	p := x.data[i*offsetIndexEntrySize:]
	return OffsetPosition{
		Offset:   x.base + int64(int32(binary.BigEndian.Uint32(p))),
		Position: int32(binary.BigEndian.Uint32(p[4:])),
	}
}

// lookup returns the entry with the largest offset <= target, or
// (base, 0) when there is none.
func (x *offsetIndex) lookup(target int64) (OffsetPosition, error) {
	if err := x.load(); err != nil {
		return OffsetPosition{}, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	// i = the first entry above target; the answer is the one before it.
	i, j := 0, x.entries()
	for i < j {
		h := int(uint(i+j) >> 1)
		if x.entryAt(h).Offset > target {
			j = h
		} else {
			i = h + 1
		}
	}
	if i == 0 {
		return OffsetPosition{Offset: x.base}, nil
	}
	return x.entryAt(i - 1), nil
}

// lastEntry is the last entry, or (base, 0).
func (x *offsetIndex) lastEntry() (OffsetPosition, error) {
	if err := x.load(); err != nil {
		return OffsetPosition{}, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.entries() == 0 {
		return OffsetPosition{Offset: x.base}, nil
	}
	return x.entryAt(x.entries() - 1), nil
}

// isFull reports whether no entry fits the preallocated file.
func (x *offsetIndex) isFull() (bool, error) {
	if err := x.load(); err != nil {
		return false, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.entries() >= x.maxEntries(), nil
}

// append adds offset → position; offset must exceed the last entry's.
func (x *offsetIndex) append(offset int64, position int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.loadLocked(); err != nil {
		return err
	}
	rel := offset - x.base
	if rel < 0 || rel > maxRelativeOffset {
		return fmt.Errorf("%w: offset %d in index %s", ErrOffsetOverflow, offset, x.path)
	}
	if n := x.entries(); n > 0 && offset <= x.entryAt(n-1).Offset {
		return fmt.Errorf("index %s: offset %d is not above the last entry's %d", x.path, offset, x.entryAt(n-1).Offset)
	}
	var e [offsetIndexEntrySize]byte
	binary.BigEndian.PutUint32(e[:], uint32(rel))
	binary.BigEndian.PutUint32(e[4:], uint32(position))
	return x.appendLocked(e[:])
}

// truncateTo drops the entries for offsets >= offset.
func (x *offsetIndex) truncateTo(offset int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.loadLocked(); err != nil {
		return err
	}
	n := x.entries()
	for n > 0 && x.entryAt(n-1).Offset >= offset {
		n--
	}
	return x.truncateEntriesLocked(n)
}

// maxRelativeOffset is the largest offset − baseOffset a segment can hold.
const maxRelativeOffset = 1<<31 - 1
