package log

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// load brings the segments on disk into the log (Kafka's loadSegments and
// recoverLog):
//
//  1. .deleted and .cleaned leftovers are removed; .swap files (an
//     interrupted compaction, which this slice cannot complete) stop the open.
//  2. Each .log becomes a segment, in offset order; index files without a
//     .log are removed; a segment whose index is missing or torn is
//     recovered at once, which rebuilds its indexes.
//  3. After an unclean shutdown, the segments from the one holding the
//     recovery point onwards are recovered: every batch is checked and the
//     indexes rebuilt; the first invalid batch and everything after it are
//     removed, later segments included. Segments wholly below the recovery
//     point are not read.
//  4. The log end offset comes from the last segment (recovering it if its
//     tail does not frame even after a clean shutdown); a log whose end is
//     below the log start offset is emptied; an empty directory gets a
//     segment at the log start offset. The active segment's indexes are
//     preallocated again.
func (l *Log) load() error {
	entries, err := l.fsys.ReadDir(l.dir)
	if err != nil {
		return err
	}
	var bases []int64
	indexFiles := map[string]int64{}
	haveLog := map[int64]bool{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		switch {
		case strings.HasSuffix(name, DeletedFileSuffix), strings.HasSuffix(name, CleanedFileSuffix):
			if err := removeIfExists(l.fsys, l.path(name)); err != nil {
				return err
			}
			l.dirDirty = true
		case strings.HasSuffix(name, SwapFileSuffix):
			return fmt.Errorf("%w: %s is left from an interrupted compaction", ErrUnsupportedLayout, name)
		case strings.HasSuffix(name, LogFileSuffix):
			base, err := baseOffsetOf(name)
			if err != nil {
				return err
			}
			bases = append(bases, base)
			haveLog[base] = true
		case strings.HasSuffix(name, IndexFileSuffix), strings.HasSuffix(name, TimeIndexFileSuffix), strings.HasSuffix(name, TxnIndexFileSuffix):
			base, err := baseOffsetOf(name)
			if err != nil {
				return err
			}
			indexFiles[name] = base
		}
	}
	for name, base := range indexFiles {
		if !haveLog[base] {
			l.logger.Warn("removing orphaned index file", "file", name)
			if err := removeIfExists(l.fsys, l.path(name)); err != nil {
				return err
			}
			l.dirDirty = true
		}
	}
	slices.Sort(bases)

	now := l.nowMs()
	for _, base := range bases {
		s, rebuild, err := openSegment(l.fsys, l.dir, base, l.newSegmentConfig(), now)
		if err != nil {
			return err
		}
		l.segs = append(l.segs, s)
		if rebuild {
			l.logger.Warn("index files missing or torn, rebuilding them", "offset", base)
			if _, err := s.recover(nil); err != nil {
				return err
			}
			// Below the recovery point nothing rebuilds it again.
			if err := s.flush(); err != nil {
				return err
			}
		}
	}

	clean := l.cfg.Recovery.CleanShutdown
	if !clean && len(l.segs) > 0 {
		from := max(floorIndex(l.segs, l.recoveryPoint), 0)
		for i := from; i < len(l.segs); i++ {
			s := l.segs[i]
			l.logger.Info("recovering unflushed segment", "offset", s.base)
			truncated, err := s.recover(l.epochs)
			if err != nil {
				return err
			}
			if truncated > 0 {
				l.logger.Warn("corruption found in segment, truncating it and removing the later segments",
					"offset", s.base, "bytes", truncated, "later_segments", len(l.segs)-i-1)
				// The cut must be durable before the later segments go, or a
				// crash could keep them behind a tail that comes back.
				if err := s.flush(); err != nil {
					return err
				}
				if err := l.removeSegmentsNow(l.segs[i+1:]); err != nil {
					return err
				}
				l.segs = l.segs[: i+1 : i+1]
				break
			}
		}
	}

	leo := l.logStart
	if len(l.segs) > 0 {
		last := l.segs[len(l.segs)-1]
		next, err := last.nextOffset()
		if err != nil && isDataError(err) {
			l.logger.Warn("segment tail does not frame, recovering it", "offset", last.base, "err", err)
			if _, err := last.recover(l.epochs); err != nil {
				return err
			}
			next, err = last.nextOffset()
		}
		if err != nil {
			return err
		}
		if next < l.logStart {
			l.logger.Warn("deleting all segments: the log end offset is below the log start offset",
				"log_end_offset", next, "log_start_offset", l.logStart)
			if err := l.removeSegmentsNow(l.segs); err != nil {
				return err
			}
			l.segs = nil
			if err := l.epochs.clearAndFlush(); err != nil {
				return err
			}
		} else {
			leo = next
		}
	}
	if len(l.segs) == 0 {
		s, err := createSegment(l.fsys, l.dir, l.logStart, l.newSegmentConfig(), now)
		if err != nil {
			return err
		}
		l.segs = []*segment{s}
		l.dirDirty = true
	}
	active := l.segs[len(l.segs)-1]
	if err := active.makeActive(); err != nil {
		return err
	}
	if clean {
		l.recoveryPoint = leo
	} else {
		l.recoveryPoint = min(l.recoveryPoint, leo)
	}
	l.leo, l.leoPos = leo, active.size.Load()
	if err := l.epochs.truncateFromEnd(leo); err != nil {
		return err
	}
	l.logStart = max(l.logStart, l.segs[0].base)
	l.recoveryPoint = max(l.recoveryPoint, l.logStart)
	if err := l.epochs.truncateFromStart(l.logStart); err != nil {
		return err
	}
	l.hw = min(max(l.cfg.Recovery.HighWatermark, l.logStart), l.leo)
	if l.dirDirty {
		if err := l.fsys.SyncDir(l.dir); err != nil {
			return fmt.Errorf("sync dir: %w", err)
		}
		l.dirDirty = false
	}
	return nil
}

// path is a file of the log's directory.
func (l *Log) path(name string) string { return filepath.Join(l.dir, name) }

// removeSegmentsNow deletes segments outright (during load no read can be
// using them).
func (l *Log) removeSegmentsNow(segs []*segment) error {
	for _, s := range segs {
		if err := s.remove(); err != nil {
			return err
		}
	}
	l.dirDirty = true
	return nil
}

// baseOffsetOf parses the base offset from a segment file name: the digits
// before the first '.'.
func baseOffsetOf(name string) (int64, error) {
	i := strings.IndexByte(name, '.')
	if i <= 0 {
		return 0, fmt.Errorf("%w: file %s has no base offset in its name", ErrUnsupportedLayout, name)
	}
	base, err := strconv.ParseInt(name[:i], 10, 64)
	if err != nil || base < 0 {
		return 0, fmt.Errorf("%w: file %s has no base offset in its name", ErrUnsupportedLayout, name)
	}
	return base, nil
}
