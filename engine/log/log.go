package log

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Config is one partition log's configuration: Kafka 2.8's topic-level log
// settings (their broker-wide defaults are the log.* keys), plus what the log
// takes from its surroundings. DefaultConfig has Kafka's defaults; Open
// rejects values out of Kafka's ranges.
type Config struct {
	SegmentBytes       int32 // segment.bytes: roll when the active segment would pass this
	SegmentMs          int64 // segment.ms: roll when the active segment is this old
	SegmentJitterMs    int64 // segment.jitter.ms: random reduction of SegmentMs per segment
	SegmentIndexBytes  int32 // segment.index.bytes: preallocated size of each index
	IndexIntervalBytes int32 // index.interval.bytes: bytes between offset index entries
	MaxMessageBytes    int32 // max.message.bytes: largest batch Append takes
	RetentionMs        int64 // retention.ms: -1 keeps segments forever
	RetentionBytes     int64 // retention.bytes: -1 for no size limit
	FileDeleteDelayMs  int64 // file.delete.delay.ms: how long .deleted files stay
	FlushMessages      int64 // flush.messages: fsync after this many unflushed offsets
	Delete             bool  // cleanup.policy includes "delete" (retention applies)

	// Recovery is what the log dir's files say about this partition; a
	// Dir fills it in. The zero value (an unclean shutdown, recovery point 0)
	// is safe: every segment is checked.
	Recovery Recovery

	// Clock is the time source (time.Now when nil).
	Clock func() time.Time
	// FS is the file system (OSFS when nil).
	FS FS
}

// Recovery is a partition's state as recorded in its log dir.
type Recovery struct {
	// CleanShutdown: the log dir held .kafka_cleanshutdown, so no segment
	// needs checking.
	CleanShutdown bool
	// RecoveryPoint is the partition's recovery-point-offset-checkpoint
	// entry: every offset below it was flushed. After an unclean shutdown the
	// segments from the one holding it onwards are checked.
	RecoveryPoint int64
	// LogStartOffset is the log-start-offset-checkpoint entry.
	LogStartOffset int64
	// HighWatermark is the replication-offset-checkpoint entry.
	HighWatermark int64
}

// DefaultConfig returns Kafka 2.8's defaults.
func DefaultConfig() Config {
	return Config{
		SegmentBytes:       1 << 30,
		SegmentMs:          7 * 24 * 60 * 60 * 1000,
		SegmentIndexBytes:  10 << 20,
		IndexIntervalBytes: 4096,
		MaxMessageBytes:    1048588,
		RetentionMs:        7 * 24 * 60 * 60 * 1000,
		RetentionBytes:     -1,
		FileDeleteDelayMs:  60000,
		FlushMessages:      math.MaxInt64,
		Delete:             true,
	}
}

// validate checks the ranges Kafka's LogConfig enforces (and one this
// implementation adds: room for at least two time index entries).
func (c Config) validate() error {
	switch {
	case c.SegmentBytes < legacyOverheadV0:
		return fmt.Errorf("%w: segment.bytes %d is below %d", ErrInvalidConfig, c.SegmentBytes, legacyOverheadV0)
	case c.SegmentMs < 1:
		return fmt.Errorf("%w: segment.ms %d is below 1", ErrInvalidConfig, c.SegmentMs)
	case c.SegmentJitterMs < 0:
		return fmt.Errorf("%w: segment.jitter.ms %d is negative", ErrInvalidConfig, c.SegmentJitterMs)
	case c.SegmentIndexBytes < 2*timeIndexEntrySize:
		return fmt.Errorf("%w: segment.index.bytes %d is below %d", ErrInvalidConfig, c.SegmentIndexBytes, 2*timeIndexEntrySize)
	case c.IndexIntervalBytes < 0:
		return fmt.Errorf("%w: index.interval.bytes %d is negative", ErrInvalidConfig, c.IndexIntervalBytes)
	case c.MaxMessageBytes < 0:
		return fmt.Errorf("%w: max.message.bytes %d is negative", ErrInvalidConfig, c.MaxMessageBytes)
	case c.RetentionMs < -1:
		return fmt.Errorf("%w: retention.ms %d is below -1", ErrInvalidConfig, c.RetentionMs)
	case c.FileDeleteDelayMs < 0:
		return fmt.Errorf("%w: file.delete.delay.ms %d is negative", ErrInvalidConfig, c.FileDeleteDelayMs)
	case c.FlushMessages < 1:
		return fmt.Errorf("%w: flush.messages %d is below 1", ErrInvalidConfig, c.FlushMessages)
	case c.Recovery.RecoveryPoint < 0 || c.Recovery.LogStartOffset < 0:
		return fmt.Errorf("%w: negative recovery point or log start offset", ErrInvalidConfig)
	}
	return nil
}

