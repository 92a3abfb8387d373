package zk

// File implementations of the storage seams: FileTxnLog and FileSnapshotter
// keep ZooKeeper's dataDir/version-2/ layout (log.<hex zxid>,
// snapshot.<hex zxid>); Restore rebuilds a tree from them. doc.go ("On-disk
// format") describes the bytes; txncodec.go encodes the records. Every file
// operation goes through FS, so tests can inject faults and crashes.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ---- the file-system seam ----

// FS is the file-system seam of the file storage: the few calls it makes.
// OSFS is the real one; tests substitute one that injects failures and
// simulates crashes.
type FS interface {
	// OpenFile opens a file as os.OpenFile does.
	OpenFile(name string, flag int, perm fs.FileMode) (File, error)
	// Rename renames a file, replacing newpath atomically.
	Rename(oldpath, newpath string) error
	// Remove removes a file.
	Remove(name string) error
	// ReadDir returns the names of the entries of dir, sorted.
	ReadDir(dir string) ([]string, error)
	// MkdirAll creates dir and its parents.
	MkdirAll(dir string, perm fs.FileMode) error
	// SyncDir makes dir's entries (creations, renames, removals) durable.
	SyncDir(dir string) error
}

// File is an open file of an FS.
type File interface {
	io.ReaderAt
	io.WriterAt
	// Sync makes the file's data and size durable (fsync).
	Sync() error
	// Truncate changes the file's size; growing it adds zeros.
	Truncate(size int64) error
	// Size returns the file's size.
	Size() (int64, error)
	Close() error
}

// OSFS is the operating system's file system.
var OSFS FS = osFS{}

type osFS struct{}

type osFile struct{ *os.File }

