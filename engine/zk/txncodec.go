package zk

// Binary encodings of the storage layer, in ZooKeeper's own jute layouts
// (zookeeper.jute, FileTxnLog, FileSnap, DataTree.serialize), so Apache
// ZooKeeper's zkTxnLogToolkit.sh and zkSnapShotToolkit.sh read our files and
// we read theirs. The file framing around these records (headers, checksums,
// end markers) is in storage_file.go; doc.go describes the whole format.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/adler32"
	"io"
	"slices"

	"github.com/kafkago/kafka/wire"
)

// errTxnCodec is wrapped by every encoding and decoding failure of a txn.
var errTxnCodec = errors.New("zk: txn codec")

// txnDigestLen is the size of the TxnDigest{int version; long treeDigest}
// ZooKeeper 3.6+ appends to a logged txn when its digest is enabled. We
// write none and skip one when reading ZooKeeper's logs.
const txnDigestLen = 12

// appendTxn appends the log payload of txn: TxnHeader{long clientId; int
// cxid; long zxid; long time; int type} followed by the record of its type
// (see Txn). It fails for a type ZooKeeper does not log and for a multi
// nested in a multi.
func appendTxn(dst []byte, txn Txn) ([]byte, error) {
	dst = wire.AppendInt64(dst, txn.Session)
	dst = wire.AppendInt32(dst, txn.Cxid)
	dst = wire.AppendInt64(dst, txn.Zxid)
	dst = wire.AppendInt64(dst, txn.Time)
	dst = wire.AppendInt32(dst, int32(txn.Type))
	return appendTxnRecord(dst, txn, false)
}

// appendTxnRecord appends the record of one (sub-)transaction.
func appendTxnRecord(dst []byte, txn Txn, sub bool) ([]byte, error) {
	switch txn.Type {
	case OpCreate, OpCreate2: // CreateTxn
		dst = appendPathDataACL(dst, txn)
		dst = wire.AppendBool(dst, txn.Ephemeral)
		dst = wire.AppendInt32(dst, txn.ParentCversion)
	case OpCreateContainer: // CreateContainerTxn
		dst = appendPathDataACL(dst, txn)
		dst = wire.AppendInt32(dst, txn.ParentCversion)
	case OpCreateTTL: // CreateTTLTxn
		dst = appendPathDataACL(dst, txn)
		dst = wire.AppendInt32(dst, txn.ParentCversion)
		dst = wire.AppendInt64(dst, txn.TTL)
	case OpDelete, OpDeleteContainer: // DeleteTxn
		dst = wire.AppendString(dst, txn.Path)
	case OpSetData: // SetDataTxn
		dst = wire.AppendString(dst, txn.Path)
		dst = wire.AppendBuffer(dst, txn.Data)
		dst = wire.AppendInt32(dst, txn.Version)
	case OpSetACL: // SetACLTxn
		dst = wire.AppendString(dst, txn.Path)
		dst = appendACLs(dst, txn.ACL)
		dst = wire.AppendInt32(dst, txn.Version)
	case OpCheck: // CheckVersionTxn
		dst = wire.AppendString(dst, txn.Path)
		dst = wire.AppendInt32(dst, txn.Version)
	case OpCreateSession: // CreateSessionTxn
		dst = wire.AppendInt32(dst, txn.Timeout)
	case OpCloseSession: // CloseSessionTxn
		dst = wire.AppendStrings(dst, txn.Paths)
	case OpError: // ErrorTxn
		dst = wire.AppendInt32(dst, Code(txn.Err))
	case OpMulti: // MultiTxn{vector<Txn{int type; buffer data}>}
		if sub {
			return dst, fmt.Errorf("%w: multi inside a multi", errTxnCodec)
		}
		dst = wire.AppendVectorLen(dst, len(txn.Ops))
		for _, op := range txn.Ops {
			dst = wire.AppendInt32(dst, int32(op.Type))
			lenAt := len(dst)
			dst = wire.AppendInt32(dst, 0)
			var err error
			if dst, err = appendTxnRecord(dst, op, true); err != nil {
				return dst, err
			}
			n := len(dst) - lenAt - 4
			copy(dst[lenAt:], wire.AppendInt32(nil, int32(n)))
		}
	default:
		return dst, fmt.Errorf("%w: cannot log txn type %d", errTxnCodec, txn.Type)
	}
	return dst, nil
}

