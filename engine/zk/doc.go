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
package zk
