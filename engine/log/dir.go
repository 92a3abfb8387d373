package log

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Dir is one entry of log.dirs: the directory holding partition directories,
// the dir-wide checkpoint files and the clean shutdown marker. It does what
// Kafka's LogManager does around the logs it opens; scheduling (periodic
// flushes, checkpoints, retention) is its owner's.
//
//	d, err := log.OpenDir(path, nil, logger)
//	l, err := d.OpenLog(tp, cfg)
//	...
//	err = d.Shutdown(logs) // flush, close, checkpoint, then the marker
type Dir struct {
	path   string
	fsys   FS
	logger *slog.Logger

	cleanShutdown   bool
	recoveryPoints  map[TopicPartition]int64
	logStartOffsets map[TopicPartition]int64
	highWatermarks  map[TopicPartition]int64
}

// OpenDir opens (creating it if needed) a log dir. It notes whether the
// previous shutdown left .kafka_cleanshutdown and removes the marker, so a
// crash from now on is seen as unclean, and reads the recovery point, log
// start offset and replication offset checkpoints; an unreadable checkpoint
// is logged and treated as empty (everything is recovered), as Kafka does.
func OpenDir(path string, fsys FS, logger *slog.Logger) (*Dir, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d := &Dir{path: path, fsys: fsOrDefault(fsys), logger: logger.With("dir", path)}
	if err := d.fsys.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("open log dir: %w", err)
	}
	marker := filepath.Join(path, CleanShutdownFile)
	d.cleanShutdown = exists(d.fsys, marker)
	read := func(name string) map[TopicPartition]int64 {
		m, err := ReadOffsetCheckpoint(d.fsys, filepath.Join(path, name))
		if err != nil {
			d.logger.Warn("unreadable checkpoint file, treating it as empty", "file", name, "err", err)
			return map[TopicPartition]int64{}
		}
		return m
	}
	d.recoveryPoints = read(RecoveryPointCheckpointFile)
	d.logStartOffsets = read(LogStartOffsetCheckpointFile)
	d.highWatermarks = read(ReplicationOffsetCheckpointFile)
	if d.cleanShutdown {
		if err := removeIfExists(d.fsys, marker); err != nil {
			return nil, fmt.Errorf("open log dir: remove %s: %w", marker, err)
		}
		if err := d.fsys.SyncDir(path); err != nil {
			return nil, fmt.Errorf("open log dir: %w", err)
		}
	}
	return d, nil
}

// Path is the directory.
func (d *Dir) Path() string { return d.path }

// HadCleanShutdown reports whether the marker was there when the dir opened.
func (d *Dir) HadCleanShutdown() bool { return d.cleanShutdown }

// Recovery is what the dir's files say about tp.
func (d *Dir) Recovery(tp TopicPartition) Recovery {
	return Recovery{
		CleanShutdown:  d.cleanShutdown,
		RecoveryPoint:  d.recoveryPoints[tp],
		LogStartOffset: d.logStartOffsets[tp],
		HighWatermark:  d.highWatermarks[tp],
	}
}

// Partitions lists the partition directories, skipping those being deleted
// or moved (-delete, -future, -stray) and anything not named topic-partition.
func (d *Dir) Partitions() ([]TopicPartition, error) {
	entries, err := d.fsys.ReadDir(d.path)
	if err != nil {
		return nil, fmt.Errorf("list log dir: %w", err)
	}
	var out []TopicPartition
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || strings.HasSuffix(name, "-delete") || strings.HasSuffix(name, "-future") || strings.HasSuffix(name, "-stray") {
			continue
		}
		tp, err := ParseTopicPartition(name)
		if err != nil {
			d.logger.Warn("skipping directory that is not topic-partition", "name", name)
			continue
		}
		out = append(out, tp)
	}
	slices.SortFunc(out, func(a, b TopicPartition) int { return strings.Compare(a.String(), b.String()) })
	return out, nil
}

// OpenLog opens tp's log with the dir's file system and recovery state.
func (d *Dir) OpenLog(tp TopicPartition, cfg Config) (*Log, error) {
	cfg.FS = d.fsys
	cfg.Recovery = d.Recovery(tp)
	return Open(filepath.Join(d.path, tp.String()), cfg, d.logger)
}

// Checkpoint writes the dir's three offset checkpoints for logs: each log's
// recovery point, its high watermark, and its log start offset where that is
// above its first segment's base (as Kafka does).
func (d *Dir) Checkpoint(logs []*Log) error {
	rp := make(map[TopicPartition]int64, len(logs))
	hw := make(map[TopicPartition]int64, len(logs))
	lso := make(map[TopicPartition]int64)
	for _, l := range logs {
		tp := l.TopicPartition()
		rp[tp] = l.RecoveryPoint()
		hw[tp] = l.HighWatermark()
		if start, bases := l.LogStartOffset(), l.SegmentBaseOffsets(); len(bases) > 0 && start > bases[0] {
			lso[tp] = start
		}
	}
	return errors.Join(
		WriteOffsetCheckpoint(d.fsys, filepath.Join(d.path, RecoveryPointCheckpointFile), rp),
		WriteOffsetCheckpoint(d.fsys, filepath.Join(d.path, ReplicationOffsetCheckpointFile), hw),
		WriteOffsetCheckpoint(d.fsys, filepath.Join(d.path, LogStartOffsetCheckpointFile), lso),
	)
}

// Shutdown closes logs (each flushes first), writes the checkpoints, then
// creates .kafka_cleanshutdown (empty, as in Kafka 2.8) so the next start
// skips recovery. When a log fails to close or a checkpoint fails, the
// marker is not written and the next start recovers.
func (d *Dir) Shutdown(logs []*Log) error {
	var errs []error
	for _, l := range logs {
		if err := l.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := d.Checkpoint(logs); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("shut down log dir %s: %w", d.path, errors.Join(errs...))
	}
	marker := filepath.Join(d.path, CleanShutdownFile)
	f, err := d.fsys.OpenFile(marker, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("shut down log dir %s: %w", d.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("shut down log dir %s: %w", d.path, err)
	}
	if err := d.fsys.SyncDir(d.path); err != nil {
		return fmt.Errorf("shut down log dir %s: %w", d.path, err)
	}
	return nil
}

// ReadMetaProperties reads the dir's meta.properties.
func (d *Dir) ReadMetaProperties() (MetaProperties, bool, error) {
	return ReadMetaProperties(d.fsys, d.path)
}

// WriteMetaProperties writes the dir's meta.properties, dated now.
func (d *Dir) WriteMetaProperties(mp MetaProperties, now time.Time) error {
	return WriteMetaProperties(d.fsys, d.path, mp, now)
}
