package log

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// File name suffixes of a segment (Kafka's Log companion object).
const (
	LogFileSuffix       = ".log"
	IndexFileSuffix     = ".index"
	TimeIndexFileSuffix = ".timeindex"
	TxnIndexFileSuffix  = ".txnindex"
	DeletedFileSuffix   = ".deleted"
	CleanedFileSuffix   = ".cleaned"
	SwapFileSuffix      = ".swap"
)

// FilenamePrefix is a segment's base offset zero-padded to 20 digits, the
// name its .log, .index and .timeindex share.
func FilenamePrefix(baseOffset int64) string {
	s := strconv.FormatInt(baseOffset, 10)
	if len(s) >= 20 {
		return s
	}
	return strings.Repeat("0", 20-len(s)) + s
}

// segmentConfig is what a segment needs of the log's Config.
type segmentConfig struct {
	maxIndexSize  int64
	indexInterval int64
	rollJitterMs  int64
}

// segment is one <base>.log with its .index and .timeindex (Kafka's
// LogSegment). Its log file holds complete batches in [0, size); readers stay
// below the size they loaded. The writer fields are guarded by the owning
// Log's writer lock; the indexes lock themselves.
type segment struct {
	fsys    FS
	dir     string
	base    int64
	suffix  string // "" or DeletedFileSuffix
	cfg     segmentConfig
	logFile File
	size    atomic.Int64
	idx     *offsetIndex
	tidx    *timeIndex

	// The segment's max timestamp so far and the offset Kafka records for
	// it, loaded lazily from the time index's last entry. Readers (time
	// lookups, retention) and the writer share them.
	tsMu        sync.Mutex
	maxTs       int64
	maxTsOffset int64
	maxTsLoaded bool

	// fileClosed makes closing idempotent; logFile itself never changes,
	// so a reader holding the segment gets os.ErrClosed, not a race.
	fileClosed atomic.Bool

	// Writer state.
	bytesSinceIndex int64
	rollTs          int64 // the first batch's max timestamp, for segment.ms
	rollTsKnown     bool
	createdMs       int64
}

func (s *segment) path(suffix string) string {
	return filepath.Join(s.dir, FilenamePrefix(s.base)+suffix+s.suffix)
}

func newSegment(fsys FS, dir string, base int64, cfg segmentConfig, nowMs int64) *segment {
	s := &segment{fsys: fsys, dir: dir, base: base, cfg: cfg, createdMs: nowMs}
	s.idx = newOffsetIndex(fsys, s.path(IndexFileSuffix), base, &s.size)
	s.tidx = newTimeIndex(fsys, s.path(TimeIndexFileSuffix), base)
	s.maxTs, s.maxTsOffset = NoTimestamp, base
	return s
}

// name is the segment's .log file name as created (error messages of the
// read paths use it: the suffix changes under them).
func (s *segment) name() string { return FilenamePrefix(s.base) + LogFileSuffix }

// createSegment makes a new empty segment, replacing any files at its names
// (Kafka warns and deletes them too), with both indexes preallocated.
func createSegment(fsys FS, dir string, base int64, cfg segmentConfig, nowMs int64) (*segment, error) {
	s := newSegment(fsys, dir, base, cfg, nowMs)
	f, err := fsys.OpenFile(s.path(LogFileSuffix), os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create segment: %w", err)
	}
	s.logFile = f
	if err := s.idx.create(cfg.maxIndexSize); err != nil {
		s.closeFiles()
		return nil, fmt.Errorf("create segment index: %w", err)
	}
	if err := s.tidx.create(cfg.maxIndexSize); err != nil {
		s.closeFiles()
		return nil, fmt.Errorf("create segment time index: %w", err)
	}
	s.maxTsLoaded = true
	return s, nil
}