func (f osFile) Size() (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func (osFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

func (osFS) Rename(oldpath, newpath string) error        { return os.Rename(oldpath, newpath) }
func (osFS) Remove(name string) error                    { return os.Remove(name) }
func (osFS) MkdirAll(dir string, perm fs.FileMode) error { return os.MkdirAll(dir, perm) }

func (osFS) ReadDir(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	return names, nil
}

// SyncDir fsyncs the directory (a no-op on Windows, which cannot).
func (osFS) SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// ---- options ----

// DefaultPreAllocSize is how far a txn log file is extended with zeros at a
// time: 64 MiB, ZooKeeper's zookeeper.preAllocSize default (65536 KB).
const DefaultPreAllocSize = 64 << 20

// VersionDir is the subdirectory of dataDir (and dataLogDir) holding the
// files, named after the format version as in ZooKeeper.
const VersionDir = "version-2"

// FileOption configures NewFileTxnLog and NewFileSnapshotter.
type FileOption func(*fileConfig)

type fileConfig struct {
	fs        FS
	logger    *slog.Logger
	preAlloc  int64
	forceSync bool
	logDir    string
	fsyncWarn time.Duration
}

func newFileConfig(opts []FileOption) fileConfig {
	c := fileConfig{fs: OSFS, preAlloc: DefaultPreAllocSize, forceSync: true, fsyncWarn: time.Second}
	for _, o := range opts {
		o(&c)
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// WithFS makes the storage use fsys instead of OSFS.
func WithFS(fsys FS) FileOption { return func(c *fileConfig) { c.fs = fsys } }

// WithStorageLogger sets where the storage reports what it repaired or
// skipped (a torn tail truncated, an invalid snapshot passed over, a slow
// fsync). The default discards.
func WithStorageLogger(l *slog.Logger) FileOption { return func(c *fileConfig) { c.logger = l } }

// WithPreAllocSize sets the txn log's preallocation step in bytes
// (zookeeper.preAllocSize is in KB: multiply by 1024). 0 disables
// preallocation.
func WithPreAllocSize(n int64) FileOption {
	return func(c *fileConfig) { c.preAlloc = max(n, 0) }
}

// WithForceSync is ZooKeeper's forceSync: false makes TxnLog.Sync write
// without fsync, so acknowledged txns survive a crash of the process but not
// of the machine. File creation, rolls and repairs still fsync.
func WithForceSync(on bool) FileOption { return func(c *fileConfig) { c.forceSync = on } }

// WithLogDir tells a FileSnapshotter where the txn logs live (dataLogDir;
// by default the snapshots' dataDir), for Purge.
func WithLogDir(dataLogDir string) FileOption { return func(c *fileConfig) { c.logDir = dataLogDir } }

// WithFsyncWarning sets the fsync duration above which a warning is logged
// (fsync.warningthresholdms; default 1s, 0 never).
func WithFsyncWarning(d time.Duration) FileOption { return func(c *fileConfig) { c.fsyncWarn = d } }

// ---- names ----

const (
	logPrefix  = "log"
	snapPrefix = "snapshot"
	tmpSuffix  = ".tmp"
)

// fileName is Util.makeLogName / makeSnapshotName: prefix.<lowercase hex>.
func fileName(prefix string, zxid int64) string {
	return prefix + "." + strconv.FormatInt(zxid, 16)
}

// parseFileName returns the zxid of "prefix.<hex>" as fileName writes it;
// other names (ZooKeeper's compressed "snapshot.<hex>.gz", our temp files,
// hex with leading zeros) fail.
func parseFileName(name, prefix string) (int64, bool) {
	rest, ok := strings.CutPrefix(name, prefix+".")
	if !ok {
		return 0, false
	}
	z, err := strconv.ParseInt(rest, 16, 64)
	return z, err == nil && z >= 0 && strconv.FormatInt(z, 16) == rest
}

type dataFile struct {
	name string
	zxid int64
}

// listFiles returns dir's files named prefix.<hex>, by zxid ascending.
func listFiles(fsys FS, dir, prefix string) ([]dataFile, error) {
	names, err := fsys.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []dataFile
	for _, n := range names {
		if z, ok := parseFileName(n, prefix); ok {
			out = append(out, dataFile{n, z})
		}
	}
	slices.SortFunc(out, func(a, b dataFile) int {
		if a.zxid != b.zxid {
			return cmpInt64(a.zxid, b.zxid)
		}
		return strings.Compare(a.name, b.name)
	})
	return out, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ---- the txn log ----

const (
	fileHeaderLen = 16 // FileHeader{int magic; int version; long dbid}
	recHeaderLen  = 12 // long checksum; int length
	// recOverhead is the framing around a payload: header and end marker.
	recOverhead = recHeaderLen + 1
	// endOfRecord is the byte after each payload ('B', as in ZooKeeper).
	endOfRecord = 'B'
	// padMargin: extend the file when a write would come this close to
	// its end (FilePadding's 4 KB).
	padMargin = 4096
	// sectorSize is the granularity of the torn-write check.
	sectorSize = 512
)

var zeroRecHeader [recHeaderLen]byte

// CorruptLogError reports a txn log that cannot be read past Offset of File
// for a reason other than a torn tail. The server must not start on it: an
// operator repairs or removes the file (everything before Offset is good).
type CorruptLogError struct {
	File   string
	Offset int64
	Reason string
}

func (e *CorruptLogError) Error() string {
	return fmt.Sprintf("zk: txn log %s is corrupt at offset %d: %s", e.File, e.Offset, e.Reason)
}

// ErrLogClosed is returned by a FileTxnLog after Close.
var ErrLogClosed = errors.New("zk: txn log closed")

// FileTxnLog is the txn log as ZooKeeper's FileTxnLog keeps it: files
// version-2/log.<hex zxid of their first txn>. It is safe for concurrent
// use: Append only encodes into memory, so the owner of the tree can keep
// appending while another goroutine runs Sync (write and one fsync for the
// whole group). The first Append after opening or after Roll starts a new
// file; existing files are only read (and their torn tails cut on open).
//
// After a failed write, truncate or fsync the log is failed: what reached
// the disk is unknown (an fsync error may have dropped dirty pages), so
// every later Append, Sync and Roll returns the error and the server must
// restart, which recovers from the files.
type FileTxnLog struct {
	dir string
	cfg fileConfig

	mu      sync.Mutex // guards the fields below; wmu is taken first
	pending []byte     // encoded records not yet written
	starts  []fileStart
	newFile bool  // the next Append begins a file
	last    int64 // zxid of the last txn appended
	failed  error
	closed  bool

	wmu         sync.Mutex // serializes writing and reading the files
	cur         *logFile   // the file being written; nil before the first flush
	spare       []byte
	spareStarts []fileStart
}

// fileStart marks a record in pending that begins a new file.
type fileStart struct {
	off  int
	zxid int64
}

type logFile struct {
	f     File
	path  string
	end   int64 // header and records written
	size  int64 // file size: end plus zero padding
	dirty bool  // written since the last fsync
}

// NewFileTxnLog opens the txn log in dataLogDir/version-2 (created if
// missing). It repairs the newest file: a torn tail (an incomplete or
// checksum-failing last record, or zero padding) is truncated away and a
// file with no complete record is removed. A damaged record anywhere else
// in that file is a *CorruptLogError; older files are checked by Replay.
func NewFileTxnLog(dataLogDir string, opts ...FileOption) (*FileTxnLog, error) {
	l := &FileTxnLog{dir: filepath.Join(dataLogDir, VersionDir), cfg: newFileConfig(opts), newFile: true}
	if err := l.cfg.fs.MkdirAll(l.dir, 0o755); err != nil {
		return nil, fmt.Errorf("zk: txn log: %w", err)
	}
	if err := l.repair(); err != nil {
		return nil, err
	}
	return l, nil
}

// Dir is the directory holding the log files (dataLogDir/version-2).
func (l *FileTxnLog) Dir() string { return l.dir }

// repair scans the newest files until one holds a record, cutting torn tails
// and removing files without a record, makes that file durable, and sets
// last.
func (l *FileTxnLog) repair() error {
	files, err := listFiles(l.cfg.fs, l.dir, logPrefix)
	if err != nil {
		return fmt.Errorf("zk: txn log: %w", err)
	}
	for i := len(files) - 1; i >= 0; i-- {
		path := filepath.Join(l.dir, files[i].name)
		res, err := l.scan(path, files[i].zxid, true, 0, nil)
		if err != nil {
			return err
		}
		if res.records == 0 {
			l.cfg.logger.Warn("zk: removing txn log without a complete record", "file", path, "size", res.size, "reason", res.torn)
			if err := l.cfg.fs.Remove(path); err != nil {
				return fmt.Errorf("zk: txn log: %w", err)
			}
			if err := l.cfg.fs.SyncDir(l.dir); err != nil {
				return fmt.Errorf("zk: txn log: %w", err)
			}
			continue
		}
		if res.torn != "" {
			l.cfg.logger.Warn("zk: truncating torn tail of txn log", "file", path, "offset", res.end, "bytes", res.size-res.end, "reason", res.torn, "last_zxid", fmt.Sprintf("%#x", res.last))
		}
		// Cut what follows the last record and fsync the file and its
		// directory even when nothing was cut: what this process
		// replays and builds on must be durable, though the process
		// that wrote it may have died before its fsync (or seen the
		// fsync fail).
		if err := l.settle(path, res.end, res.end < res.size); err != nil {
			return err
		}
		if err := l.cfg.fs.SyncDir(l.dir); err != nil {
			return fmt.Errorf("zk: txn log: %w", err)
		}
		l.last = res.last
		return nil
	}
	return nil
}

// settle truncates the file at path to size (when cut) and fsyncs it.
func (l *FileTxnLog) settle(path string, size int64, cut bool) error {
	f, err := l.cfg.fs.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("zk: txn log: %w", err)
	}
	if cut {
		err = f.Truncate(size)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("zk: txn log: truncating %s: %w", path, err)
	}
	return nil
}

func (l *FileTxnLog) usable() error {
	if l.closed {
		return ErrLogClosed
	}
	return l.failed
}

// Append encodes txns into the pending group. Their zxids must increase and
// follow the last appended one. Nothing is written until Sync (or Replay).
func (l *FileTxnLog) Append(txns ...Txn) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	mark, marks, last, newFile := len(l.pending), len(l.starts), l.last, l.newFile
	for _, txn := range txns {
		var err error
		if txn.Zxid <= last {
			err = fmt.Errorf("zk: txn log: zxid %#x appended after %#x", txn.Zxid, last)
		}
		if err == nil && newFile {
			l.starts = append(l.starts, fileStart{len(l.pending), txn.Zxid})
			newFile = false
		}
		at := len(l.pending)
		if err == nil {
			l.pending = append(l.pending, zeroRecHeader[:]...)
			l.pending, err = appendTxn(l.pending, txn)
		}
		if err == nil && len(l.pending)-at-recHeaderLen > math.MaxInt32 {
			err = fmt.Errorf("zk: txn log: txn %#x too large", txn.Zxid)
		}
		if err != nil {
			l.pending, l.starts = l.pending[:mark], l.starts[:marks]
			return err
		}
		payload := l.pending[at+recHeaderLen:]
		binary.BigEndian.PutUint64(l.pending[at:], uint64(adler32.Checksum(payload)))
		binary.BigEndian.PutUint32(l.pending[at+8:], uint32(len(payload)))
		l.pending = append(l.pending, endOfRecord)
		last = txn.Zxid
	}
	l.last, l.newFile = last, newFile
	return nil
}

// Sync writes everything appended since the last Sync and fsyncs once
// (no fsync with WithForceSync(false)). Appends may continue meanwhile; they
// belong to the next group.
func (l *FileTxnLog) Sync() error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	return l.flush(true)
}

// flush writes the pending records; with sync it then fsyncs. wmu is held.
func (l *FileTxnLog) flush(sync bool) error {
	l.mu.Lock()
	if err := l.usable(); err != nil {
		l.mu.Unlock()
		return err
	}
	buf, starts := l.pending, l.starts
	l.pending, l.starts = l.spare[:0], l.spareStarts[:0]
	l.mu.Unlock()

	err := l.write(buf, starts)
	if err == nil && sync {
		err = l.syncCur()
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	if cap(buf) <= 16<<20 {
		l.spare, l.spareStarts = buf[:0], starts[:0]
	} else {
		l.spare, l.spareStarts = nil, nil
	}
	if err != nil && l.failed == nil {
		l.failed = fmt.Errorf("zk: txn log failed, restart to recover: %w", err)
	}
	if err != nil {
		return l.failed
	}
	return nil
}

func (l *FileTxnLog) write(buf []byte, starts []fileStart) error {
	from := 0
	for _, s := range starts {
		if s.off > from {
			if err := l.writeCur(buf[from:s.off]); err != nil {
				return err
			}
		}
		if err := l.finishCur(); err != nil {
			return err
		}
		if err := l.createFile(s.zxid); err != nil {
			return err
		}
		from = s.off
	}
	if len(buf) > from {
		return l.writeCur(buf[from:])
	}
	return nil
}

// writeCur appends b to the current file, extending it with zeros first
// when b would come within padMargin of its end (FilePadding.padFile).
func (l *FileTxnLog) writeCur(b []byte) error {
	c := l.cur
	if c == nil {
		return errors.New("zk: txn log: no file to write")
	}
	need := c.end + int64(len(b))
	if p := l.cfg.preAlloc; p > 0 && need+padMargin > c.size {
		size := (need+padMargin)/p*p + p
		if err := c.f.Truncate(size); err != nil {
			return fmt.Errorf("preallocating %s: %w", c.path, err)
		}
		c.size = size
	}
	n, err := c.f.WriteAt(b, c.end)
	c.end += int64(n)
	c.size = max(c.size, c.end)
	c.dirty = true
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", c.path, err)
	}
	return nil
}

func (l *FileTxnLog) syncCur() error {
	c := l.cur
	if c == nil || !c.dirty {
		return nil
	}
	if l.cfg.forceSync {
		start := time.Now()
		if err := c.f.Sync(); err != nil {
			return fmt.Errorf("fsync %s: %w", c.path, err)
		}
		if d := time.Since(start); l.cfg.fsyncWarn > 0 && d > l.cfg.fsyncWarn {
			l.cfg.logger.Warn(fmt.Sprintf("fsync-ing the write ahead log took %dms which will adversely effect operation latency. File size is %d bytes. See the ZooKeeper troubleshooting guide", d.Milliseconds(), c.size), "file", c.path)
		}
	}
	c.dirty = false
	return nil
}

// finishCur makes the current file complete and durable before another is
// begun: its zero padding is cut off and it is fsynced, so only the newest
// file can ever hold a torn record.
func (l *FileTxnLog) finishCur() error {
	c := l.cur
	if c == nil {
		return nil
	}
	if c.size > c.end {
		if err := c.f.Truncate(c.end); err != nil {
			return fmt.Errorf("truncating %s: %w", c.path, err)
		}
		c.size = c.end
		c.dirty = true
	}
	if c.dirty {
		if err := c.f.Sync(); err != nil {
			return fmt.Errorf("fsync %s: %w", c.path, err)
		}
		c.dirty = false
	}
	l.cur = nil
	if err := c.f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", c.path, err)
	}
	return nil
}

// createFile begins log.<hex zxid>: header, first preallocation, fsync of
// the file and of the directory, so the file exists durably before a record
// of it is acknowledged.
func (l *FileTxnLog) createFile(zxid int64) error {
	path := filepath.Join(l.dir, fileName(logPrefix, zxid))
	f, err := l.cfg.fs.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	c := &logFile{f: f, path: path}
	hdr := binary.BigEndian.AppendUint32(nil, uint32(logMagic))
	hdr = binary.BigEndian.AppendUint32(hdr, uint32(fileVersion))
	hdr = binary.BigEndian.AppendUint64(hdr, uint64(logDBID))
	l.cur = c
	if err := l.writeCur(hdr); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", path, err)
	}
	c.dirty = false
	return l.cfg.fs.SyncDir(l.dir)
}