// Log is one partition's commit log: the segments of <log.dir>/<topic>-<partition>/.
//
// One writer at a time mutates it (appends, rolls, truncation, deletion,
// flushes); reads run concurrently with all of them and with each other, on a
// snapshot of the segment list and end offset taken under a short lock, then
// without it. A Log starts no goroutines.
type Log struct {
	dir    string
	tp     TopicPartition
	cfg    Config
	fsys   FS
	logger *slog.Logger
	now    func() time.Time
	epochs *epochCache

	// wmu serializes the writers. Everything below that is not published
	// is guarded by it alone.
	wmu      sync.Mutex
	pending  []pendingDelete
	dirDirty bool

	// mu guards the published state: the writer changes it under both
	// locks, readers copy it under mu.RLock.
	mu            sync.RWMutex
	segs          []*segment // ascending base offsets; replaced, never changed in place
	leo           int64      // log end offset
	leoPos        int64      // its position in the last segment
	logStart      int64
	hw            int64
	recoveryPoint int64
	topicID       TopicID
	closed        bool
	failed        error

	// truncations is a sequence lock around truncations, which rewrite bytes
	// readers may be scanning (odd while one runs). A read that fails while
	// it moved reports ErrTruncatedBatch: the truncation won the race, and
	// a retry sees the new log. (A broker reads below the high watermark,
	// which truncation never crosses.)
	truncations atomic.Uint64
}

// raced turns a read error into ErrTruncatedBatch when a truncation ran
// during the read that began at sequence g.
func (l *Log) raced(g uint64, err error) error {
	if err == nil || errors.Is(err, ErrTruncatedBatch) || (g%2 == 0 && l.truncations.Load() == g) {
		return err
	}
	return fmt.Errorf("%w: %s: read raced with a truncation: %v", ErrTruncatedBatch, l.tp, err)
}

// pendingDelete is a segment renamed to .deleted, removed once due.
type pendingDelete struct {
	seg   *segment
	dueMs int64
}

// Open opens (creating it if needed) the log in dir, which must be named
// <topic>-<partition>. It deletes leftover .deleted and .cleaned files,
// rebuilds missing indexes and, unless cfg.Recovery says the shutdown was
// clean, checks the segments from the recovery point on, truncating the log at
// the first invalid batch.
func Open(dir string, cfg Config, logger *slog.Logger) (*Log, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	tp, err := ParseTopicPartition(filepath.Base(dir))
	if err != nil {
		return nil, fmt.Errorf("open log %s: %w", dir, err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	l := &Log{
		dir:    dir,
		tp:     tp,
		cfg:    cfg,
		fsys:   fsOrDefault(cfg.FS),
		logger: logger.With("topic", tp.Topic, "partition", tp.Partition),
		now:    cfg.Clock,
	}
	if l.now == nil {
		l.now = time.Now
	}
	if err := l.fsys.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open log %s: %w", dir, err)
	}
	if l.epochs, err = loadEpochCache(l.fsys, filepath.Join(dir, LeaderEpochCheckpointFile)); err != nil {
		return nil, fmt.Errorf("open log %s: %w", dir, err)
	}
	if data, err := readFile(l.fsys, filepath.Join(dir, PartitionMetadataFile)); err == nil {
		if l.topicID, err = ParsePartitionMetadata(data); err != nil {
			return nil, fmt.Errorf("open log %s: %s: %w", dir, PartitionMetadataFile, err)
		}
	} else if exists(l.fsys, filepath.Join(dir, PartitionMetadataFile)) {
		return nil, fmt.Errorf("open log %s: %w", dir, err)
	}
	l.logStart = cfg.Recovery.LogStartOffset
	l.recoveryPoint = cfg.Recovery.RecoveryPoint
	if err := l.load(); err != nil {
		for _, s := range l.segs {
			s.closeFiles()
		}
		return nil, fmt.Errorf("open log %s: %w", dir, err)
	}
	return l, nil
}

// nowMs is the clock in milliseconds.
func (l *Log) nowMs() int64 { return l.now().UnixMilli() }

// newSegmentConfig picks a segment's roll jitter as Kafka does: uniform in
// [0, min(segment.jitter.ms, segment.ms)).
func (l *Log) newSegmentConfig() segmentConfig {
	var jitter int64
	if l.cfg.SegmentJitterMs > 0 {
		jitter = rand.Int64N(min(l.cfg.SegmentJitterMs, l.cfg.SegmentMs))
	}
	return segmentConfig{
		maxIndexSize:  int64(l.cfg.SegmentIndexBytes),
		indexInterval: int64(l.cfg.IndexIntervalBytes),
		rollJitterMs:  jitter,
	}
}

// active is the last segment (writers only).
func (l *Log) active() *segment { return l.segs[len(l.segs)-1] }

// checkWritable returns why the log cannot be changed, if it cannot.
func (l *Log) checkWritable() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return ErrClosed
	}
	return l.failed
}

