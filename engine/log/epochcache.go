package log

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"
)

// Values of OffsetForLeaderEpoch answers that know nothing
// (EpochEndOffset.UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET).
const (
	UndefinedEpoch       int32 = -1
	UndefinedEpochOffset int64 = -1
)

// epochCache is the leader epoch cache and its leader-epoch-checkpoint file
// (Kafka's LeaderEpochFileCache): the start offset of each leader epoch,
// ascending in both. Every change rewrites the file atomically.
type epochCache struct {
	fsys FS
	path string

	mu      sync.RWMutex
	entries []EpochEntry
}

// loadEpochCache reads path, creating it empty when missing as Kafka's
// CheckpointFile does. Entries go through assign, which drops any that break
// monotonicity.
func loadEpochCache(fsys FS, path string) (*epochCache, error) {
	c := &epochCache{fsys: fsys, path: path}
	data, err := readFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		f, err := fsys.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		return c, f.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	entries, err := ParseLeaderEpochCheckpoint(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	for _, e := range entries {
		if e.Epoch < 0 || e.StartOffset < 0 {
			return nil, fmt.Errorf("read %s: %w: invalid entry %d %d", path, ErrMalformedCheckpoint, e.Epoch, e.StartOffset)
		}
		c.assignLocked(e)
	}
	return c, nil
}

func (c *epochCache) flushLocked() error {
	return writeFileAtomic(c.fsys, c.path, AppendLeaderEpochCheckpoint(nil, c.entries))
}

func (c *epochCache) latestLocked() (EpochEntry, bool) {
	if len(c.entries) == 0 {
		return EpochEntry{}, false
	}
	return c.entries[len(c.entries)-1], true
}

// latestEpoch is the newest epoch.
func (c *epochCache) latestEpoch() (int32, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.latestLocked()
	return e.Epoch, ok
}

// earliest is the oldest entry.
func (c *epochCache) earliest() (EpochEntry, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if len(c.entries) == 0 {
		return EpochEntry{}, false
	}
	return c.entries[0], true
}

// snapshot copies the entries.
func (c *epochCache) snapshot() []EpochEntry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.entries)
}

// assign records that epoch starts at startOffset, removing newer or
// overlapping entries, and rewrites the file if anything changed. Negative
// values are ignored (a batch without a leader epoch).
func (c *epochCache) assign(epoch int32, startOffset int64) error {
	if epoch < 0 || startOffset < 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.assignLocked(EpochEntry{Epoch: epoch, StartOffset: startOffset}) {
		return nil
	}
	return c.flushLocked()
}

func (c *epochCache) assignLocked(e EpochEntry) bool {
	if last, ok := c.latestLocked(); ok && e.Epoch == last.Epoch && e.StartOffset >= last.StartOffset {
		return false
	}
	n := len(c.entries)
	for n > 0 && (c.entries[n-1].Epoch >= e.Epoch || c.entries[n-1].StartOffset >= e.StartOffset) {
		n--
	}
	c.entries = append(c.entries[:n], e)
	return true
}

// truncateFromEnd removes the entries starting at or after endOffset.
func (c *epochCache) truncateFromEnd(endOffset int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	last, ok := c.latestLocked()
	if endOffset < 0 || !ok || last.StartOffset < endOffset {
		return nil
	}
	n := len(c.entries)
	for n > 0 && c.entries[n-1].StartOffset >= endOffset {
		n--
	}
	c.entries = c.entries[:n]
	return c.flushLocked()
}

// truncateFromStart removes the entries starting at or before startOffset and
// puts the last of them back starting at startOffset.
func (c *epochCache) truncateFromStart(startOffset int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for n < len(c.entries) && c.entries[n].StartOffset <= startOffset {
		n++
	}
	if n == 0 {
		return nil
	}
	first := EpochEntry{Epoch: c.entries[n-1].Epoch, StartOffset: startOffset}
	c.entries = append([]EpochEntry{first}, c.entries[n:]...)
	return c.flushLocked()
}

// clearAndFlush removes every entry.
func (c *epochCache) clearAndFlush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
	return c.flushLocked()
}

// endOffsetFor answers OffsetForLeaderEpoch: the largest epoch <= requested
// and the start offset of the epoch after it (the log end offset for the
// latest epoch), as LeaderEpochFileCache.endOffsetFor does.
func (c *epochCache) endOffsetFor(requested int32, logEndOffset int64) (int32, int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if requested == UndefinedEpoch {
		return UndefinedEpoch, UndefinedEpochOffset
	}
	if last, ok := c.latestLocked(); ok && last.Epoch == requested {
		return requested, logEndOffset
	}
	higher := -1
	for i, e := range c.entries {
		if e.Epoch > requested {
			higher = i
			break
		}
	}
	switch {
	case higher < 0:
		return UndefinedEpoch, UndefinedEpochOffset
	case higher == 0:
		return requested, c.entries[0].StartOffset
	default:
		return c.entries[higher-1].Epoch, c.entries[higher].StartOffset
	}
}