// openSegment opens an existing segment. Its indexes are read on first use.
// rebuild reports that an index file is missing or not a whole number of
// entries: the caller must recover the segment, which rebuilds both.
func openSegment(fsys FS, dir string, base int64, cfg segmentConfig, nowMs int64) (s *segment, rebuild bool, err error) {
	s = newSegment(fsys, dir, base, cfg, nowMs)
	f, err := fsys.OpenFile(s.path(LogFileSuffix), os.O_RDWR, 0)
	if err != nil {
		return nil, false, fmt.Errorf("open segment: %w", err)
	}
	s.logFile = f
	st, err := f.Stat()
	if err != nil {
		s.closeFiles()
		return nil, false, fmt.Errorf("stat segment: %w", err)
	}
	s.size.Store(st.Size())
	for _, x := range []*indexFile{&s.idx.indexFile, &s.tidx.indexFile} {
		st, err := fsys.Stat(x.path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			rebuild = true
			if err := x.create(cfg.maxIndexSize); err != nil {
				s.closeFiles()
				return nil, false, fmt.Errorf("create missing index: %w", err)
			}
		case err != nil:
			s.closeFiles()
			return nil, false, fmt.Errorf("stat index: %w", err)
		case st.Size()%int64(x.entrySize) != 0:
			rebuild = true
		}
	}
	return s, rebuild, nil
}

// closeFiles closes every open file without writing, trimming or
// finishing anything: a failed log leaves its files to recovery.
func (s *segment) closeFiles() error {
	var errs []error
	if s.logFile != nil && s.fileClosed.CompareAndSwap(false, true) {
		errs = append(errs, s.logFile.Close())
	}
	errs = append(errs, s.idx.abandon(), s.tidx.abandon())
	return errors.Join(errs...)
}

// maxTimestamp is the largest batch timestamp in the segment so far
// (NoTimestamp if none) and the last offset of the batch that holds it.
func (s *segment) maxTimestamp() (ts, offset int64, err error) {
	s.tsMu.Lock()
	defer s.tsMu.Unlock()
	if !s.maxTsLoaded {
		e, err := s.tidx.lastEntry()
		if err != nil {
			return 0, 0, err
		}
		s.maxTs, s.maxTsOffset, s.maxTsLoaded = e.Timestamp, e.Offset, true
	}
	return s.maxTs, s.maxTsOffset, nil
}

// setMaxTimestamp records a new max timestamp (the writer's).
func (s *segment) setMaxTimestamp(ts, offset int64) {
	s.tsMu.Lock()
	s.maxTs, s.maxTsOffset, s.maxTsLoaded = ts, offset, true
	s.tsMu.Unlock()
}

// largestTimestamp is what time retention compares: the max timestamp, or the
// log file's modification time when the segment has no timestamps.
func (s *segment) largestTimestamp() (int64, error) {
	ts, _, err := s.maxTimestamp()
	if err != nil {
		return 0, err
	}
	if ts >= 0 {
		return ts, nil
	}
	st, err := s.logFile.Stat()
	if err != nil {
		return 0, err
	}
	return st.ModTime().UnixMilli(), nil
}

// canHold reports whether offset fits the segment's relative offsets.
func (s *segment) canHold(offset int64) bool {
	rel := offset - s.base
	return rel >= 0 && rel <= maxRelativeOffset
}

// shouldRoll is Kafka's LogSegment.shouldRoll for an append of incoming bytes
// whose largest timestamp and last offset are given.
func (s *segment) shouldRoll(segmentBytes, segmentMs int64, incoming int, maxTs, lastOffset, nowMs int64) (bool, error) {
	size := s.size.Load()
	if size > segmentBytes-int64(incoming) || !s.canHold(lastOffset) {
		return true, nil
	}
	if size > 0 {
		waited, err := s.timeWaitedForRoll(nowMs, maxTs)
		if err != nil {
			return false, err
		}
		if waited > segmentMs-s.cfg.rollJitterMs {
			return true, nil
		}
	}
	if full, err := s.idx.isFull(); err != nil || full {
		return full, err
	}
	return s.tidx.isFull()
}

// timeWaitedForRoll measures the segment's age for segment.ms: from the first
// batch's max timestamp to the incoming one's, or since the segment was
// created (or opened) when the first batch has no timestamp.
func (s *segment) timeWaitedForRoll(nowMs, msgTs int64) (int64, error) {
	if !s.rollTsKnown && s.size.Load() > 0 {
		var h [BatchHeaderSize]byte
		n, err := s.logFile.ReadAt(h[:], 0)
		if n < headerUpToMagic {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return 0, fmt.Errorf("read first batch of %s: %w", s.path(LogFileSuffix), err)
		}
		if _, _, err := entrySize(h[:]); err != nil {
			return 0, fmt.Errorf("read first batch of %s: %w", s.path(LogFileSuffix), err)
		}
		s.rollTs, s.rollTsKnown = Batch(h[:]).MaxTimestamp(), true
	}
	if s.rollTsKnown && s.rollTs >= 0 {
		return msgTs - s.rollTs, nil
	}
	return nowMs - s.createdMs, nil
}

