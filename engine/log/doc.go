// Package log is a partition's commit log on disk, in Apache Kafka 2.8's own
// format: a log dir written here can be read by Kafka and by kafka-dump-log,
// and one written by Kafka opens here.
//
// # Layout
//
//	<log.dir>/
//	  meta.properties                    broker identity (Java properties)
//	  .kafka_cleanshutdown               present only after a clean shutdown (empty)
//	  recovery-point-offset-checkpoint   per partition: offsets below are flushed
//	  log-start-offset-checkpoint        per partition: first readable offset
//	  replication-offset-checkpoint      per partition: high watermark
//	  <topic>-<partition>/               one Log (topic = text before the last '-')
//	    00000000000000000000.log         batches, byte-identical to the wire
//	    00000000000000000000.index       offset index
//	    00000000000000000000.timeindex   time index
//	    leader-epoch-checkpoint          leader epoch → first offset
//	    partition.metadata               topic id
//
// A segment's files are named after its base offset (the first offset it may
// hold, the log end offset when it was rolled) zero-padded to 20 digits.
// Temporary suffixes: .deleted (removed file.delete.delay.ms after retention
// or truncation dropped the segment), .tmp (a checkpoint being replaced),
// .cleaned and .swap (compaction; see "Missing").
//
// # Entries of a .log file
//
// All integers are big-endian. A .log file is a sequence of entries, each
// opened by an int64 offset and an int32 length of what follows (12 bytes,
// LogOverhead). The log only writes v2 RecordBatches:
//
//	off size field
//	  0    8 baseOffset            first offset; assigned by Append in place
//	  8    4 batchLength           bytes after this field
//	 12    4 partitionLeaderEpoch  stamped by Append in place
//	 16    1 magic                 2
//	 17    4 crc                   CRC-32C (Castagnoli) of bytes [21, end)
//	 21    2 attributes            bits 0-2 codec (none, gzip, snappy, lz4, zstd),
//	                               3 LogAppendTime, 4 transactional, 5 control,
//	                               6 delete horizon
//	 23    4 lastOffsetDelta       last offset − baseOffset
//	 27    8 firstTimestamp
//	 35    8 maxTimestamp
//	 43    8 producerId            -1 if none
//	 51    2 producerEpoch
//	 53    4 baseSequence
//	 57    4 recordCount
//	 61    … records               varint-framed, compressed as one stream if codec ≠ 0
//
// The CRC starts after partitionLeaderEpoch, so assigning offsets and epochs
// never recomputes it. Batches are stored and served untouched otherwise.
// A log written by an older Kafka may hold legacy entries (magic 0 or 1: an
// int32 CRC-32 of the bytes from magic on at offset 12, magic at 16,
// attributes at 17, a v1 timestamp at 18); the log reads, indexes and
// recovers them at the entry level but Append takes magic 2 only.
//
// An entry is well-framed when its length is at least 14 (49 for magic 2,
// 22 for magic 1) and the file holds all of it; it is valid when its CRC
// matches too. A file that ends inside an entry has a torn tail.
//
// # .index
//
// Entries of int32 relativeOffset (offset − base offset) and int32 position
// in the .log. The index is sparse: before an append, once more than
// index.interval.bytes were appended since the last entry, an entry maps the
// new append's last offset to the position where the append starts. A lookup
// takes the entry with the largest offset <= the target (or position 0) and
// scans batch headers forward to the batch whose last offset reaches it.
//
// # .timeindex
//
// Entries of int64 timestamp and int32 relativeOffset, written with the
// offset index entries, only when the segment's largest timestamp grew: the
// entry maps that timestamp to the offset Kafka records for it (the first
// record holding it in an uncompressed batch, the batch's last offset
// otherwise; the batch's last offset during recovery). When the segment
// rolls or closes one last entry records its largest timestamp, so the index
// counts as full one slot early.
//
// Both indexes are preallocated (zero-filled) to segment.index.bytes, rounded
// down to whole entries, while their segment is active, and trimmed to their
// entries when it rolls or the log closes. They are read into memory on first
// use (no mmap), and only their consistent leading entries are believed, so
// the zeros of an untrimmed index cost nothing but scanning. They carry no
// checksums: a missing or torn index is rebuilt from the .log.
//
// # Text files
//
// recovery-point-offset-checkpoint, log-start-offset-checkpoint and
// replication-offset-checkpoint: a version line "0", a count line, then one
// "topic partition offset" line per partition. leader-epoch-checkpoint: "0",
// the count, then "epoch startOffset" lines, ascending. All are replaced
// atomically: written to <name>.tmp, fsynced, renamed over the old file, and
// the directory fsynced. partition.metadata is exactly
// "version: 0\ntopic_id: <22-character URL-safe base64>" (no final newline).
// meta.properties is Java's Properties.store output: "#", a date line, then
// broker.id, version and cluster.id (version 0) lines.
//
// # Crash safety
//
// Appends go to the page cache with one positional write; fsync happens when
// Flush is called, when flush.messages offsets are unflushed, and when the
// log rolls (the old segment is flushed before the new one takes appends).
// The recovery point is the offset below which everything was flushed; the
// owner checkpoints it. Dir.Shutdown flushes and closes every log, writes the
// checkpoints, then the clean shutdown marker. On the next open:
//
//   - after a clean shutdown nothing is scanned (only the active segment's
//     tail after its last index entry, to find the log end offset);
//   - otherwise every segment from the one holding the recovery point on is
//     scanned and validated, its indexes rebuilt and its leader epochs
//     replayed; the first invalid or torn batch and everything after it
//     (later segments included) are removed. Segments below the recovery
//     point are not read.
//
// An I/O error while writing takes the Log offline (ErrFailed): recovery on
// the next Open repairs what the failure left half-done.
//
// # Concurrency
//
// A Log takes one mutation at a time (Append, roll, truncation, retention,
// Flush, Close) and any number of concurrent reads, which work on a snapshot
// of the segment list and end offset. No goroutines are started; periodic
// work (retention, flushes, checkpoints) is the caller's.
//
// # Missing
//
// Not in this slice: compaction (.cleaned/.swap handling, cleaner-offset-checkpoint),
// producer state and .snapshot files, .txnindex and the last stable offset,
// appending legacy v0/v1 message sets and down-conversion, splitting legacy
// segments whose offsets overflow, flush.ms and the schedulers, and the
// kafka-dump-log tool.
package log