func appendPathDataACL(dst []byte, txn Txn) []byte {
	dst = wire.AppendString(dst, txn.Path)
	dst = wire.AppendBuffer(dst, txn.Data)
	return appendACLs(dst, txn.ACL)
}

// appendACLs appends vector<ACL{int perms; Id{ustring scheme; ustring id}}>.
func appendACLs(dst []byte, acl []ACL) []byte {
	dst = wire.AppendVectorLen(dst, len(acl))
	for _, a := range acl {
		dst = wire.AppendInt32(dst, a.Perms)
		dst = wire.AppendString(dst, a.Id.Scheme)
		dst = wire.AppendString(dst, a.Id.ID)
	}
	return dst
}

// decodeTxn decodes a log payload appendTxn wrote, or one Apache ZooKeeper
// 3.x wrote: a trailing TxnDigest is skipped, and a closeSession without a
// body (closeSessionTxn disabled, or before 3.6) has no paths. Slices in the
// result never alias b. For an OpError (and a multi's failed op) Err is the
// sentinel of the logged code.
func decodeTxn(b []byte) (Txn, error) {
	r := wire.NewJuteReader(b, len(b))
	var txn Txn
	txn.Session = r.Int64()
	txn.Cxid = r.Int32()
	txn.Zxid = r.Int64()
	txn.Time = r.Int64()
	txn.Type = OpCode(r.Int32())
	if err := r.Err(); err != nil {
		return Txn{}, fmt.Errorf("%w: txn header: %w", errTxnCodec, err)
	}
	if txn.Type == OpCloseSession && r.Remaining() == 0 {
		return txn, nil
	}
	if err := decodeTxnRecord(r, &txn, false); err != nil {
		return Txn{}, err
	}
	if n := r.Remaining(); n != 0 && n != txnDigestLen {
		return Txn{}, fmt.Errorf("%w: type %d: %d bytes after the record", errTxnCodec, txn.Type, n)
	}
	return txn, nil
}

// decodeTxnRecord reads the record of txn.Type into txn.
func decodeTxnRecord(r *wire.JuteReader, txn *Txn, sub bool) error {
	switch txn.Type {
	case OpCreate, OpCreate2:
		readPathDataACL(r, txn)
		txn.Ephemeral = r.Bool()
		txn.ParentCversion = r.Int32()
	case OpCreateContainer:
		readPathDataACL(r, txn)
		txn.ParentCversion = r.Int32()
	case OpCreateTTL:
		readPathDataACL(r, txn)
		txn.ParentCversion = r.Int32()
		txn.TTL = r.Int64()
	case OpDelete, OpDeleteContainer:
		txn.Path = r.String()
	case OpSetData:
		txn.Path = r.String()
		txn.Data = r.Buffer()
		txn.Version = r.Int32()
	case OpSetACL:
		txn.Path = r.String()
		txn.ACL = readACLs(r)
		txn.Version = r.Int32()
	case OpCheck:
		txn.Path = r.String()
		txn.Version = r.Int32()
	case OpCreateSession:
		txn.Timeout = r.Int32()
	case OpCloseSession:
		txn.Paths = r.Strings()
		if txn.Paths == nil && r.Ok() {
			txn.Paths = []string{}
		}
	case OpError:
		txn.Err = ErrorForCode(r.Int32())
	case OpMulti:
		if sub {
			return fmt.Errorf("%w: multi inside a multi", errTxnCodec)
		}
		n := r.VectorLen(8)
		if n > 0 {
			txn.Ops = make([]Txn, 0, n)
		}
		for range n {
			op := Txn{Type: OpCode(r.Int32())}
			body := r.Buffer()
			if !r.Ok() {
				break
			}
			sr := wire.NewJuteReader(body, len(body))
			if err := decodeTxnRecord(sr, &op, true); err != nil {
				return err
			}
			if err := sr.Complete(); err != nil {
				return fmt.Errorf("%w: multi op type %d: %w", errTxnCodec, op.Type, err)
			}
			txn.Ops = append(txn.Ops, op)
		}
	default:
		return fmt.Errorf("%w: unknown txn type %d", errTxnCodec, txn.Type)
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("%w: type %d: %w", errTxnCodec, txn.Type, err)
	}
	return nil
}

func readPathDataACL(r *wire.JuteReader, txn *Txn) {
	txn.Path = r.String()
	txn.Data = r.Buffer()
	txn.ACL = readACLs(r)
}