// Roll makes the next Append begin a new file, so that the files before it
// can be purged once a snapshot covers them. Nothing is written until then.
func (l *FileTxnLog) Roll() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	l.newFile = true
	return nil
}

// LastZxid is the zxid of the last txn appended (synced or not), or found in
// the files on open; 0 when the log is empty.
func (l *FileTxnLog) LastZxid() (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last, nil
}

// Close syncs what is pending, cuts the current file's padding and closes
// it. A failed log closes without writing.
func (l *FileTxnLog) Close() error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	failed := l.failed
	l.mu.Unlock()
	var err error
	if failed == nil {
		err = l.flush(true)
		if err == nil {
			err = l.finishCur()
			if err != nil {
				err = fmt.Errorf("zk: txn log: %w", err)
			}
		}
	}
	if c := l.cur; c != nil {
		c.f.Close()
		l.cur = nil
	}
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	return err
}

// Replay calls fn, in zxid order, for every txn with a zxid above after: in
// the files, and those appended but not yet synced (they are written, not
// fsynced, first). It reads the file that may hold after+1 and every later
// one. A torn tail of the newest file ends the replay; a damaged record
// anywhere else is a *CorruptLogError. fn must not call Sync, Roll or
// Close; Replay is meant for start-up, before appending.
func (l *FileTxnLog) Replay(after int64, fn func(Txn) error) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	l.mu.Lock()
	closed, failed := l.closed, l.failed
	l.mu.Unlock()
	if closed {
		return ErrLogClosed
	}
	if failed == nil {
		if err := l.flush(false); err != nil {
			return err
		}
	}
	files, err := listFiles(l.cfg.fs, l.dir, logPrefix)
	if err != nil {
		return fmt.Errorf("zk: txn log: %w", err)
	}
	start := 0
	for i, f := range files {
		if f.zxid <= after || (after < math.MaxInt64 && f.zxid == after+1) {
			start = i
		}
	}
	prev := int64(math.MinInt64)
	for i := start; i < len(files); i++ {
		path := filepath.Join(l.dir, files[i].name)
		res, err := l.scan(path, files[i].zxid, i == len(files)-1, prev, func(txn Txn) error {
			if txn.Zxid <= after {
				return nil
			}
			return fn(txn)
		})
		if err != nil {
			return err
		}
		if res.records > 0 {
			prev = res.last
		}
	}
	return nil
}