// append writes batches (one write) whose largest offset and timestamp are
// given, then maintains the indexes, then publishes the new size.
func (s *segment) append(data []byte, largestOffset, largestTs, offsetOfMaxTs int64) error {
	pos := s.size.Load()
	if pos == 0 {
		s.rollTs, s.rollTsKnown = largestTs, true
	}
	if !s.canHold(largestOffset) {
		return fmt.Errorf("%w: offset %d in segment %d", ErrOffsetOverflow, largestOffset, s.base)
	}
	if _, err := s.logFile.WriteAt(data, pos); err != nil {
		return fmt.Errorf("write segment %s: %w", s.path(LogFileSuffix), err)
	}
	maxTs, maxTsOffset, err := s.maxTimestamp()
	if err != nil {
		return err
	}
	if largestTs > maxTs {
		maxTs, maxTsOffset = largestTs, offsetOfMaxTs
		s.setMaxTimestamp(maxTs, maxTsOffset)
	}
	if s.bytesSinceIndex > s.cfg.indexInterval {
		if err := s.idx.append(largestOffset, pos); err != nil {
			return err
		}
		if err := s.tidx.maybeAppend(maxTs, maxTsOffset, false); err != nil {
			return err
		}
		s.bytesSinceIndex = 0
	}
	s.bytesSinceIndex += int64(len(data))
	s.size.Store(pos + int64(len(data)))
	return nil
}

// scanFrom returns a header scanner over [pos, end) of the log file.
func (s *segment) scanFrom(pos, end int64) *fileScanner {
	return newFileScanner(s.logFile, pos, end, false)
}

// found is a batch located by find.
type found struct {
	pos, size int64
	first     int64 // its first offset (the entry offset of a legacy message)
}

// find locates the first batch below end whose last offset is >= target: the
// index gives a position at or before it, then a header scan goes forward.
func (s *segment) find(target, end int64) (found, bool, error) {
	e, err := s.idx.lookup(target)
	if err != nil {
		return found{}, false, err
	}
	sc := s.scanFrom(int64(e.Position), end)
	for sc.next() {
		if sc.cur.LastOffset() >= target {
			first := sc.cur.LastOffset()
			if sc.cur.Magic() >= MagicV2 {
				first = sc.cur.BaseOffset()
			}
			return found{pos: sc.curPos, size: sc.curSize, first: first}, true, nil
		}
	}
	if sc.err != nil {
		return found{}, false, fmt.Errorf("scan %s: %w", s.name(), sc.err)
	}
	return found{}, false, nil
}

// read returns the section of the log file that a fetch at target returns:
// from the start of the batch holding target, at most max(maxBytes, that
// batch's size) bytes and never past maxPos. ok is false when no batch below
// maxPos reaches target.
func (s *segment) read(target int64, maxBytes int32, maxPos int64) (FetchData, bool, error) {
	f, ok, err := s.find(target, maxPos)
	if err != nil || !ok {
		return FetchData{}, false, err
	}
	n := max(int64(maxBytes), f.size)
	n = min(n, maxPos-f.pos)
	return FetchData{File: s.logFile.OSFile(), Pos: f.pos, Size: int32(n), src: s.logFile}, true, nil
}

// nextOffset is the offset after the segment's last batch (its base offset
// when empty), found by scanning from the last index entry (Kafka's
// readNextOffset). A data error means the tail needs recovery.
func (s *segment) nextOffset() (int64, error) {
	e, err := s.idx.lastEntry()
	if err != nil {
		return 0, err
	}
	next := s.base
	sc := s.scanFrom(int64(e.Position), s.size.Load())
	for sc.next() {
		next = sc.cur.NextOffset()
	}
	if sc.err != nil {
		return 0, fmt.Errorf("scan %s: %w", s.path(LogFileSuffix), sc.err)
	}
	return next, nil
}

// epochAssigner receives the leader epochs found by recovery.
type epochAssigner interface {
	latestEpoch() (int32, bool)
	assign(epoch int32, startOffset int64) error
}