func readACLs(r *wire.JuteReader) []ACL {
	n := r.VectorLen(12)
	if n < 0 {
		return nil
	}
	acl := make([]ACL, 0, n)
	for range n {
		perms := r.Int32()
		scheme := r.String()
		id := r.String()
		acl = append(acl, ACL{Perms: perms, Id: Id{Scheme: scheme, ID: id}})
	}
	if !r.Ok() {
		return nil
	}
	return acl
}

// ---- snapshots ----

// File magics (FileHeader.magic): "ZKLG" for txn logs, "ZKSN" for snapshots.
const (
	logMagic    int32 = 0x5A4B4C47
	snapMagic   int32 = 0x5A4B534E
	fileVersion int32 = 2
	// ZooKeeper writes dbid 0 in a log header and -1 in a snapshot header.
	logDBID  int64 = 0
	snapDBID int64 = -1
	// openACLID is the ACL id ZooKeeper's ReferenceCountedACLCache reserves
	// for a null list, read as OPEN_ACL_UNSAFE.
	openACLID int64 = -1
	// statPersistedLen is jute StatPersisted's size.
	statPersistedLen = 8*4 + 4*3 + 8 + 8
)

var errSnapshotCodec = errors.New("zk: snapshot codec")

// writeSnapshot writes s as FileSnap.serialize does (without the digest
// section): FileHeader{"ZKSN", 2, -1}; the session table (int count; long
// id, int timeout, sorted by id); the ACL cache (int count; long id,
// vector<ACL>, ids 1.. in order of first use); every node depth first (ustring
// path, "" for the root; buffer data; long aclId; StatPersisted); the path
// "/" ending the tree; the Adler-32 of everything so far as a long; and "/"
// again. s.LastZxid is not written: the file name carries it.
func writeSnapshot(w io.Writer, s SnapshotData) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	sw := snapWriter{w: bw, h: adler32.New()}
	var b []byte
	b = wire.AppendInt32(b, snapMagic)
	b = wire.AppendInt32(b, fileVersion)
	b = wire.AppendInt64(b, snapDBID)

	ids := slices.Sorted(mapKeys(s.Sessions))
	b = wire.AppendInt32(b, int32(len(ids)))
	for _, id := range ids {
		b = wire.AppendInt64(b, id)
		b = wire.AppendInt32(b, s.Sessions[id])
	}

	// The ACL cache: one id per distinct list, keyed by its encoding.
	aclIDs := make(map[string]int64)
	var aclOrder [][]byte
	nodeACL := make([]int64, len(s.Nodes))
	var scratch []byte
	for i, n := range s.Nodes {
		scratch = appendACLs(scratch[:0], n.ACL)
		id, ok := aclIDs[string(scratch)]
		if !ok {
			id = int64(len(aclOrder) + 1)
			aclIDs[string(scratch)] = id
			aclOrder = append(aclOrder, slices.Clone(scratch))
		}
		nodeACL[i] = id
	}
	b = wire.AppendInt32(b, int32(len(aclOrder)))
	for i, enc := range aclOrder {
		b = wire.AppendInt64(b, int64(i+1))
		b = append(b, enc...)
		b = sw.flushIfBig(b)
	}
	for i, n := range s.Nodes {
		if err := sw.err; err != nil {
			return err
		}
		path := n.Path
		if path == rootPath {
			path = ""
		}
		b = wire.AppendString(b, path)
		b = wire.AppendBuffer(b, n.Data)
		b = wire.AppendInt64(b, nodeACL[i])
		b = appendStatPersisted(b, n.Stat)
		b = sw.flushIfBig(b)
	}
	b = wire.AppendString(b, rootPath)
	sw.write(b)
	b = wire.AppendInt64(b[:0], int64(sw.h.Sum32()))
	b = wire.AppendString(b, rootPath)
	sw.write(b)
	if sw.err != nil {
		return sw.err
	}
	return bw.Flush()
}

type snapWriter struct {
	w   *bufio.Writer
	h   hash.Hash32
	err error
}

func (s *snapWriter) write(b []byte) {
	if s.err != nil {
		return
	}
	s.h.Write(b)
	_, s.err = s.w.Write(b)
}

func (s *snapWriter) flushIfBig(b []byte) []byte {
	if len(b) < 64<<10 {
		return b
	}
	s.write(b)
	return b[:0]
}

