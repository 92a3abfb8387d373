package log

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
)

// FaultOp is the FS call a Fault matches.
type FaultOp uint8

// The calls a FaultFS can fail.
const (
	FaultOpen FaultOp = iota + 1
	FaultWrite
	FaultSync
	FaultTruncate
	FaultRename
	FaultRemove
	FaultSyncDir
)

// Fault makes matching calls fail.
type Fault struct {
	Op    FaultOp
	Path  string // a substring of the file's path; "" matches every path
	After int    // matching calls that succeed before the fault fires
	Times int    // how many times it fires: 0 means once, negative forever
	Short int    // FaultWrite: bytes really written before the error (a short write)
	Err   error  // what the call returns; nil means ErrInjected
}

// FaultFS wraps an FS for tests: it fails the calls its faults match, and
// Crash simulates a power loss by damaging what was written since the last
// fsync. It is safe for concurrent use.
type FaultFS struct {
	base FS

	mu     sync.Mutex
	faults []*faultState
	fired  int
	files  map[string]*durability
}

type faultState struct {
	Fault
	seen, fired int
}

// durability tracks what of a file is not known to be on disk.
type durability struct {
	synced  int64  // the size as of the last fsync (or the open)
	pending []span // writes since the last fsync
	handles []*faultFile
}

type span struct{ off, end int64 }

// NewFaultFS wraps base (OSFS when nil).
func NewFaultFS(base FS) *FaultFS {
	return &FaultFS{base: fsOrDefault(base), files: map[string]*durability{}}
}

// Inject adds a fault.
func (f *FaultFS) Inject(flt Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, &faultState{Fault: flt})
}

// Reset removes every fault (not the crash tracking).
func (f *FaultFS) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = nil
}

// Fired counts the faults fired so far.
func (f *FaultFS) Fired() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fired
}

// check returns the error of the first fault matching op on path, if one fires.
func (f *FaultFS) check(op FaultOp, path string) (*Fault, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.faults {
		if s.Op != op || !strings.Contains(path, s.Path) {
			continue
		}
		s.seen++
		if s.seen <= s.After {
			continue
		}
		limit := s.Times
		if limit == 0 {
			limit = 1
		}
		if limit > 0 && s.fired >= limit {
			continue
		}
		s.fired++
		f.fired++
		err := s.Err
		if err == nil {
			err = ErrInjected
		}
		flt := s.Fault
		return &flt, &fs.PathError{Op: faultOpName(op), Path: path, Err: err}
	}
	return nil, nil
}

func faultOpName(op FaultOp) string {
	switch op {
	case FaultOpen:
		return "open"
	case FaultWrite:
		return "write"
	case FaultSync:
		return "sync"
	case FaultTruncate:
		return "truncate"
	case FaultRename:
		return "rename"
	case FaultRemove:
		return "remove"
	case FaultSyncDir:
		return "syncdir"
	}
	return "op"
}

// OpenFile implements FS.
func (f *FaultFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	if _, err := f.check(FaultOpen, name); err != nil {
		return nil, err
	}
	file, err := f.base.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	ff := &faultFile{File: file, fs: f, path: name}
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.files[name]
	if d == nil {
		d = &durability{}
		if st, err := file.Stat(); err == nil {
			d.synced = st.Size()
		}
		f.files[name] = d
	}
	if flag&os.O_TRUNC != 0 {
		d.synced, d.pending = 0, nil
	}
	d.handles = append(d.handles, ff)
	return ff, nil
}

// Remove implements FS.
func (f *FaultFS) Remove(name string) error {
	if _, err := f.check(FaultRemove, name); err != nil {
		return err
	}
	if err := f.base.Remove(name); err != nil {
		return err
	}
	f.mu.Lock()
	delete(f.files, name)
	f.mu.Unlock()
	return nil
}

// Rename implements FS. Renames count as durable at once.
func (f *FaultFS) Rename(oldpath, newpath string) error {
	if _, err := f.check(FaultRename, oldpath); err != nil {
		return err
	}
	if err := f.base.Rename(oldpath, newpath); err != nil {
		return err
	}
	f.mu.Lock()
	if d, ok := f.files[oldpath]; ok {
		delete(f.files, oldpath)
		f.files[newpath] = d
		for _, h := range d.handles {
			h.path = newpath
		}
	}
	f.mu.Unlock()
	return nil
}

// ReadDir implements FS.
func (f *FaultFS) ReadDir(name string) ([]fs.DirEntry, error) { return f.base.ReadDir(name) }