// scanResult is what scan found in one log file.
type scanResult struct {
	size    int64
	end     int64  // offset after the last good record (the header's end when none)
	records int    // good records
	last    int64  // zxid of the last good record
	torn    string // why the file's records end before its size ("" for padding or none)
}

// scan reads one log file, calling fn (if not nil) for each good record. In
// the newest file (newest) a torn tail ends the records; anywhere else a
// damaged record is a *CorruptLogError, as are zxids that do not increase
// (from prev) or a first zxid other than the file's name.
func (l *FileTxnLog) scan(path string, nameZxid int64, newest bool, prev int64, fn func(Txn) error) (scanResult, error) {
	var res scanResult
	f, err := l.cfg.fs.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return res, fmt.Errorf("zk: txn log: %w", err)
	}
	defer f.Close()
	if res.size, err = f.Size(); err != nil {
		return res, fmt.Errorf("zk: txn log: %w", err)
	}
	corrupt := func(off int64, format string, args ...any) error {
		return &CorruptLogError{File: path, Offset: off, Reason: fmt.Sprintf(format, args...)}
	}
	ioErr := func(err error) error { return fmt.Errorf("zk: txn log: reading %s: %w", path, err) }

	// The header. In the newest file a short or zero header is a file
	// whose creation did not complete.
	var hdr [fileHeaderLen]byte
	if res.size < fileHeaderLen {
		if n, err := f.ReadAt(hdr[:res.size], 0); err != nil && !(errors.Is(err, io.EOF) && int64(n) == res.size) {
			return res, ioErr(err)
		}
		if newest {
			res.torn = "incomplete file header"
			return res, nil
		}
		return res, corrupt(0, "file of %d bytes has no complete header", res.size)
	}
	if _, err := f.ReadAt(hdr[:], 0); err != nil {
		return res, ioErr(err)
	}
	magic, version := int32(binary.BigEndian.Uint32(hdr[0:])), int32(binary.BigEndian.Uint32(hdr[4:]))
	if magic != logMagic || version != fileVersion {
		// In the newest file, a header followed by nothing but zeros
		// is one whose writing was interrupted.
		if newest {
			zero, err := allZero(f, fileHeaderLen, res.size)
			if err != nil {
				return res, ioErr(err)
			}
			if zero {
				res.torn = "incomplete file header"
				return res, nil
			}
		}
		if magic != logMagic {
			return res, corrupt(0, "bad magic %#08x, not a txn log", uint32(magic))
		}
		return res, corrupt(4, "unsupported version %d", version)
	}
	res.end = fileHeaderLen

	// The records.
	br := bufio.NewReaderSize(io.NewSectionReader(f, fileHeaderLen, res.size-fileHeaderLen), 256<<10)
	var rh [recHeaderLen]byte
	var payload []byte
	off := int64(fileHeaderLen)
	last := prev
	for {
		rem := res.size - off
		if rem == 0 {
			return res, nil
		}
		var bad string
		var claimed int64 // the damaged record's extent, when its length is plausible
		if rem < recOverhead {
			bad = fmt.Sprintf("%d bytes too short for a record", rem)
		} else {
			if _, err := io.ReadFull(br, rh[:]); err != nil {
				return res, ioErr(err)
			}
			sum := binary.BigEndian.Uint64(rh[0:])
			n := int64(int32(binary.BigEndian.Uint32(rh[8:])))
			switch {
			case n == 0:
				// The end of the records: zero padding follows.
				zero, err := allZero(f, off, res.size)
				if err != nil {
					return res, ioErr(err)
				}
				if zero {
					return res, nil
				}
				bad = "record of length 0 before non-zero data"
			case n < 0 || n+recOverhead > rem:
				bad = fmt.Sprintf("record length %d runs past the end of the file", n)
			default:
				claimed = n + recOverhead
				if int64(cap(payload)) < n+1 {
					payload = make([]byte, n+1)
				}
				payload = payload[:n+1]
				if _, err := io.ReadFull(br, payload); err != nil {
					return res, ioErr(err)
				}
				switch {
				case payload[n] != endOfRecord:
					bad = fmt.Sprintf("end-of-record byte %#02x, want 0x42", payload[n])
				case sum != uint64(adler32.Checksum(payload[:n])):
					bad = fmt.Sprintf("checksum mismatch (stored %#x, computed %#x)", sum, adler32.Checksum(payload[:n]))
				}
			}
		}
		if bad != "" {
			if !newest {
				return res, corrupt(off, "%s", bad)
			}
			torn, err := tornRecord(f, off, claimed, res.size)
			if err != nil {
				return res, ioErr(err)
			}
			if !torn {
				return res, corrupt(off, "%s", bad)
			}
			res.torn = bad
			return res, nil
		}
		txn, err := decodeTxn(payload[:claimed-recOverhead])
		if err != nil {
			return res, corrupt(off, "%v", err)
		}
		if res.records == 0 && txn.Zxid != nameZxid {
			return res, corrupt(off, "first zxid %#x in a file named for %#x", txn.Zxid, nameZxid)
		}
		if txn.Zxid <= last {
			return res, corrupt(off, "zxid %#x after %#x", txn.Zxid, last)
		}
		if fn != nil {
			if err := fn(txn); err != nil {
				return res, err
			}
		}
		last = txn.Zxid
		res.records++
		res.last = txn.Zxid
		off += claimed
		res.end = off
	}
}