// fail takes the log offline after an I/O error: every later mutation returns
// the error, wrapped with ErrFailed. Reads go on.
func (l *Log) fail(err error) error {
	if errors.Is(err, ErrFailed) {
		return err
	}
	err = fmt.Errorf("%w: %s: %w", ErrFailed, l.tp, err)
	l.mu.Lock()
	if l.failed == nil {
		l.failed = err
	}
	l.mu.Unlock()
	l.logger.Error("log taken offline", "err", err)
	return err
}

// AppendInfo describes a successful append.
type AppendInfo struct {
	FirstOffset int64
	LastOffset  int64
	// MaxTimestamp is the largest batch maxTimestamp appended (NoTimestamp
	// if none) and OffsetOfMaxTimestamp the offset Kafka records for it: the
	// first record holding it in an uncompressed batch, the batch's last
	// offset otherwise.
	MaxTimestamp         int64
	OffsetOfMaxTimestamp int64
	// LogStartOffset is the log start offset after the append.
	LogStartOffset int64
}

// Append appends batches, one or more whole v2 RecordBatches, as the
// partition's leader. It assigns offsets from the log end offset by rewriting
// each batch's baseOffset in place and stamps leaderEpoch into its
// partitionLeaderEpoch (neither is covered by the CRC), so batches is
// modified. Each batch must pass Validate and fit max.message.bytes; the
// whole append must fit segment.bytes. The bytes go to the active segment in
// one write. A leaderEpoch >= 0 is recorded in the leader epoch cache.
//
// Record-level validation beyond what offsets and timestamps need (keys of
// compacted topics, timestamps against message.timestamp.difference.max.ms,
// producer sequences, LogAppendTime stamping) is the produce handler's, which
// can use Batch.SetMaxTimestamp for the last.
func (l *Log) Append(batches []byte, leaderEpoch int32) (AppendInfo, error) {
	if err := l.checkBatches(batches, false); err != nil {
		return AppendInfo{}, err
	}
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return AppendInfo{}, err
	}
	first := l.leo
	offset := first
	maxTs, offMaxTs := NoTimestamp, int64(-1)
	logAppendTime := false
	for it := IterBatches(batches); it.Next(); {
		b := it.Batch()
		b.SetBaseOffset(offset)
		b.SetPartitionLeaderEpoch(leaderEpoch)
		last := offset + int64(b.LastOffsetDelta())
		if ts := b.MaxTimestamp(); ts > maxTs {
			maxTs, offMaxTs = ts, last
			if b.Compression() == CompressionNone && b.TimestampType() == CreateTime {
				offMaxTs = firstRecordAt(b, ts, last)
			}
		}
		logAppendTime = logAppendTime || b.TimestampType() == LogAppendTime
		offset = last + 1
	}
	if logAppendTime && maxTs >= 0 {
		offMaxTs = offset - 1
	}
	if leaderEpoch >= 0 {
		if err := l.epochs.assign(leaderEpoch, first); err != nil {
			return AppendInfo{}, l.fail(err)
		}
	}
	return l.appendLocked(batches, first, offset-1, maxTs, offMaxTs)
}