func appendStatPersisted(b []byte, st StatPersisted) []byte {
	b = wire.AppendInt64(b, st.Czxid)
	b = wire.AppendInt64(b, st.Mzxid)
	b = wire.AppendInt64(b, st.Ctime)
	b = wire.AppendInt64(b, st.Mtime)
	b = wire.AppendInt32(b, st.Version)
	b = wire.AppendInt32(b, st.Cversion)
	b = wire.AppendInt32(b, st.Aversion)
	b = wire.AppendInt64(b, st.EphemeralOwner)
	return wire.AppendInt64(b, st.Pzxid)
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// readSnapshot decodes a snapshot of size bytes from r (LastZxid is left 0:
// the caller knows it from the file name). It checks the header, the parent
// of every node, each ACL reference and the checksum; it accepts the digest
// section ZooKeeper 3.6+ appends after the checksum (ZxidDigest and a second
// seal) and ignores it. Lengths are never trusted beyond size.
func readSnapshot(r io.Reader, size int64) (SnapshotData, error) {
	sr := newSnapReader(r, size)
	var s SnapshotData
	if magic := sr.int32(); sr.err == nil && magic != snapMagic {
		return s, fmt.Errorf("%w: bad magic %#08x, not a snapshot", errSnapshotCodec, uint32(magic))
	}
	if v := sr.int32(); sr.err == nil && v != fileVersion {
		return s, fmt.Errorf("%w: unsupported version %d", errSnapshotCodec, v)
	}
	sr.int64() // dbid
	count := sr.count("session", 12)
	s.Sessions = make(map[int64]int32, count)
	for range count {
		id := sr.int64()
		s.Sessions[id] = sr.int32()
	}
	acls := make(map[int64][]ACL)
	for range sr.count("acl cache", 12) {
		id := sr.int64()
		n := sr.count("acl", 12)
		if sr.err != nil {
			break
		}
		if n < 0 {
			return SnapshotData{}, fmt.Errorf("%w: null acl list %d", errSnapshotCodec, id)
		}
		list := make([]ACL, 0, n)
		for range n {
			perms := sr.int32()
			scheme := sr.string()
			aid := sr.string()
			list = append(list, ACL{Perms: perms, Id: Id{Scheme: scheme, ID: aid}})
		}
		acls[id] = list
	}
	open := OpenACLUnsafe()
	seen := make(map[string]bool)
	for sr.err == nil {
		path := sr.string()
		if sr.err != nil || path == rootPath {
			break
		}
		var ni NodeInfo
		ni.Data = sr.buffer()
		aclID := sr.int64()
		st := sr.take(statPersistedLen)
		if sr.err != nil {
			break
		}
		ni.Stat = decodeStatPersisted(st)
		if aclID == openACLID {
			ni.ACL = open
		} else if ni.ACL = acls[aclID]; ni.ACL == nil {
			return SnapshotData{}, fmt.Errorf("%w: node %q uses unknown acl %d", errSnapshotCodec, path, aclID)
		}
		// Paths as the file has them: the root is "", its children's
		// parent is "" too (splitParent).
		if path == "" {
			if len(s.Nodes) != 0 {
				return SnapshotData{}, fmt.Errorf("%w: root after other nodes", errSnapshotCodec)
			}
			ni.Path = rootPath
		} else {
			parent, _, ok := splitParent(path)
			if !ok || !seen[parent] || seen[path] {
				return SnapshotData{}, fmt.Errorf("%w: node %q out of order, repeated or without parent", errSnapshotCodec, path)
			}
			ni.Path = path
		}
		seen[path] = true
		s.Nodes = append(s.Nodes, ni)
	}
	if sr.err != nil {
		return SnapshotData{}, sr.err
	}
	if len(s.Nodes) == 0 {
		return SnapshotData{}, fmt.Errorf("%w: no root node", errSnapshotCodec)
	}
	if err := sr.seal(); err != nil {
		return SnapshotData{}, err
	}
	if sr.left > 0 {
		// ZooKeeper's digest section: ZxidDigest{long zxid; int
		// digestVersion; long digest}, then a second seal.
		sr.take(8 + 4 + 8)
		if err := sr.seal(); err != nil {
			return SnapshotData{}, err
		}
	}
	if sr.err == nil && sr.left != 0 {
		return SnapshotData{}, fmt.Errorf("%w: %d bytes after the end", errSnapshotCodec, sr.left)
	}
	return s, sr.err
}

func decodeStatPersisted(b []byte) StatPersisted {
	r := wire.NewJuteReader(b, 0)
	return StatPersisted{
		Czxid: r.Int64(), Mzxid: r.Int64(), Ctime: r.Int64(), Mtime: r.Int64(),
		Version: r.Int32(), Cversion: r.Int32(), Aversion: r.Int32(),
		EphemeralOwner: r.Int64(), Pzxid: r.Int64(),
	}
}

// snapReader reads jute primitives from a stream with a sticky error,
// hashing everything it consumes (Adler-32, as CheckedInputStream does). It
// buffers itself so that the hash runs over whole chunks.
type snapReader struct {
	src    io.Reader
	h      hash.Hash32
	left   int64  // bytes of input not yet consumed
	buf    []byte // buf[r:w] is read but not consumed; buf[hashed:r] is consumed but not hashed
	r, w   int
	hashed int
	big    []byte // for a field larger than buf
	off    int64
	err    error
}

func newSnapReader(src io.Reader, size int64) *snapReader {
	return &snapReader{src: src, h: adler32.New(), left: size, buf: make([]byte, max(min(size, 256<<10), 64))}
}

func (s *snapReader) fail(err error) {
	if s.err == nil {
		s.err = fmt.Errorf("%w: at offset %d: %w", errSnapshotCodec, s.off, err)
	}
}

// sum returns the Adler-32 of everything consumed so far.
func (s *snapReader) sum() uint32 {
	s.h.Write(s.buf[s.hashed:s.r])
	s.hashed = s.r
	return s.h.Sum32()
}

// take consumes the next n bytes; the slice is valid until the next call.
func (s *snapReader) take(n int) []byte {
	if s.err != nil {
		return nil
	}
	if int64(n) > s.left {
		s.fail(fmt.Errorf("need %d bytes, %d left: %w", n, s.left, io.ErrUnexpectedEOF))
		return nil
	}
	if n > s.w-s.r {
		// Hash what was consumed, keep the unread rest, read more.
		s.h.Write(s.buf[s.hashed:s.r])
		rest := copy(s.buf, s.buf[s.r:s.w])
		s.r, s.w, s.hashed = 0, rest, 0
		dst := s.buf
		if n > len(s.buf) {
			if cap(s.big) < n {
				s.big = make([]byte, n)
			}
			dst = s.big[:n]
			copy(dst, s.buf[:rest])
		}
		m, err := io.ReadAtLeast(s.src, dst[rest:], n-rest)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			s.fail(err)
			return nil
		}
		if n > len(s.buf) {
			// Only n bytes were asked of src; hash them whole.
			s.h.Write(dst)
			s.r, s.w, s.hashed = 0, 0, 0
			s.left -= int64(n)
			s.off += int64(n)
			return dst
		}
		s.w += m
	}
	b := s.buf[s.r : s.r+n]
	s.r += n
	s.left -= int64(n)
	s.off += int64(n)
	return b
}