// recover validates every batch (length, magic, CRC, offsets increasing and
// inside the segment), rebuilds both indexes from scratch, hands leader
// epochs to epochs (if not nil) and truncates the file at the first invalid
// batch (Kafka's LogSegment.recover). It returns the bytes truncated.
func (s *segment) recover(epochs epochAssigner) (int64, error) {
	if err := s.idx.reset(s.cfg.maxIndexSize); err != nil {
		return 0, err
	}
	if err := s.tidx.reset(s.cfg.maxIndexSize); err != nil {
		return 0, err
	}
	size := s.size.Load()
	var valid, lastIndexEntry int64
	maxTs, maxTsOffset := NoTimestamp, s.base
	prevLast := s.base - 1
	sc := newFileScanner(s.logFile, 0, size, true)
	for sc.next() {
		b := sc.cur
		if err := b.Validate(); err != nil {
			break
		}
		last := b.LastOffset()
		if last-s.base > maxRelativeOffset {
			return 0, fmt.Errorf("%w: offset %d in segment %s", ErrOffsetOverflow, last, s.path(LogFileSuffix))
		}
		first := last
		if b.Magic() >= MagicV2 {
			first = b.BaseOffset()
		}
		if first <= prevLast || last < first {
			break
		}
		if b.MaxTimestamp() > maxTs {
			maxTs, maxTsOffset = b.MaxTimestamp(), last
		}
		if valid-lastIndexEntry > s.cfg.indexInterval {
			if full, err := s.idx.isFull(); err != nil {
				return 0, err
			} else if !full {
				if err := s.idx.append(last, valid); err != nil {
					return 0, err
				}
				if full, err := s.tidx.isFull(); err != nil {
					return 0, err
				} else if !full {
					if err := s.tidx.maybeAppend(maxTs, maxTsOffset, false); err != nil {
						return 0, err
					}
				}
			}
			lastIndexEntry = valid
		}
		valid += sc.curSize
		if epochs != nil && b.Magic() >= MagicV2 {
			if e := b.PartitionLeaderEpoch(); e >= 0 {
				if latest, ok := epochs.latestEpoch(); !ok || e > latest {
					if err := epochs.assign(e, b.BaseOffset()); err != nil {
						return 0, err
					}
				}
			}
		}
		prevLast = last
	}
	if sc.err != nil && !isDataError(sc.err) {
		return 0, fmt.Errorf("scan %s: %w", s.path(LogFileSuffix), sc.err)
	}
	truncated := size - valid
	if truncated > 0 {
		if err := s.logFile.Truncate(valid); err != nil {
			return 0, fmt.Errorf("truncate %s: %w", s.path(LogFileSuffix), err)
		}
		s.size.Store(valid)
	}
	if err := s.idx.trim(); err != nil {
		return 0, err
	}
	if err := s.tidx.maybeAppend(maxTs, maxTsOffset, true); err != nil {
		return 0, err
	}
	if err := s.tidx.trim(); err != nil {
		return 0, err
	}
	s.setMaxTimestamp(maxTs, maxTsOffset)
	s.bytesSinceIndex = 0
	s.rollTsKnown = false
	return truncated, nil
}

// truncateTo removes the batch holding offset and every batch after it, and
// the index entries for them, and makes the segment ready to be active again
// (Kafka's LogSegment.truncateTo). The indexes are cut at the first offset
// actually removed: when offset is inside a batch, a time index entry may
// name a record of that batch below offset. It returns the bytes removed.
func (s *segment) truncateTo(offset, nowMs int64) (int64, error) {
	size := s.size.Load()
	f, ok, err := s.find(offset, size)
	if err != nil {
		return 0, err
	}
	if ok {
		offset = min(offset, f.first)
	}
	if err := s.idx.truncateTo(offset); err != nil {
		return 0, err
	}
	if err := s.tidx.truncateTo(offset); err != nil {
		return 0, err
	}
	if err := s.makeActive(); err != nil {
		return 0, err
	}
	var removed int64
	if ok {
		if err := s.logFile.Truncate(f.pos); err != nil {
			return 0, fmt.Errorf("truncate %s: %w", s.path(LogFileSuffix), err)
		}
		s.size.Store(f.pos)
		removed = size - f.pos
	}
	if s.size.Load() == 0 {
		s.createdMs = nowMs
		s.rollTsKnown = false
	}
	s.bytesSinceIndex = 0
	return removed, s.loadLargestTimestamp()
}