// firstRecordAt returns the offset of the first record of the uncompressed
// batch b whose timestamp is ts, or last when none is (the shallow answer).
func firstRecordAt(b Batch, ts, last int64) int64 {
	found := last
	forEachRecordTime(b, func(offset, t int64) bool {
		if t == ts {
			found = offset
			return false
		}
		return true
	})
	return found
}

// AppendAsFollower appends batches copied from the leader: offsets and
// epochs are kept as they are. The first batch must start at or after the
// log end offset and offsets must increase (gaps are allowed, as compaction
// leaves them). The leader epoch cache learns each batch's epoch.
func (l *Log) AppendAsFollower(batches []byte) (AppendInfo, error) {
	if err := l.checkBatches(batches, true); err != nil {
		return AppendInfo{}, err
	}
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return AppendInfo{}, err
	}
	first, prev := int64(-1), l.leo-1
	maxTs, offMaxTs := NoTimestamp, int64(-1)
	for it := IterBatches(batches); it.Next(); {
		b := it.Batch()
		if b.BaseOffset() <= prev {
			return AppendInfo{}, fmt.Errorf("%w: %s: batch at offset %d after offset %d (log end offset %d)", ErrUnexpectedOffset, l.tp, b.BaseOffset(), prev, l.leo)
		}
		if first < 0 {
			first = b.BaseOffset()
		}
		prev = b.LastOffset()
		if b.MaxTimestamp() > maxTs {
			maxTs, offMaxTs = b.MaxTimestamp(), prev
		}
	}
	if prev-first > maxRelativeOffset {
		return AppendInfo{}, fmt.Errorf("%w: %s: append spans offsets %d to %d", ErrOffsetOverflow, l.tp, first, prev)
	}
	for it := IterBatches(batches); it.Next(); {
		b := it.Batch()
		if err := l.epochs.assign(b.PartitionLeaderEpoch(), b.BaseOffset()); err != nil {
			return AppendInfo{}, l.fail(err)
		}
	}
	return l.appendLocked(batches, first, prev, maxTs, offMaxTs)
}