// tornRecord decides whether a damaged record at off of the newest file is
// a torn write (the tail of an interrupted append, never acknowledged)
// rather than corruption. It is torn when its length runs past the end of
// the file (claimed 0), when everything after it is zero, or when one of its
// 512-byte sectors reads as all zeros: a sector the disk never wrote, as
// etcd's WAL decides. Anything else (a flipped bit in data that goes on) is
// corruption.
func tornRecord(f File, off, claimed, size int64) (bool, error) {
	if claimed == 0 {
		return true, nil
	}
	end := off + claimed
	if zero, err := allZero(f, end, size); err != nil || zero {
		return zero, err
	}
	rec := make([]byte, claimed)
	if _, err := f.ReadAt(rec, off); err != nil {
		return false, err
	}
	for a := off; a < end; {
		b := min((a/sectorSize+1)*sectorSize, end)
		if !slices.ContainsFunc(rec[a-off:b-off], func(c byte) bool { return c != 0 }) {
			return true, nil
		}
		a = b
	}
	return false, nil
}

// allZero reports whether bytes [from, to) of f are all zero.
func allZero(f File, from, to int64) (bool, error) {
	buf := make([]byte, min(to-from, 64<<10))
	for from < to {
		n := min(int64(len(buf)), to-from)
		if _, err := f.ReadAt(buf[:n], from); err != nil {
			return false, err
		}
		if slices.ContainsFunc(buf[:n], func(c byte) bool { return c != 0 }) {
			return false, nil
		}
		from += n
	}
	return true, nil
}

