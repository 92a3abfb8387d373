package log

import "errors"

// Sentinels returned by this package, wrapped with %w and the offending file,
// offset or value. Test for them with errors.Is. The broker maps them to wire
// codes at its one boundary (ErrOffsetOutOfRange → OFFSET_OUT_OF_RANGE,
// ErrCorruptBatch → CORRUPT_MESSAGE, ErrBatchTooLarge → RECORD_LIST_TOO_LARGE
// or MESSAGE_TOO_LARGE, ErrFailed → KAFKA_STORAGE_ERROR, and so on).
var (
	// ErrCorruptBatch: an entry whose length field, magic or CRC is wrong
	// (Kafka's CorruptRecordException).
	ErrCorruptBatch = errors.New("log: corrupt record batch")

	// ErrTruncatedBatch: fewer bytes than the entry's length field promises; at
	// the end of a segment file this is a torn write.
	ErrTruncatedBatch = errors.New("log: truncated record batch")

	// ErrUnsupportedMagic: a valid legacy (magic 0 or 1) entry given to Append,
	// which stores magic 2 only; the produce handler up-converts first.
	ErrUnsupportedMagic = errors.New("log: unsupported record batch magic")

	// ErrInvalidBatch: a well-formed batch the log cannot take as it is (a
	// negative lastOffsetDelta, an empty append).
	ErrInvalidBatch = errors.New("log: invalid record batch")

	// ErrBatchTooLarge: a batch over max.message.bytes or an append over
	// segment.bytes (Kafka's RecordTooLargeException and
	// RecordBatchTooLargeException).
	ErrBatchTooLarge = errors.New("log: record batch too large")

	// ErrOffsetOutOfRange: a read below the log start offset or above the log
	// end offset, or a log start offset above the high watermark.
	ErrOffsetOutOfRange = errors.New("log: offset out of range")

	// ErrUnexpectedOffset: a follower append that starts below the log end
	// offset or whose offsets do not increase (Kafka's
	// UnexpectedAppendOffsetException and OffsetsOutOfOrderException).
	ErrUnexpectedOffset = errors.New("log: unexpected append offset")

	// ErrOffsetOverflow: an offset that does not fit a segment's 32-bit
	// relative offsets.
	ErrOffsetOverflow = errors.New("log: offset overflows the segment")

	// ErrMalformedCheckpoint: a checkpoint, leader-epoch-checkpoint,
	// partition.metadata or meta.properties file that does not parse.
	ErrMalformedCheckpoint = errors.New("log: malformed checkpoint file")

	// ErrInconsistentTopicID: a topic id different from the one already in
	// partition.metadata.
	ErrInconsistentTopicID = errors.New("log: inconsistent topic id")

	// ErrUnsupportedLayout: files this slice cannot recover without losing
	// data (the .swap files of an interrupted compaction).
	ErrUnsupportedLayout = errors.New("log: unsupported log directory layout")

	// ErrInvalidConfig: a Config value out of range.
	ErrInvalidConfig = errors.New("log: invalid config")

	// ErrClosed: a call on a closed Log.
	ErrClosed = errors.New("log: log is closed")

	// ErrFailed: a mutation on a Log that an earlier I/O error took offline
	// (Kafka marks the log dir offline). Close it and open it again: recovery
	// truncates whatever the failure left half-written.
	ErrFailed = errors.New("log: log failed after an i/o error")

	// ErrInjected is the default error of a FaultFS fault.
	ErrInjected = errors.New("log: injected fault")
)
