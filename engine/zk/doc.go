// Package zk is the coordination server: a ZooKeeper 3.8 that zkCli, kazoo,
// go-zookeeper and Kafka brokers cannot tell from Apache ZooKeeper.
//
// # The state machine
//
// At its core is Tree, a pure state machine in the shape of ZooKeeper's own
// request pipeline. One owner goroutine steps it; it does no I/O, keeps no
// clock (times come in PrepContext) and holds no package state.
//
//	         ┌──────── Prep(req, ctx) ────────┐            ┌──── Apply(txn) ────┐
//	request ─┤ checks in ZooKeeper's order,   ├─ Txn ─ log ┤ mutates the tree,  ├─ Result
//	         │ against tree + outstanding     │  (zxid)    │ fires watches      │  (per-op results,
//	         │ changes; records new ones      │            │ releases changes   │   events)
//	         └────────────────────────────────┘            └────────────────────┘
//
// Prep is PrepRequestProcessor: it validates a write (path, parent, ACL,
// existence, version, emptiness, ephemeral parent, session) against the tree
// as it will be once every transaction already prepped is applied, and turns
// it into a Txn carrying the zxid the server assigned. A failed write is an
// OpError txn: it still consumes its zxid and is logged, as ZooKeeper does.
// Between Prep and Apply the server appends the txn to its log and fsyncs;
// several txns may be prepped before the first is applied (group commit),
// because Prep keeps ZooKeeper's "outstanding changes" overlay. Apply is
// DataTree.processTxn: it changes the tree, fires watches and drops the
// overlay records up to its zxid. Apply alone also replays a log.
//
// Reads (Exists, GetData, GetChildren, GetACL, GetAllChildrenNumber,
// GetEphemerals, MultiRead) are FinalRequestProcessor's: they see applied
// state only and check READ (getACL: READ or ADMIN) against the caller's
// ids. Requests from one connection must reach the tree in order, reads
// behind that connection's pending writes; that ordering is the server's.
//
// # ZooKeeper's bookkeeping, reproduced
//
//   - Stat: nodes keep StatPersisted; the visible cversion is
//     2*creations - numChildren. The internal creation counter also names
//     sequential children (%010d, never reused after deletes; a failed create
//     takes no number).
//   - Ephemeral owners: a session id; containers Long.MIN_VALUE; TTL nodes
//     0xFF in the high byte and the TTL in the low 40 bits. Clients see 0 for
//     the latter two. ExpiredContainersAndTTLs lists what the reaper should
//     delete with DeleteContainerReq.
//   - Special nodes: "/", "/zookeeper", "/zookeeper/quota" and
//     "/zookeeper/config" as a fresh 3.8 standalone server has them.
//   - ACLs: FixupACL and CheckACL follow PrepRequestProcessor.fixupACL and
//     ZooKeeperServer.checkACL with the default providers (ip, digest) and
//     super ids; ACL lists are interned with reference counts.
//   - Sessions: createSession and closeSession are transactions; the tree
//     keeps the session table a snapshot needs and marks a session closing
//     when its closeSession is prepped. Its ephemerals are deleted in one
//     txn, in the order ZooKeeper would list them.
//   - Orders: ZooKeeper returns children and ephemeral sets in Java HashSet
//     iteration order; jset reproduces it so a client listing children sees
//     the order a real server gives.
//   - Watches: data and child tables keyed by watcher (the session), one-shot
//     or persistent (recursive) as in 3.8's WatchManager, events filtered by
//     the watcher's READ permission as 3.8.4 does, setWatches catch-up by
//     mzxid/pzxid against the client's last zxid.
//
// # Errors
//
// Errors are the sentinels of errors.go ("zk: node does not exist"),
// wrapped with the path; Code maps them to ZooKeeper's error codes in one
// table, at the wire boundary.
//
// # Not here
//
// Quotas (/zookeeper/quota accounting and enforcement), reconfig, the tree
// digest, local sessions and SASL providers are not modelled. The wire codec,
// connections, session expiry, the txn log and snapshots live elsewhere and
// reach the tree only through Prep, Apply, the reads, Walk and the Restore
// methods.
//
// # On-disk format
//
// The file storage (storage_file.go, txncodec.go) keeps Apache ZooKeeper
// 3.8's layout and bytes (FileTxnLog, FileSnap): ZooKeeper's
// zkTxnLogToolkit.sh and zkSnapShotToolkit.sh read our files, and we read
// theirs (testdata/storage/zk38). Integers are big-endian jute; a buffer or
// ustring is an int length (-1 null) and its bytes; a vector is an int count
// and its elements.
//
//	dataLogDir/version-2/log.<hex zxid>    txn log, named for its first txn (lowercase hex, no padding)
//	dataDir/version-2/snapshot.<hex zxid>  snapshot, named for the last zxid it reflects
//	dataDir/version-2/snapshot.<hex>.tmp   a snapshot being written; ignored, purged with older snapshots
//
// A txn log file:
//
//	header   int magic "ZKLG" (0x5A4B4C47) | int version 2 | long dbid 0
//	record*  long checksum | int length n | n bytes payload | byte 0x42 ('B')
//	zeros    preallocation
//
// The checksum is the Adler-32 of the payload, as ZooKeeper computes it (a
// CRC-32C would be stronger, but then ZooKeeper's tools could not read the
// files; a torn write, what it must catch, is caught either way). The
// payload is TxnHeader{long session; int cxid; long zxid; long time; int
// type} and the record of the type (see Txn; a multi's record is
// vector<{int type; buffer record}>). ZooKeeper 3.6+ may append a
// TxnDigest{int version; long digest}: skipped when read, never written.
//
// Writing. Append encodes into memory; Sync writes the group with one write
// and one fsync (no fsync with forceSync=no), while further Appends collect
// the next group. When a write would come within 4 KiB of the end of the
// file, the file is first extended with zeros to the next multiple of
// preAllocSize (64 MiB). The first Append after opening or after Roll
// begins a new file, which is created, given its header and first zeros,
// and fsynced with its directory before any of its records is written.
// Before it is begun, the previous file's zeros are cut off and that file is
// fsynced: only the newest file can end in a torn record. A log whose write
// or fsync failed refuses every later write (the process restarts and
// recovers from the files).
//
// Recovery. Records are read up to the end of the file or a zero length.
// On open, the newest file is repaired: one whose header never completed,
// or that holds no complete record, is removed; a damaged last record (its
// length runs past the end of the file, or its end marker or checksum is
// wrong) is a torn write when the bytes after it are all zeros or one of
// its 512-byte sectors reads as zeros (a sector never written, etcd's test),
// and the file is truncated at it and a warning logged; its zero padding is
// cut too. The file and its directory are then fsynced, whether or not
// anything was cut: the process that wrote it may have died before its
// fsync, and what is replayed must be durable before anything is built on
// it. Nothing is ever appended to an existing file. Any
// other damage, a record that does not decode, zxids that do not increase,
// or a first zxid other than the file's name is a *CorruptLogError: "zk: txn
// log <file> is corrupt at offset <n>: <reason>", everything before offset
// n being intact. Older files are checked when Replay reads them, and no
// torn record is accepted there.
//
// A snapshot file (FileSnap.serialize without the digest section):
//
//	header    int magic "ZKSN" (0x5A4B534E) | int version 2 | long dbid -1
//	sessions  int count | (long id | int timeout) per session, by id
//	ACL cache int count | (long id | vector<ACL{int perms; ustring scheme; ustring id}>) per distinct list, ids 1.. by first use
//	nodes     (ustring path | buffer data | long acl id | StatPersisted) per node, depth first from the root (path ""), parents before children
//	end       ustring "/"
//	seal      long Adler-32 of every byte before it | ustring "/"
//
// StatPersisted is czxid, mzxid, ctime, mtime (longs), version, cversion,
// aversion (ints), ephemeralOwner, pzxid (longs); cversion is the internal
// count of child creations, which numbers sequential children. ACL id -1
// reads as OPEN_ACL_UNSAFE. The zxid is only in the file name, as in
// ZooKeeper. Save writes the .tmp file, fsyncs it, renames it and fsyncs the
// directory. Load reads the newest snapshot whose every record, parent link,
// ACL id and seal checks out (ZooKeeper's digest section after the seal is
// accepted), skipping invalid newer ones with a warning; when snapshots
// exist and none is valid it fails rather than start empty. Purge is
// PurgeTxnLog's: keep the newest max(retain, 3) snapshots that end in a seal,
// delete every snapshot and log named below the oldest kept, except the
// newest log named at or below it. Restore loads the snapshot into a fresh
// tree and replays the log after its zxid through Apply, which tolerates
// the txns a fuzzy snapshot already reflects.
package zk