// ---- snapshots ----

// FileSnapshotter keeps snapshots as ZooKeeper's FileSnap does:
// dataDir/version-2/snapshot.<hex zxid>, written whole to a .tmp file,
// fsynced, renamed into place and the directory fsynced. It is safe for
// concurrent use (calls are serialized).
type FileSnapshotter struct {
	dir    string
	logDir string
	cfg    fileConfig
	mu     sync.Mutex
}

// NewFileSnapshotter opens the snapshot directory dataDir/version-2
// (created if missing). Purge deletes txn logs from the same directory
// unless WithLogDir names dataLogDir.
func NewFileSnapshotter(dataDir string, opts ...FileOption) (*FileSnapshotter, error) {
	cfg := newFileConfig(opts)
	s := &FileSnapshotter{dir: filepath.Join(dataDir, VersionDir), cfg: cfg}
	s.logDir = s.dir
	if cfg.logDir != "" {
		s.logDir = filepath.Join(cfg.logDir, VersionDir)
	}
	if err := cfg.fs.MkdirAll(s.dir, 0o755); err != nil {
		return nil, fmt.Errorf("zk: snapshots: %w", err)
	}
	return s, nil
}

// Dir is the directory holding the snapshots (dataDir/version-2).
func (s *FileSnapshotter) Dir() string { return s.dir }