// checkBatches validates an append's batches before any lock is taken.
func (l *Log) checkBatches(batches []byte, follower bool) error {
	if len(batches) == 0 {
		return fmt.Errorf("%w: %s: empty append", ErrInvalidBatch, l.tp)
	}
	if len(batches) > int(l.cfg.SegmentBytes) {
		return fmt.Errorf("%w: %s: append of %d bytes exceeds segment.bytes %d", ErrBatchTooLarge, l.tp, len(batches), l.cfg.SegmentBytes)
	}
	it := IterBatches(batches)
	for it.Next() {
		b := it.Batch()
		if b.Magic() != MagicV2 {
			return fmt.Errorf("%w: %s: magic %d at position %d", ErrUnsupportedMagic, l.tp, b.Magic(), it.Pos()-len(b))
		}
		if !follower && len(b) > int(l.cfg.MaxMessageBytes) {
			return fmt.Errorf("%w: %s: batch of %d bytes exceeds max.message.bytes %d", ErrBatchTooLarge, l.tp, len(b), l.cfg.MaxMessageBytes)
		}
		if err := b.Validate(); err != nil {
			return fmt.Errorf("%s: batch at position %d: %w", l.tp, it.Pos()-len(b), err)
		}
		if b.LastOffsetDelta() < 0 {
			return fmt.Errorf("%w: %s: negative lastOffsetDelta %d", ErrInvalidBatch, l.tp, b.LastOffsetDelta())
		}
		if !follower && b.Compression() == CompressionNone && b.TimestampType() == CreateTime {
			if err := forEachRecordTime(b, func(int64, int64) bool { return true }); err != nil {
				return fmt.Errorf("%s: %w", l.tp, err)
			}
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("%s: %w", l.tp, err)
	}
	return nil
}

// appendLocked writes an append whose offsets are assigned: roll if needed,
// one write, index upkeep, then publish the new end offset.
func (l *Log) appendLocked(data []byte, first, last, maxTs, offMaxTs int64) (AppendInfo, error) {
	seg, err := l.maybeRoll(len(data), maxTs, first, last)
	if err != nil {
		return AppendInfo{}, l.fail(err)
	}
	if err := seg.append(data, last, maxTs, offMaxTs); err != nil {
		return AppendInfo{}, l.fail(err)
	}
	l.mu.Lock()
	l.leo = last + 1
	l.leoPos = seg.size.Load()
	logStart := l.logStart
	l.mu.Unlock()
	if l.leo-l.recoveryPoint >= l.cfg.FlushMessages {
		if err := l.flushLocked(l.leo); err != nil {
			return AppendInfo{}, l.fail(err)
		}
	}
	return AppendInfo{
		FirstOffset:          first,
		LastOffset:           last,
		MaxTimestamp:         maxTs,
		OffsetOfMaxTimestamp: offMaxTs,
		LogStartOffset:       logStart,
	}, nil
}

// maybeRoll rolls to a new segment at first when the active one is full,
// too old, has a full index or cannot hold last (Kafka's maybeRoll).
func (l *Log) maybeRoll(size int, maxTs, first, last int64) (*segment, error) {
	seg := l.active()
	roll, err := seg.shouldRoll(int64(l.cfg.SegmentBytes), l.cfg.SegmentMs, size, maxTs, last, l.nowMs())
	if err != nil || !roll {
		return seg, err
	}
	return l.roll(first)
}

// roll starts a new active segment at max(expected, log end offset). The old
// one gets its final time index entry and trimmed indexes and is flushed
// before the new segment's files exist, so the recovery point reaches the
// new segment and a crash can never leave a newer segment behind a lost tail
// (which would open a gap in the offsets).
//
// Kafka flushes the old segment on its scheduler thread after the roll;
// here the appending caller pays one fsync per segment.bytes written.
func (l *Log) roll(expected int64) (*segment, error) {
	newOffset := max(expected, l.leo)
	old := l.active()
	if old.base == newOffset && old.size.Load() == 0 {
		return old, nil
	}
	if newOffset < old.base {
		return nil, fmt.Errorf("roll %s to offset %d below the active segment's base %d", l.tp, newOffset, old.base)
	}
	if err := old.onBecomeInactive(); err != nil {
		return nil, err
	}
	if err := l.flushLocked(newOffset); err != nil {
		return nil, err
	}
	seg, err := createSegment(l.fsys, l.dir, newOffset, l.newSegmentConfig(), l.nowMs())
	if err != nil {
		return nil, err
	}
	l.dirDirty = true
	segs := append(l.segs[:len(l.segs):len(l.segs)], seg)
	l.mu.Lock()
	l.segs = segs
	l.leoPos = 0
	l.mu.Unlock()
	l.logger.Info("rolled new log segment", "offset", newOffset)
	return seg, nil
}

// Flush fsyncs every segment up to the log end offset (and the directory if
// segments were created or renamed) and moves the recovery point there.
func (l *Log) Flush() error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return err
	}
	if err := l.flushLocked(l.leo); err != nil {
		return l.fail(err)
	}
	return nil
}

// flushLocked flushes the segments holding offsets in [recovery point,
// offset) and makes offset the recovery point.
func (l *Log) flushLocked(offset int64) error {
	if offset <= l.recoveryPoint && !l.dirDirty {
		return nil
	}
	if offset > l.recoveryPoint {
		from := max(floorIndex(l.segs, l.recoveryPoint), 0)
		for _, s := range l.segs[from:] {
			if s.base >= offset {
				break
			}
			if err := s.flush(); err != nil {
				return err
			}
		}
	}
	if l.dirDirty {
		if err := l.fsys.SyncDir(l.dir); err != nil {
			return fmt.Errorf("sync dir %s: %w", l.dir, err)
		}
		l.dirDirty = false
	}
	if offset > l.recoveryPoint {
		l.mu.Lock()
		l.recoveryPoint = offset
		l.mu.Unlock()
	}
	return nil
}

// floorIndex is the index of the last segment whose base offset is <=
// offset, or -1.
func floorIndex(segs []*segment, offset int64) int {
	i, j := 0, len(segs)
	for i < j {
		h := int(uint(i+j) >> 1)
		if segs[h].base > offset {
			j = h
		} else {
			i = h + 1
		}
	}
	return i - 1
}

// FetchData is what a read returns: a section of one segment file. A
// network writer can hand File, Pos and Size to sendfile; it must use a
// positional transfer (the file's seek offset is shared). The section starts
// at a batch boundary and, like Kafka's, may end inside the last batch when
// the size limit cuts it; clients drop a trailing partial batch. Size 0 means
// nothing to return.
//
// The file stays readable until the log closes it: segments removed by
// retention or truncation are deleted only file.delete.delay.ms later.
type FetchData struct {
	File *os.File // nil when Size is 0 or the FS has no *os.File
	Pos  int64
	Size int32
	src  io.ReaderAt
}