// MkdirAll implements FS.
func (f *FaultFS) MkdirAll(name string, perm fs.FileMode) error { return f.base.MkdirAll(name, perm) }

// Stat implements FS.
func (f *FaultFS) Stat(name string) (fs.FileInfo, error) { return f.base.Stat(name) }

// SyncDir implements FS.
func (f *FaultFS) SyncDir(name string) error {
	if _, err := f.check(FaultSyncDir, name); err != nil {
		return err
	}
	return f.base.SyncDir(name)
}

// Crash simulates a power loss: for every file, each write since its last
// fsync independently survives whole, is lost (reads back as zeros) or
// survives only up to a random byte, and the file's length ends up anywhere
// between its length at the last fsync and its current length. Truncations
// and renames count as durable. Open handles keep working on the damaged
// files, so the code under test must be abandoned (not closed) and its
// directory opened again.
func (f *FaultFS) Crash(rng *rand.Rand) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for path, d := range f.files {
		if len(d.pending) == 0 {
			continue
		}
		file, err := f.base.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return err
		}
		st, err := file.Stat()
		if err != nil {
			file.Close()
			return err
		}
		size := st.Size()
		for _, sp := range d.pending {
			end := min(sp.end, size)
			if sp.off >= end {
				continue
			}
			from := sp.off
			switch rng.IntN(3) {
			case 0: // survives
				continue
			case 2: // survives up to a random byte
				from += rng.Int64N(end - sp.off)
			}
			if _, err := file.WriteAt(make([]byte, end-from), from); err != nil {
				file.Close()
				return err
			}
		}
		if size > d.synced {
			if err := file.Truncate(d.synced + rng.Int64N(size-d.synced+1)); err != nil {
				file.Close()
				return err
			}
		}
		if err := file.Close(); err != nil {
			return err
		}
		d.pending = nil
	}
	return nil
}

// faultFile is a File of a FaultFS.
type faultFile struct {
	File
	fs   *FaultFS
	path string
}

func (ff *faultFile) track(fn func(d *durability)) {
	ff.fs.mu.Lock()
	defer ff.fs.mu.Unlock()
	if d := ff.fs.files[ff.path]; d != nil {
		fn(d)
	}
}

// WriteAt implements File; a fault may write a prefix first.
func (ff *faultFile) WriteAt(p []byte, off int64) (int, error) {
	if flt, err := ff.fs.check(FaultWrite, ff.path); err != nil {
		n := 0
		if k := min(flt.Short, len(p)); k > 0 {
			n, _ = ff.File.WriteAt(p[:k], off)
			ff.noteWrite(off, n)
		}
		return n, err
	}
	n, err := ff.File.WriteAt(p, off)
	ff.noteWrite(off, n)
	return n, err
}

func (ff *faultFile) noteWrite(off int64, n int) {
	if n <= 0 {
		return
	}
	ff.track(func(d *durability) {
		sp := span{off, off + int64(n)}
		if k := len(d.pending); k > 0 && d.pending[k-1].end == sp.off {
			d.pending[k-1].end = sp.end
			return
		}
		d.pending = append(d.pending, sp)
	})
}

// Sync implements File; a failed fsync leaves everything pending.
func (ff *faultFile) Sync() error {
	if _, err := ff.fs.check(FaultSync, ff.path); err != nil {
		return err
	}
	if err := ff.File.Sync(); err != nil {
		return err
	}
	st, err := ff.File.Stat()
	if err != nil {
		return err
	}
	ff.track(func(d *durability) { d.synced, d.pending = st.Size(), nil })
	return nil
}

// Truncate implements File.
func (ff *faultFile) Truncate(size int64) error {
	if _, err := ff.fs.check(FaultTruncate, ff.path); err != nil {
		return err
	}
	if err := ff.File.Truncate(size); err != nil {
		return err
	}
	ff.track(func(d *durability) {
		d.synced = min(d.synced, size)
		d.pending = slices.DeleteFunc(d.pending, func(sp span) bool { return sp.off >= size })
		for i := range d.pending {
			d.pending[i].end = min(d.pending[i].end, size)
		}
	})
	return nil
}

// Close implements File.
func (ff *faultFile) Close() error {
	ff.track(func(d *durability) {
		d.handles = slices.DeleteFunc(d.handles, func(h *faultFile) bool { return h == ff })
	})
	return ff.File.Close()
}
