package log

import (
	"errors"
	"fmt"
)

// DeleteOldSegments applies retention, oldest segment first (Kafka's
// deleteOldSegments): segments wholly below the log start offset always, and
// with cleanup.policy delete those past retention.bytes or retention.ms. A
// segment is kept if it holds offsets at or above the high watermark, and
// the last segment is kept if it is empty; if every segment goes, the log
// first rolls so an empty one remains. The log start offset moves to the
// first remaining segment.
//
// Deleted segments are renamed with the .deleted suffix and removed
// file.delete.delay.ms later, by a later call of this method or by Close, so
// reads already handed out keep working. It returns how many segments it
// deleted.
func (l *Log) DeleteOldSegments() (int, error) {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return 0, err
	}
	if err := l.removeDue(); err != nil {
		return 0, l.fail(err)
	}
	n, err := l.deleteWhile(func(_ *segment, next *segment) (bool, error) {
		return next != nil && next.base <= l.logStart, nil
	})
	if err != nil || !l.cfg.Delete {
		return n, err
	}
	if l.cfg.RetentionBytes >= 0 {
		diff := l.Size() - l.cfg.RetentionBytes
		if diff > 0 {
			m, err := l.deleteWhile(func(s *segment, _ *segment) (bool, error) {
				if size := s.size.Load(); diff-size >= 0 {
					diff -= size
					return true, nil
				}
				return false, nil
			})
			n += m
			if err != nil {
				return n, err
			}
		}
	}
	if l.cfg.RetentionMs >= 0 {
		now := l.nowMs()
		m, err := l.deleteWhile(func(s *segment, _ *segment) (bool, error) {
			ts, err := s.largestTimestamp()
			return err == nil && now-ts > l.cfg.RetentionMs, err
		})
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// deleteWhile deletes segments from the oldest while pred holds (Kafka's
// deletableSegments plus deleteSegments).
func (l *Log) deleteWhile(pred func(s, next *segment) (bool, error)) (int, error) {
	l.mu.RLock()
	hw, leo := l.hw, l.leo
	l.mu.RUnlock()
	var n int
	for i, s := range l.segs {
		var next *segment
		upper := leo
		if i+1 < len(l.segs) {
			next, upper = l.segs[i+1], l.segs[i+1].base
		} else if s.size.Load() == 0 {
			break
		}
		if hw < upper {
			break
		}
		ok, err := pred(s, next)
		if err != nil {
			return 0, l.fail(err)
		}
		if !ok {
			break
		}
		n++
	}
	if n == 0 {
		return 0, nil
	}
	if n == len(l.segs) {
		if _, err := l.roll(leo); err != nil {
			return 0, l.fail(err)
		}
	}
	doomed := l.segs[:n]
	kept := l.segs[n:len(l.segs):len(l.segs)]
	l.mu.Lock()
	l.segs = kept
	l.mu.Unlock()
	for _, s := range doomed {
		l.logger.Info("deleting segment", "offset", s.base)
	}
	if err := l.scheduleDelete(doomed); err != nil {
		return 0, l.fail(err)
	}
	if err := l.raiseLogStart(kept[0].base); err != nil {
		return 0, l.fail(err)
	}
	return n, nil
}

// raiseLogStart moves the log start offset up to offset (never down),
// dragging the recovery point and high watermark with it, and trims the
// leader epoch cache.
func (l *Log) raiseLogStart(offset int64) error {
	l.mu.Lock()
	if offset <= l.logStart {
		l.mu.Unlock()
		return nil
	}
	l.logStart = offset
	l.hw = max(l.hw, offset)
	l.recoveryPoint = max(l.recoveryPoint, offset)
	l.mu.Unlock()
	return l.epochs.truncateFromStart(offset)
}

// IncrementLogStartOffset raises the log start offset (DeleteRecords); reads
// below it fail from now on and DeleteOldSegments removes the segments
// wholly below it. It fails with ErrOffsetOutOfRange above the high
// watermark.
func (l *Log) IncrementLogStartOffset(offset int64) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return err
	}
	if hw := l.HighWatermark(); offset > hw {
		return fmt.Errorf("%w: %s: log start offset %d is above the high watermark %d", ErrOffsetOutOfRange, l.tp, offset, hw)
	}
	if err := l.raiseLogStart(offset); err != nil {
		return l.fail(err)
	}
	return nil
}