// ReadAt reads from the section.
func (d FetchData) ReadAt(p []byte, off int64) (int, error) {
	if d.src == nil || off >= int64(d.Size) {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), int64(d.Size)-off)]
	n, err := d.src.ReadAt(p, d.Pos+off)
	if n == len(p) {
		err = nil
	}
	if err == nil && off+int64(n) == int64(d.Size) && n < cap(p) {
		err = io.EOF
	}
	return n, err
}

// AppendTo appends the section's bytes to dst (a copying read).
func (d FetchData) AppendTo(dst []byte) ([]byte, error) {
	if d.Size == 0 {
		return dst, nil
	}
	n := len(dst)
	dst = slices.Grow(dst, int(d.Size))[:n+int(d.Size)] // no zeroing: ReadAt fills it
	m, err := d.src.ReadAt(dst[n:], d.Pos)
	if m == int(d.Size) {
		return dst, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return dst[:n+m], fmt.Errorf("read %d bytes at %d: %w", d.Size, d.Pos, err)
}

// Bytes copies the section.
func (d FetchData) Bytes() ([]byte, error) { return d.AppendTo(nil) }

// readView is the published state a read works on.
type readView struct {
	segs     []*segment
	leo      int64
	leoPos   int64
	logStart int64
}

func (l *Log) view() (readView, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return readView{}, ErrClosed
	}
	return readView{segs: l.segs, leo: l.leo, leoPos: l.leoPos, logStart: l.logStart}, nil
}

// end is the read limit in segment i: the log end offset's position in the
// last segment, else the segment's size.
func (v readView) end(i int) int64 {
	if i == len(v.segs)-1 {
		return v.leoPos
	}
	return v.segs[i].size.Load()
}

// Read returns the stored batches from the one holding offset onwards:
// whole batches as written, at least the first one even when it is larger
// than maxBytes, at most max(maxBytes, first batch) bytes, and none at or
// after the batch holding maxOffset (the high watermark for consumers, the
// log end offset or math.MaxInt64 for followers).
//
// An offset below the log start offset or above the log end offset fails
// with ErrOffsetOutOfRange; an offset at or after maxOffset returns nothing.
// A read that races a truncation of the segment it reads (a follower's
// TruncateTo, retention with file.delete.delay.ms 0) may fail with
// ErrTruncatedBatch or os.ErrClosed; asking again gets the new state.
func (l *Log) Read(offset int64, maxBytes int32, maxOffset int64) (FetchData, error) {
	g := l.truncations.Load()
	d, err := l.read(offset, maxBytes, maxOffset)
	return d, l.raced(g, err)
}

func (l *Log) read(offset int64, maxBytes int32, maxOffset int64) (FetchData, error) {
	v, err := l.view()
	if err != nil {
		return FetchData{}, err
	}
	if offset < v.logStart || offset > v.leo {
		return FetchData{}, fmt.Errorf("%w: %s: offset %d, log start offset %d, log end offset %d", ErrOffsetOutOfRange, l.tp, offset, v.logStart, v.leo)
	}
	maxOffset = min(maxOffset, v.leo)
	if offset >= maxOffset {
		return FetchData{}, nil
	}
	maxBytes = max(maxBytes, 0)
	last, lastPos := len(v.segs)-1, v.leoPos
	if maxOffset < v.leo {
		if last = floorIndex(v.segs, maxOffset); last < 0 {
			return FetchData{}, nil
		}
		f, ok, err := v.segs[last].find(maxOffset, v.end(last))
		if err != nil {
			return FetchData{}, fmt.Errorf("read %s: %w", l.tp, err)
		}
		if lastPos = v.end(last); ok {
			lastPos = f.pos
		}
	}
	for i := max(floorIndex(v.segs, offset), 0); i <= last; i++ {
		end := v.end(i)
		if i == last {
			end = lastPos
		}
		d, ok, err := v.segs[i].read(offset, maxBytes, end)
		if err != nil {
			return FetchData{}, fmt.Errorf("read %s: %w", l.tp, err)
		}
		if ok {
			return d, nil
		}
	}
	return FetchData{}, nil
}