func (s *snapReader) int32() int32 {
	b := s.take(4)
	if b == nil {
		return 0
	}
	return int32(binary.BigEndian.Uint32(b))
}

func (s *snapReader) int64() int64 {
	b := s.take(8)
	if b == nil {
		return 0
	}
	return int64(binary.BigEndian.Uint64(b))
}

// count reads a count or length; -1 is returned as is, other negative values
// and values that cannot fit in the input (at minSize bytes each) fail.
func (s *snapReader) count(what string, minSize int) int {
	n := s.int32()
	if s.err != nil || n == -1 {
		return int(n)
	}
	if n < 0 || int64(n)*int64(minSize) > s.left {
		s.fail(fmt.Errorf("%s count %d with %d bytes left: %w", what, n, s.left, wire.ErrBadLength))
		return 0
	}
	return int(n)
}

func (s *snapReader) buffer() []byte {
	n := s.count("buffer", 1)
	if s.err != nil || n < 0 {
		return nil
	}
	b := s.take(n)
	if s.err != nil {
		return nil
	}
	out := make([]byte, n)
	copy(out, b)
	return out
}

func (s *snapReader) string() string {
	n := s.count("string", 1)
	if s.err != nil || n < 0 {
		return ""
	}
	return string(s.take(n))
}

// seal checks a CheckedOutputStream seal: the Adler-32 of everything before
// it as a long, then the string "/".
func (s *snapReader) seal() error {
	want := int64(s.sum())
	got := s.int64()
	slash := s.string()
	if s.err != nil {
		return s.err
	}
	if got != want || slash != rootPath {
		return fmt.Errorf("%w: checksum mismatch (stored %#x, computed %#x)", errSnapshotCodec, got, want)
	}
	return nil
}