// Save writes snapshot.<hex s.LastZxid> durably: a temp file, fsync,
// rename, fsync of the directory. A snapshot of the same zxid is replaced.
func (s *FileSnapshotter) Save(snap SnapshotData) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := filepath.Join(s.dir, fileName(snapPrefix, snap.LastZxid))
	tmp := path + tmpSuffix
	f, err := s.cfg.fs.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("zk: snapshot: %w", err)
	}
	err = writeSnapshot(&offsetWriter{f: f}, snap)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.cfg.fs.Rename(tmp, path)
	}
	if err != nil {
		s.cfg.fs.Remove(tmp)
		return fmt.Errorf("zk: snapshot %s: %w", path, err)
	}
	if err := s.cfg.fs.SyncDir(s.dir); err != nil {
		return fmt.Errorf("zk: snapshot %s: %w", path, err)
	}
	return nil
}

type offsetWriter struct {
	f   File
	off int64
}

func (w *offsetWriter) Write(b []byte) (int, error) {
	n, err := w.f.WriteAt(b, w.off)
	w.off += int64(n)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return n, err
}

// Load returns the newest snapshot that reads back whole (header, every
// record, checksum), with LastZxid from its name. Invalid newer ones are
// skipped with a warning through the logger (WithStorageLogger). ok is
// false when there is no snapshot file; when there are some and none is
// valid, Load fails rather than let the server start from an empty tree.
func (s *FileSnapshotter) Load() (SnapshotData, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	files, err := listFiles(s.cfg.fs, s.dir, snapPrefix)
	if err != nil {
		return SnapshotData{}, false, fmt.Errorf("zk: snapshots: %w", err)
	}
	for i := len(files) - 1; i >= 0; i-- {
		path := filepath.Join(s.dir, files[i].name)
		snap, err := s.read(path)
		if err == nil {
			snap.LastZxid = files[i].zxid
			return snap, true, nil
		}
		s.cfg.logger.Warn("zk: skipping invalid snapshot", "file", path, "err", err)
	}
	if len(files) > 0 {
		return SnapshotData{}, false, fmt.Errorf("zk: no valid snapshot in %s (%d invalid)", s.dir, len(files))
	}
	return SnapshotData{}, false, nil
}

func (s *FileSnapshotter) read(path string) (SnapshotData, error) {
	f, err := s.cfg.fs.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return SnapshotData{}, err
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return SnapshotData{}, err
	}
	return readSnapshot(io.NewSectionReader(f, 0, size), size)
}