// Special timestamps of ReadByTimestamp (ListOffsetsRequest's).
const (
	LatestTimestamp   int64 = -1
	EarliestTimestamp int64 = -2
)

// OffsetForTime is a ReadByTimestamp answer.
type OffsetForTime struct {
	Timestamp   int64 // NoTimestamp for EarliestTimestamp and LatestTimestamp
	Offset      int64
	LeaderEpoch int32 // NoPartitionLeaderEpoch when unknown
}

// ReadByTimestamp finds the first record whose timestamp is >= ts (Kafka's
// fetchOffsetByTimestamp): in the first segment whose largest timestamp
// reaches ts, from the time index's hint onwards. EarliestTimestamp answers
// the log start offset, LatestTimestamp the log end offset. ok is false when
// no record is that late.
func (l *Log) ReadByTimestamp(ts int64) (OffsetForTime, bool, error) {
	g := l.truncations.Load()
	r, ok, err := l.readByTimestamp(ts)
	return r, ok, l.raced(g, err)
}

func (l *Log) readByTimestamp(ts int64) (OffsetForTime, bool, error) {
	v, err := l.view()
	if err != nil {
		return OffsetForTime{}, false, err
	}
	switch ts {
	case EarliestTimestamp:
		epoch := NoPartitionLeaderEpoch
		if e, ok := l.epochs.earliest(); ok && e.StartOffset <= v.logStart {
			epoch = e.Epoch
		}
		return OffsetForTime{Timestamp: NoTimestamp, Offset: v.logStart, LeaderEpoch: epoch}, true, nil
	case LatestTimestamp:
		epoch := NoPartitionLeaderEpoch
		if e, ok := l.epochs.latestEpoch(); ok {
			epoch = e
		}
		return OffsetForTime{Timestamp: NoTimestamp, Offset: v.leo, LeaderEpoch: epoch}, true, nil
	}
	for i, s := range v.segs {
		lt, err := s.largestTimestamp()
		if err != nil {
			return OffsetForTime{}, false, fmt.Errorf("read %s by timestamp: %w", l.tp, err)
		}
		if lt < ts {
			continue
		}
		r, ok, err := l.searchTimestamp(s, ts, v.logStart, v.end(i))
		if err != nil {
			return OffsetForTime{}, false, fmt.Errorf("read %s by timestamp: %w", l.tp, err)
		}
		return r, ok, nil
	}
	return OffsetForTime{}, false, nil
}

// searchTimestamp is LogSegment.findOffsetByTimestamp: start at the offset
// index position for the time index's entry at or below ts, then look for the
// first record at or after ts and startOffset.
func (l *Log) searchTimestamp(s *segment, ts, startOffset, end int64) (OffsetForTime, bool, error) {
	e, err := s.tidx.lookup(ts)
	if err != nil {
		return OffsetForTime{}, false, err
	}
	p, err := s.idx.lookup(max(e.Offset, startOffset))
	if err != nil {
		return OffsetForTime{}, false, err
	}
	sc := s.scanFrom(int64(p.Position), end)
	var buf []byte
	for sc.next() {
		if sc.cur.MaxTimestamp() < ts {
			continue
		}
		if cap(buf) < int(sc.curSize) {
			buf = make([]byte, sc.curSize)
		}
		buf = buf[:sc.curSize]
		if n, err := s.logFile.ReadAt(buf, sc.curPos); n < len(buf) {
			return OffsetForTime{}, false, fmt.Errorf("read batch at %d: %w", sc.curPos, err)
		}
		b := Batch(buf)
		var r OffsetForTime
		found := false
		err := forEachRecordTime(b, func(offset, t int64) bool {
			if t >= ts && offset >= startOffset {
				r, found = OffsetForTime{Timestamp: t, Offset: offset, LeaderEpoch: b.PartitionLeaderEpoch()}, true
				return false
			}
			return true
		})
		if err != nil || found {
			return r, found, err
		}
	}
	return OffsetForTime{}, false, sc.err
}

// LogStartOffset is the first offset a read may ask for.
func (l *Log) LogStartOffset() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.logStart
}

// LogEndOffset is the offset the next append gets.
func (l *Log) LogEndOffset() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.leo
}

// RecoveryPoint is the offset below which everything was flushed; it goes
// into recovery-point-offset-checkpoint.
func (l *Log) RecoveryPoint() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.recoveryPoint
}

