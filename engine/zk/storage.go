package zk

// Storage seams of the coordination server (ARCHITECTURE.md, "Storage has
// seams"). The server appends every transaction to a TxnLog and waits for
// Sync before it replies; every snapCount transactions it writes a Snapshot.
// On start it loads the newest valid snapshot and replays the log after it.
// Each interface has a file implementation (ZooKeeper's dataDir/version-2/
// layout) and an in-memory one; shared tests run against both.

// TxnLog is the transaction log.
type TxnLog interface {
	// Append adds txns (already prepped, in zxid order) to the log. They are
	// durable only after Sync returns.
	Append(txns ...Txn) error
	// Sync makes everything appended so far durable (one fsync for a group).
	Sync() error
	// Replay calls fn for every logged txn with a zxid greater than after, in
	// zxid order. A torn or corrupt tail ends the replay and is truncated
	// away; corruption before the tail is an error naming file and offset.
	Replay(after int64, fn func(Txn) error) error
	// LastZxid is the zxid of the last txn in the log, 0 when empty.
	LastZxid() (int64, error)
	// Roll starts a new log file (after a snapshot), so old files can be purged.
	Roll() error
	Close() error
}

// SnapshotData is what a snapshot holds: every znode, the live sessions and
// the zxid the snapshot is fuzzy-consistent with (ZooKeeper's snapshots are
// fuzzy: replaying the log from LastZxid+1 repairs them).
type SnapshotData struct {
	LastZxid int64
	Sessions map[int64]int32 // session id → timeout (ms)
	Nodes    []NodeInfo      // parents before children
}

// Snapshotter stores and loads snapshots.
type Snapshotter interface {
	// Save writes a complete snapshot durably (temp file, fsync, rename).
	Save(s SnapshotData) error
	// Load returns the newest valid snapshot; ok is false when there is none.
	// An invalid newest snapshot is skipped in favour of an older valid one.
	Load() (s SnapshotData, ok bool, err error)
	// Purge keeps the newest retain snapshots and the logs they need
	// (autopurge.snapRetainCount), deleting older files.
	Purge(retain int) error
}