// sealed is SnapStream.isValidCheckedStream, the cheap test Purge uses:
// the file ends with a seal's "/" (int 1, '/').
func (s *FileSnapshotter) sealed(path string) bool {
	f, err := s.cfg.fs.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil || size < fileHeaderLen+5 {
		return false
	}
	var tail [5]byte
	if _, err := f.ReadAt(tail[:], size-5); err != nil {
		return false
	}
	return bytes.Equal(tail[:], []byte{0, 0, 0, 1, '/'})
}

// MinSnapRetainCount is the least autopurge.snapRetainCount ZooKeeper
// accepts; Purge raises a smaller retain to it.
const MinSnapRetainCount = 3

// Purge is PurgeTxnLog.purge: it keeps the newest retain (at least 3)
// snapshots that look complete (they end in a seal), and deletes every
// snapshot, leftover temp file and txn log named for a zxid below the
// oldest kept one, except the newest log named at or below it, which may
// hold the txns that follow it.
func (s *FileSnapshotter) Purge(retain int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	retain = max(retain, MinSnapRetainCount)
	fsys := s.cfg.fs
	names, err := fsys.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("zk: purge: %w", err)
	}
	var rmErr error
	remove := func(dir, name string) {
		if err := fsys.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) && rmErr == nil {
			rmErr = fmt.Errorf("zk: purge: %w", err)
		}
	}
	snaps, err := listFiles(fsys, s.dir, snapPrefix)
	if err != nil {
		return fmt.Errorf("zk: purge: %w", err)
	}
	var kept []dataFile
	for i := len(snaps) - 1; i >= 0 && len(kept) < retain; i-- {
		if s.sealed(filepath.Join(s.dir, snaps[i].name)) {
			kept = append(kept, snaps[i])
		}
	}
	if len(kept) == 0 {
		return rmErr
	}
	least := kept[len(kept)-1].zxid
	for _, f := range snaps {
		if f.zxid < least {
			remove(s.dir, f.name)
		}
	}
	// Temp files a crash left behind: only those below the oldest kept
	// snapshot, so a Save in progress elsewhere is never disturbed.
	for _, n := range names {
		if base, ok := strings.CutSuffix(n, tmpSuffix); ok {
			if z, ok := parseFileName(base, snapPrefix); ok && z < least {
				remove(s.dir, n)
			}
		}
	}
	logs, err := listFiles(fsys, s.logDir, logPrefix)
	if err != nil {
		return fmt.Errorf("zk: purge: %w", err)
	}
	keepFrom := 0
	for i, f := range logs {
		if f.zxid <= least {
			keepFrom = i
		}
	}
	for _, f := range logs[:keepFrom] {
		remove(s.logDir, f.name)
	}
	if err := fsys.SyncDir(s.dir); err != nil && rmErr == nil {
		rmErr = fmt.Errorf("zk: purge: %w", err)
	}
	if s.logDir != s.dir {
		if err := fsys.SyncDir(s.logDir); err != nil && rmErr == nil {
			rmErr = fmt.Errorf("zk: purge: %w", err)
		}
	}
	return rmErr
}

// ---- recovery ----

// Restore rebuilds tree, which must be fresh from NewTree, from storage:
// the newest valid snapshot (nodes through RestoreNode, sessions through
// RestoreSession, its zxid through SetLastZxid), then every logged txn after
// it through Apply. Snapshots may be fuzzy: Apply tolerates txns the
// snapshot already reflects. It returns the zxid the tree is at, the one the
// server continues from.
func Restore(tree *Tree, snaps Snapshotter, log TxnLog) (int64, error) {
	if tree.LastZxid() != 0 || tree.Pending() != 0 {
		return 0, errors.New("zk: restore into a tree that is not fresh")
	}
	snap, ok, err := snaps.Load()
	if err != nil {
		return 0, fmt.Errorf("zk: restore: %w", err)
	}
	var after int64
	if ok {
		for _, ni := range snap.Nodes {
			if err := tree.RestoreNode(ni); err != nil {
				return 0, fmt.Errorf("zk: restore: snapshot %#x: %w", snap.LastZxid, err)
			}
		}
		for id, timeout := range snap.Sessions {
			tree.RestoreSession(id, timeout)
		}
		tree.SetLastZxid(snap.LastZxid)
		after = snap.LastZxid
	}
	if err := log.Replay(after, func(txn Txn) error {
		tree.Apply(txn)
		return nil
	}); err != nil {
		return 0, fmt.Errorf("zk: restore: %w", err)
	}
	return tree.LastZxid(), nil
}