// HighWatermark is the high watermark the partition last set.
func (l *Log) HighWatermark() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.hw
}

// SetHighWatermark sets the high watermark, clamped to [log start offset,
// log end offset], and returns the value kept. Retention never deletes a
// segment holding offsets at or above it.
func (l *Log) SetHighWatermark(hw int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hw = min(max(hw, l.logStart), l.leo)
	return l.hw
}

// Size is the bytes in all segments.
func (l *Log) Size() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var n int64
	for i, s := range l.segs {
		if i == len(l.segs)-1 {
			n += l.leoPos
		} else {
			n += s.size.Load()
		}
	}
	return n
}

// SegmentBaseOffsets lists the base offsets of the segments, oldest first.
func (l *Log) SegmentBaseOffsets() []int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]int64, len(l.segs))
	for i, s := range l.segs {
		out[i] = s.base
	}
	return out
}

// TopicPartition is the partition the log belongs to.
func (l *Log) TopicPartition() TopicPartition { return l.tp }

// Dir is the log's directory.
func (l *Log) Dir() string { return l.dir }

// TopicID returns the topic id from partition.metadata, if there is one.
func (l *Log) TopicID() (TopicID, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.topicID, !l.topicID.IsZero()
}

// SetTopicID records the topic id, writing partition.metadata when the log
// has none yet. A different id than the recorded one fails with
// ErrInconsistentTopicID.
func (l *Log) SetTopicID(id TopicID) error {
	if id.IsZero() {
		return fmt.Errorf("%w: zero topic id for %s", ErrInvalidConfig, l.tp)
	}
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return err
	}
	if cur, ok := l.TopicID(); ok {
		if cur != id {
			return fmt.Errorf("%w: %s has topic id %s, not %s", ErrInconsistentTopicID, l.tp, cur, id)
		}
		return nil
	}
	if err := writeFileAtomic(l.fsys, filepath.Join(l.dir, PartitionMetadataFile), AppendPartitionMetadata(nil, id)); err != nil {
		return l.fail(err)
	}
	l.mu.Lock()
	l.topicID = id
	l.mu.Unlock()
	return nil
}

// LatestEpoch is the newest leader epoch in the cache.
func (l *Log) LatestEpoch() (int32, bool) { return l.epochs.latestEpoch() }

// LeaderEpochs copies the leader epoch cache.
func (l *Log) LeaderEpochs() []EpochEntry { return l.epochs.snapshot() }

// AssignEpochStartOffset records that leader epoch starts at startOffset, as
// a new leader does for its epoch at its log end offset.
func (l *Log) AssignEpochStartOffset(epoch int32, startOffset int64) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return err
	}
	if err := l.epochs.assign(epoch, startOffset); err != nil {
		return l.fail(err)
	}
	return nil
}

// EndOffsetForEpoch answers OffsetForLeaderEpoch: the largest epoch <= the
// requested one and the offset where it ended (the log end offset for the
// latest epoch), or (UndefinedEpoch, UndefinedEpochOffset).
func (l *Log) EndOffsetForEpoch(epoch int32) (int32, int64) {
	return l.epochs.endOffsetFor(epoch, l.LogEndOffset())
}

// Failed returns the I/O error that took the log offline, or nil.
func (l *Log) Failed() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.failed
}

// Close flushes the log, gives the active segment's time index its final
// entry, trims the indexes to their entries, removes segments waiting for
// deletion and closes every file. A failed log is closed without flushing
// and Close returns its failure; it needs recovery on the next Open. Reads
// after Close fail with ErrClosed.
func (l *Log) Close() error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	l.mu.RLock()
	closed, failed := l.closed, l.failed
	l.mu.RUnlock()
	if closed {
		return nil
	}
	var errs []error
	if failed == nil {
		if err := l.flushLocked(l.leo); err != nil {
			errs = append(errs, err)
		}
	}
	// Without a successful flush, leave the files as they are for recovery.
	tidy := failed == nil && len(errs) == 0
	for _, s := range l.segs {
		if tidy {
			errs = append(errs, s.close())
		} else {
			errs = append(errs, s.closeFiles())
		}
	}
	for _, p := range l.pending {
		errs = append(errs, p.seg.remove())
	}
	l.pending = nil
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	if failed != nil {
		return failed
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close %s: %w", l.tp, err)
	}
	return nil
}
