package log

import (
	"encoding/binary"
	"fmt"
)

// TimestampOffset is a time index entry: the largest timestamp seen in the
// segment up to a batch, and that batch's last offset.
type TimestampOffset struct {
	Timestamp int64
	Offset    int64
}

// timeIndexEntrySize is the size of a .timeindex entry.
const timeIndexEntrySize = 12

// timeIndex is a segment's .timeindex: entries of int64 timestamp and int32
// relativeOffset. An entry is added with each offset index entry, but only
// when the segment's max timestamp grew; it maps that max timestamp to the
// last offset of the batch holding it. On roll and close a final entry for
// the segment's max timestamp is added, so the last slot is kept for it: the
// index counts as full one entry early.
type timeIndex struct {
	indexFile
	base int64
}

func newTimeIndex(fsys FS, path string, base int64) *timeIndex {
	x := &timeIndex{base: base}
	x.indexFile = indexFile{fsys: fsys, path: path, entrySize: timeIndexEntrySize, valid: validTimeEntries}
	return x
}

// validTimeEntries counts the leading entries whose timestamps increase
// (from above NoTimestamp) and whose relative offsets are non-negative and do
// not decrease.
func validTimeEntries(data []byte) int {
	prevTs, prevRel := NoTimestamp, int32(0)
	n := len(data) / timeIndexEntrySize
	for i := 0; i < n; i++ {
		ts := int64(binary.BigEndian.Uint64(data[i*12:]))
		rel := int32(binary.BigEndian.Uint32(data[i*12+8:]))
		if ts <= prevTs || rel < prevRel {
			return i
		}
		prevTs, prevRel = ts, rel
	}
	return n
}

// DecodeTimeIndex parses the bytes of a .timeindex file of the segment whose
// base offset is base, returning the consistent leading entries and the bytes
// they cover.
func DecodeTimeIndex(data []byte, base int64) ([]TimestampOffset, int) {
	n := validTimeEntries(data)
	out := make([]TimestampOffset, n)
	for i := range out {
		out[i] = TimestampOffset{
			Timestamp: int64(binary.BigEndian.Uint64(data[i*12:])),
			Offset:    base + int64(int32(binary.BigEndian.Uint32(data[i*12+8:]))),
		}
	}
	return out, n * timeIndexEntrySize
}

func (x *timeIndex) entryAt(i int) TimestampOffset {
	p := x.data[i*timeIndexEntrySize:]
	return TimestampOffset{
		Timestamp: int64(binary.BigEndian.Uint64(p)),
		Offset:    x.base + int64(int32(binary.BigEndian.Uint32(p[8:]))),
	}
}

func (x *timeIndex) lastEntryLocked() TimestampOffset {
	if n := x.entries(); n > 0 {
		return x.entryAt(n - 1)
	}
	return TimestampOffset{Timestamp: NoTimestamp, Offset: x.base}
}

// lastEntry is the last entry, or (NoTimestamp, base).
func (x *timeIndex) lastEntry() (TimestampOffset, error) {
	if err := x.load(); err != nil {
		return TimestampOffset{}, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.lastEntryLocked(), nil
}

// lookup returns the entry with the largest timestamp <= target, or
// (NoTimestamp, base) when there is none.
func (x *timeIndex) lookup(target int64) (TimestampOffset, error) {
	if err := x.load(); err != nil {
		return TimestampOffset{}, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	i, j := 0, x.entries()
	for i < j {
		h := int(uint(i+j) >> 1)
		if x.entryAt(h).Timestamp > target {
			j = h
		} else {
			i = h + 1
		}
	}
	if i == 0 {
		return TimestampOffset{Timestamp: NoTimestamp, Offset: x.base}, nil
	}
	return x.entryAt(i - 1), nil
}

// isFull reports whether only the slot reserved for the final entry is left.
func (x *timeIndex) isFull() (bool, error) {
	if err := x.load(); err != nil {
		return false, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.entries() >= x.maxEntries()-1, nil
}

// maybeAppend adds (timestamp, offset) if timestamp is above the last entry's
// (Kafka's TimeIndex.maybeAppend). skipFullCheck lets the final entry of a
// rolling or closing segment use the reserved slot; if even that is taken the
// entry is dropped, which only makes the index sparser.
func (x *timeIndex) maybeAppend(timestamp, offset int64, skipFullCheck bool) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.loadLocked(); err != nil {
		return err
	}
	last := x.lastEntryLocked()
	if timestamp <= last.Timestamp {
		return nil
	}
	if offset < last.Offset && x.entries() > 0 {
		return fmt.Errorf("time index %s: offset %d is below the last entry's %d", x.path, offset, last.Offset)
	}
	rel := offset - x.base
	if rel < 0 || rel > maxRelativeOffset {
		return fmt.Errorf("%w: offset %d in time index %s", ErrOffsetOverflow, offset, x.path)
	}
	full := x.entries() >= x.maxEntries()-1
	if full && !skipFullCheck {
		return fmt.Errorf("append to full time index %s (%d entries)", x.path, x.entries())
	}
	if x.entries() >= x.maxEntries() {
		// Trimmed (or reserved slot used): grow by one entry for the final one.
		if err := x.resizeLocked(x.fileSize + timeIndexEntrySize); err != nil {
			return err
		}
	}
	var e [timeIndexEntrySize]byte
	binary.BigEndian.PutUint64(e[:], uint64(timestamp))
	binary.BigEndian.PutUint32(e[8:], uint32(rel))
	return x.appendLocked(e[:])
}

// truncateTo drops the entries for offsets >= offset.
func (x *timeIndex) truncateTo(offset int64) error {
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