// scheduleDelete renames segments' files with the .deleted suffix, makes
// the renames durable (a segment that came back after a crash could sit
// behind a truncation point or a new start), and queues the files' removal
// after file.delete.delay.ms (at once when it is 0).
func (l *Log) scheduleDelete(segs []*segment) error {
	if len(segs) == 0 {
		return nil
	}
	due := l.nowMs() + l.cfg.FileDeleteDelayMs
	var errs []error
	for _, s := range segs {
		if err := s.markDeleted(); err != nil {
			errs = append(errs, err)
			continue
		}
		l.pending = append(l.pending, pendingDelete{seg: s, dueMs: due})
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := l.fsys.SyncDir(l.dir); err != nil {
		return fmt.Errorf("sync dir %s: %w", l.dir, err)
	}
	return l.removeDue()
}

// removeDue removes the queued segments whose delay has passed.
func (l *Log) removeDue() error {
	now := l.nowMs()
	var errs []error
	kept := l.pending[:0]
	for _, p := range l.pending {
		if p.dueMs > now {
			kept = append(kept, p)
			continue
		}
		errs = append(errs, p.seg.remove())
		l.dirDirty = true
	}
	clear(l.pending[len(kept):])
	l.pending = kept
	return errors.Join(errs...)
}

// TruncateTo removes every batch that holds offsets at or above offset, as a
// follower does to match its leader (Kafka's truncateTo). A batch that holds
// offset is removed whole, so the log end offset becomes the start of that
// batch (Kafka sets it to offset itself). It reports whether anything was
// removed; a target at or past the log end only trims the leader epoch cache.
func (l *Log) TruncateTo(offset int64) (bool, error) {
	if offset < 0 {
		return false, fmt.Errorf("%w: %s: truncate to negative offset %d", ErrOffsetOutOfRange, l.tp, offset)
	}
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return false, err
	}
	l.truncations.Add(1)
	defer l.truncations.Add(1)
	if offset >= l.leo {
		if err := l.epochs.truncateFromEnd(l.leo); err != nil {
			return false, l.fail(err)
		}
		return false, nil
	}
	l.logger.Info("truncating log", "offset", offset)
	if l.segs[0].base > offset {
		return true, l.truncateFullyLocked(offset)
	}
	k := floorIndex(l.segs, offset) + 1
	doomed := l.segs[k:]
	kept := l.segs[:k:k]
	active := kept[len(kept)-1]
	if _, err := active.truncateTo(offset, l.nowMs()); err != nil {
		return false, l.fail(err)
	}
	// Make the cut durable now, so a crash cannot bring back batches the
	// leader told us to drop (they would pass recovery's checks).
	if err := active.flush(); err != nil {
		return false, l.fail(err)
	}
	leo, err := active.nextOffset()
	if err != nil {
		return false, l.fail(err)
	}
	l.mu.Lock()
	l.segs = kept
	l.leo, l.leoPos = leo, active.size.Load()
	l.logStart = min(l.logStart, leo)
	l.recoveryPoint = min(l.recoveryPoint, leo)
	l.hw = min(l.hw, leo)
	l.mu.Unlock()
	if err := l.scheduleDelete(doomed); err != nil {
		return false, l.fail(err)
	}
	if err := l.epochs.truncateFromEnd(leo); err != nil {
		return false, l.fail(err)
	}
	return true, nil
}

// TruncateFullyAndStartAt deletes every segment and starts the log empty at
// offset, as a follower does when its log is out of the leader's range.
func (l *Log) TruncateFullyAndStartAt(offset int64) error {
	if offset < 0 {
		return fmt.Errorf("%w: %s: start at negative offset %d", ErrOffsetOutOfRange, l.tp, offset)
	}
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if err := l.checkWritable(); err != nil {
		return err
	}
	l.truncations.Add(1)
	defer l.truncations.Add(1)
	return l.truncateFullyLocked(offset)
}

func (l *Log) truncateFullyLocked(offset int64) error {
	doomed := l.segs
	if err := l.scheduleDelete(doomed); err != nil {
		return l.fail(err)
	}
	seg, err := createSegment(l.fsys, l.dir, offset, l.newSegmentConfig(), l.nowMs())
	if err != nil {
		return l.fail(err)
	}
	l.dirDirty = true
	l.mu.Lock()
	l.segs = []*segment{seg}
	l.leo, l.leoPos = offset, 0
	l.logStart, l.recoveryPoint, l.hw = offset, offset, offset
	l.mu.Unlock()
	if err := l.epochs.clearAndFlush(); err != nil {
		return l.fail(err)
	}
	return nil
}
