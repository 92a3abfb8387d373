package zk

import (
	"errors"
	"fmt"
	"slices"
	"sync"
)

// In-memory implementations of the storage seams, for tests and for a server
// run without a dataDir. They keep everything for as long as the values live:
// Close does not drop anything, so a test can stop a server and start another
// on the same MemTxnLog and MemSnapshotter to model a restart (what a restart
// would lose is what was appended but never synced, which MemTxnLog drops on
// Crash).

// ErrStorageClosed is returned by a MemTxnLog used after Close.
var ErrStorageClosed = errors.New("zk: storage closed")

// MemTxnLog is a TxnLog in memory. Segments model the log files a Roll
// starts; Purge of its MemSnapshotter drops the ones no snapshot needs. It is
// safe for concurrent use.
type MemTxnLog struct {
	mu       sync.Mutex
	segments [][]Txn // each starts where a Roll happened
	synced   int     // txns (over all segments) made durable by Sync
	total    int
	closed   bool
	syncs    int
	// FailAppend and FailSync, when set, make the next call fail with the
	// error (fault injection for tests); they are cleared when used.
	FailAppend error
	FailSync   error
}

// NewMemTxnLog returns an empty in-memory transaction log.
func NewMemTxnLog() *MemTxnLog { return &MemTxnLog{segments: [][]Txn{nil}} }

// Append implements TxnLog. Txns must come in increasing zxid order after
// everything already logged.
func (l *MemTxnLog) Append(txns ...Txn) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrStorageClosed
	}
	if err := l.FailAppend; err != nil {
		l.FailAppend = nil
		return err
	}
	last := l.lastZxidLocked()
	for _, t := range txns {
		if t.Zxid <= last {
			return fmt.Errorf("zk: append of zxid 0x%x after 0x%x", t.Zxid, last)
		}
		last = t.Zxid
	}
	seg := len(l.segments) - 1
	l.segments[seg] = append(l.segments[seg], txns...)
	l.total += len(txns)
	return nil
}

// Sync implements TxnLog.
func (l *MemTxnLog) Sync() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrStorageClosed
	}
	if err := l.FailSync; err != nil {
		l.FailSync = nil
		return err
	}
	l.synced = l.total
	l.syncs++
	return nil
}

// Syncs reports how many times Sync succeeded (group commit shows as fewer
// syncs than txns).
func (l *MemTxnLog) Syncs() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.syncs
}

// Replay implements TxnLog.
func (l *MemTxnLog) Replay(after int64, fn func(Txn) error) error {
	l.mu.Lock()
	var txns []Txn
	for _, seg := range l.segments {
		for _, t := range seg {
			if t.Zxid > after {
				txns = append(txns, t)
			}
		}
	}
	l.mu.Unlock()
	for _, t := range txns {
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}

// LastZxid implements TxnLog.
func (l *MemTxnLog) LastZxid() (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastZxidLocked(), nil
}

func (l *MemTxnLog) lastZxidLocked() int64 {
	for i := len(l.segments) - 1; i >= 0; i-- {
		if seg := l.segments[i]; len(seg) > 0 {
			return seg[len(seg)-1].Zxid
		}
	}
	return 0
}

// Roll implements TxnLog: later appends go to a new segment. Rolling an
// empty segment does nothing, as a file log does not start an empty file.
func (l *MemTxnLog) Roll() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrStorageClosed
	}
	if len(l.segments[len(l.segments)-1]) > 0 {
		l.segments = append(l.segments, nil)
	}
	return nil
}

// Close implements TxnLog. The contents stay; Reopen makes the log usable
// again (a restart).
func (l *MemTxnLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	return nil
}

// Reopen makes a closed log usable again, as a restarted server would open
// its files.
func (l *MemTxnLog) Reopen() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = false
}

// Crash drops every txn appended but not synced, as a power loss would, and
// reopens the log.
func (l *MemTxnLog) Crash() {
	l.mu.Lock()
	defer l.mu.Unlock()
	drop := l.total - l.synced
	for drop > 0 {
		seg := &l.segments[len(l.segments)-1]
		n := min(drop, len(*seg))
		*seg = (*seg)[:len(*seg)-n]
		drop -= n
		l.total -= n
		if len(*seg) == 0 && len(l.segments) > 1 {
			l.segments = l.segments[:len(l.segments)-1]
		}
	}
	l.closed = false
}

// Len is the number of txns in the log (all segments).
func (l *MemTxnLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// Segments is the number of segments (log files) kept.
func (l *MemTxnLog) Segments() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.segments)
}

// purgeBefore drops the segments holding only txns a replay from zxid
// snapZxid+1 does not need: every segment before the last one that starts at
// or below snapZxid+1 (FileTxnLog.getLogFiles' rule).
func (l *MemTxnLog) purgeBefore(snapZxid int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	keep := 0
	for i, seg := range l.segments {
		if len(seg) > 0 && seg[0].Zxid <= snapZxid+1 {
			keep = i
		}
	}
	for _, seg := range l.segments[:keep] {
		l.total -= len(seg)
		l.synced -= len(seg)
	}
	l.segments = slices.Clone(l.segments[keep:])
}

// MemSnapshotter is a Snapshotter in memory. When it was made with
// NewMemStorage, Purge also trims the log. It is safe for concurrent use.
type MemSnapshotter struct {
	mu    sync.Mutex
	snaps []SnapshotData
	log   *MemTxnLog
	// FailSave, when set, makes the next Save fail with it.
	FailSave error
}

// NewMemSnapshotter returns an empty in-memory snapshotter.
func NewMemSnapshotter() *MemSnapshotter { return &MemSnapshotter{} }

// NewMemStorage returns an in-memory log and a snapshotter whose Purge drops
// the log segments older snapshots needed.
func NewMemStorage() (*MemTxnLog, *MemSnapshotter) {
	l := NewMemTxnLog()
	return l, &MemSnapshotter{log: l}
}

// Save implements Snapshotter. The node list and session map are copied;
// the data and ACL slices inside are shared (the tree never modifies them).
func (s *MemSnapshotter) Save(d SnapshotData) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.FailSave; err != nil {
		s.FailSave = nil
		return err
	}
	c := SnapshotData{LastZxid: d.LastZxid, Nodes: slices.Clone(d.Nodes), Sessions: make(map[int64]int32, len(d.Sessions))}
	for id, to := range d.Sessions {
		c.Sessions[id] = to
	}
	s.snaps = append(s.snaps, c)
	return nil
}

// Load implements Snapshotter.
func (s *MemSnapshotter) Load() (SnapshotData, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.snaps) == 0 {
		return SnapshotData{}, false, nil
	}
	return s.snaps[len(s.snaps)-1], true, nil
}

// Purge implements Snapshotter.
func (s *MemSnapshotter) Purge(retain int) error {
	s.mu.Lock()
	if retain < 1 {
		retain = 1
	}
	if len(s.snaps) > retain {
		s.snaps = slices.Clone(s.snaps[len(s.snaps)-retain:])
	}
	var oldest int64 = -1
	if len(s.snaps) > 0 {
		oldest = s.snaps[0].LastZxid
	}
	log := s.log
	s.mu.Unlock()
	if log != nil && oldest >= 0 {
		log.purgeBefore(oldest)
	}
	return nil
}

// Count is the number of snapshots kept.
func (s *MemSnapshotter) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.snaps)
}