// loadLargestTimestamp recomputes the max timestamp after a truncation: the
// time index's last entry, then a scan of the batches after it.
func (s *segment) loadLargestTimestamp() error {
	e, err := s.tidx.lastEntry()
	if err != nil {
		return err
	}
	maxTs, maxTsOffset := e.Timestamp, e.Offset
	p, err := s.idx.lookup(e.Offset)
	if err != nil {
		return err
	}
	sc := s.scanFrom(int64(p.Position), s.size.Load())
	for sc.next() {
		if ts := sc.cur.MaxTimestamp(); ts > maxTs {
			maxTs, maxTsOffset = ts, sc.cur.LastOffset()
		}
	}
	if sc.err != nil {
		return fmt.Errorf("scan %s: %w", s.path(LogFileSuffix), sc.err)
	}
	s.setMaxTimestamp(maxTs, maxTsOffset)
	return nil
}

// makeActive preallocates both indexes again (the active segment's indexes
// take entries; a rolled one's were trimmed).
func (s *segment) makeActive() error {
	if err := s.idx.resize(s.cfg.maxIndexSize); err != nil {
		return err
	}
	return s.tidx.resize(s.cfg.maxIndexSize)
}

// onBecomeInactive runs when the log rolls past the segment: the time index
// gets its final entry and both indexes are trimmed to their entries.
func (s *segment) onBecomeInactive() error {
	ts, off, err := s.maxTimestamp()
	if err != nil {
		return err
	}
	if err := s.tidx.maybeAppend(ts, off, true); err != nil {
		return err
	}
	if err := s.idx.trim(); err != nil {
		return err
	}
	return s.tidx.trim()
}

// flush fsyncs the log file, then the indexes.
func (s *segment) flush() error {
	if err := s.logFile.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", s.path(LogFileSuffix), err)
	}
	if err := s.idx.sync(); err != nil {
		return err
	}
	return s.tidx.sync()
}

// close finishes the time index, trims loaded indexes and closes the files.
// Indexes that were never read stay as they are on disk.
func (s *segment) close() error {
	var errs []error
	s.tsMu.Lock()
	ts, off, loaded := s.maxTs, s.maxTsOffset, s.maxTsLoaded
	s.tsMu.Unlock()
	if loaded && s.tidx.loaded.Load() {
		errs = append(errs, s.tidx.maybeAppend(ts, off, true))
	}
	if s.idx.loaded.Load() {
		errs = append(errs, s.idx.trim())
	}
	if s.tidx.loaded.Load() {
		errs = append(errs, s.tidx.trim())
	}
	if s.logFile != nil && s.fileClosed.CompareAndSwap(false, true) {
		errs = append(errs, s.logFile.Close())
	}
	errs = append(errs, s.idx.close(), s.tidx.close())
	return errors.Join(errs...)
}

// markDeleted renames the segment's files with the .deleted suffix, keeping
// them open so reads already handed out still work until the files are
// removed.
func (s *segment) markDeleted() error {
	if s.suffix != "" {
		return nil
	}
	oldLog, oldTxn := s.path(LogFileSuffix), s.path(TxnIndexFileSuffix)
	s.suffix = DeletedFileSuffix
	if err := s.fsys.Rename(oldLog, s.path(LogFileSuffix)); err != nil {
		return fmt.Errorf("rename %s: %w", oldLog, err)
	}
	if err := s.idx.rename(s.path(IndexFileSuffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rename index: %w", err)
	}
	if err := s.tidx.rename(s.path(TimeIndexFileSuffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rename time index: %w", err)
	}
	if err := s.fsys.Rename(oldTxn, s.path(TxnIndexFileSuffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rename %s: %w", oldTxn, err)
	}
	return nil
}

// remove closes the segment's files and deletes them.
func (s *segment) remove() error {
	errs := []error{s.closeFiles()}
	for _, suf := range []string{LogFileSuffix, IndexFileSuffix, TimeIndexFileSuffix, TxnIndexFileSuffix} {
		errs = append(errs, removeIfExists(s.fsys, s.path(suf)))
	}
	return errors.Join(errs...)
}
