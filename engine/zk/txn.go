package zk

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kafkago/kafka/wire"
)

// OpCode is a ZooKeeper request/transaction type (ZooDefs.OpCode).
type OpCode = wire.OpCode

// The op codes, as package wire defines them.
const (
	OpError                = wire.OpError
	OpCreateSession        = wire.OpCreateSession
	OpCloseSession         = wire.OpCloseSession
	OpCreate               = wire.OpCreate
	OpDelete               = wire.OpDelete
	OpExists               = wire.OpExists
	OpGetData              = wire.OpGetData
	OpSetData              = wire.OpSetData
	OpGetACL               = wire.OpGetACL
	OpSetACL               = wire.OpSetACL
	OpGetChildren          = wire.OpGetChildren
	OpSync                 = wire.OpSync
	OpPing                 = wire.OpPing
	OpGetChildren2         = wire.OpGetChildren2
	OpCheck                = wire.OpCheck
	OpMulti                = wire.OpMulti
	OpCreate2              = wire.OpCreate2
	OpReconfig             = wire.OpReconfig
	OpCheckWatches         = wire.OpCheckWatches
	OpRemoveWatches        = wire.OpRemoveWatches
	OpCreateContainer      = wire.OpCreateContainer
	OpDeleteContainer      = wire.OpDeleteContainer
	OpCreateTTL            = wire.OpCreateTTL
	OpMultiRead            = wire.OpMultiRead
	OpAuth                 = wire.OpAuth
	OpSetWatches           = wire.OpSetWatches
	OpSASL                 = wire.OpSASL
	OpGetEphemerals        = wire.OpGetEphemerals
	OpGetAllChildrenNumber = wire.OpGetAllChildrenNumber
	OpSetWatches2          = wire.OpSetWatches2
	OpAddWatch             = wire.OpAddWatch
	OpWhoAmI               = wire.OpWhoAmI
)

// CreateMode is the flags field of a create request (CreateMode.java).
type CreateMode int32

const (
	ModePersistent                  CreateMode = 0
	ModeEphemeral                   CreateMode = 1
	ModePersistentSequential        CreateMode = 2
	ModeEphemeralSequential         CreateMode = 3
	ModeContainer                   CreateMode = 4
	ModePersistentWithTTL           CreateMode = 5
	ModePersistentSequentialWithTTL CreateMode = 6
	maxCreateMode                              = ModePersistentSequentialWithTTL
)

// Valid reports a flag value CreateMode.fromFlag accepts.
func (m CreateMode) Valid() bool { return m >= 0 && m <= maxCreateMode }

// IsEphemeral reports the session-owned modes (not containers or TTL).
func (m CreateMode) IsEphemeral() bool { return m == ModeEphemeral || m == ModeEphemeralSequential }

// IsSequential reports the modes that get a %010d suffix.
func (m CreateMode) IsSequential() bool {
	return m == ModePersistentSequential || m == ModeEphemeralSequential || m == ModePersistentSequentialWithTTL
}

// IsContainer reports ModeContainer.
func (m CreateMode) IsContainer() bool { return m == ModeContainer }

// IsTTL reports the TTL modes.
func (m CreateMode) IsTTL() bool {
	return m == ModePersistentWithTTL || m == ModePersistentSequentialWithTTL
}

// Request is a write the server preps into a transaction: CreateReq,
// DeleteReq, SetDataReq, SetACLReq, CheckReq, MultiReq, CreateSessionReq,
// CloseSessionReq or DeleteContainerReq (values or pointers).
type Request interface{ zkRequest() }

// CreateReq is create (1), create2 (15), createContainer (19) or createTTL
// (21). Op selects which; left 0 it follows Mode (container → 19, TTL modes
// → 21, else 1). As in ZooKeeper the opcode decides the kind of node the
// transaction makes (a create with container flags makes a persistent node)
// and TTL is read only for createTTL. The tree keeps Data and ACL.
type CreateReq struct {
	Op   OpCode
	Path string
	Data []byte // nil is null data, kept apart from empty
	ACL  []ACL
	Mode CreateMode
	TTL  int64 // ms, createTTL only
}

// DeleteReq is delete (2); Version -1 matches any.
type DeleteReq struct {
	Path    string
	Version int32
}

// SetDataReq is setData (5); Version -1 matches any.
type SetDataReq struct {
	Path    string
	Data    []byte
	Version int32
}

// SetACLReq is setACL (7); Version (-1 any) is compared with aversion.
type SetACLReq struct {
	Path    string
	ACL     []ACL
	Version int32
}

// CheckReq is check (13), meant for multi; Version -1 matches any.
type CheckReq struct {
	Path    string
	Version int32
}

// MultiReq is multi (14): creates, deletes, setData and checks applied all
// or nothing.
type MultiReq struct {
	Ops []Request
}

// CreateSessionReq is the createSession transaction a connect request makes
// for PrepContext.SessionID.
type CreateSessionReq struct {
	Timeout int32 // negotiated, ms
}

// CloseSessionReq is closeSession (-11), from the client or from expiry: it
// deletes PrepContext.SessionID's ephemerals.
type CloseSessionReq struct{}

// DeleteContainerReq is the server-internal deleteContainer (20) the
// container/TTL reaper sends for each path ExpiredContainersAndTTLs names.
type DeleteContainerReq struct {
	Path string
}

func (CreateReq) zkRequest()          {}
func (DeleteReq) zkRequest()          {}
func (SetDataReq) zkRequest()         {}
func (SetACLReq) zkRequest()          {}
func (CheckReq) zkRequest()           {}
func (MultiReq) zkRequest()           {}
func (CreateSessionReq) zkRequest()   {}
func (CloseSessionReq) zkRequest()    {}
func (DeleteContainerReq) zkRequest() {}

// PrepContext is what Prep knows about a request besides its body: the
// session and credentials of the connection, and the zxid and wall time the
// server assigns (zxids strictly increasing, one per request; time in ms).
type PrepContext struct {
	SessionID int64
	Cxid      int32 // the request's xid, copied to the txn header
	Zxid      int64
	Time      int64
	Auth      []Id
	SuperUser bool
}

// Txn is a transaction as ZooKeeper logs it: the TxnHeader (Session, Cxid,
// Zxid, Time, Type) and the record of its type. Fields by Type:
//
//	OpCreate, OpCreate2   Path, Data, ACL, Ephemeral, ParentCversion      (CreateTxn)
//	OpCreateContainer     Path, Data, ACL, ParentCversion                 (CreateContainerTxn)
//	OpCreateTTL           Path, Data, ACL, ParentCversion, TTL            (CreateTTLTxn)
//	OpDelete, OpDeleteContainer  Path                                     (DeleteTxn)
//	OpSetData             Path, Data, Version (the new version)           (SetDataTxn)
//	OpSetACL              Path, ACL, Version (the new aversion)           (SetACLTxn)
//	OpCheck               Path, Version (the node's version + 1)          (CheckVersionTxn)
//	OpCreateSession       Timeout                                         (CreateSessionTxn)
//	OpCloseSession        Paths (ephemerals to delete, in order)          (CloseSessionTxn)
//	OpError               Err (its code is Code(Err))                     (ErrorTxn)
//	OpMulti               Ops: sub-transactions with Type and record only (MultiTxn)
type Txn struct {
	Session int64
	Cxid    int32
	Zxid    int64
	Time    int64
	Type    OpCode

	Path           string
	Data           []byte
	ACL            []ACL
	Ephemeral      bool
	ParentCversion int32
	TTL            int64
	Version        int32
	Timeout        int32
	Paths          []string
	Err            error
	Ops            []Txn
}

// OpResult is the outcome of one operation: Type is the operation's type, or
// OpError for a failed one (and for every op of a failed multi), with Err
// its error (nil for an op before the failing one). Path is the znode (a
// create's includes its sequence suffix); Stat is the node's stat after
// create, setData or setACL.
type OpResult struct {
	Type OpCode
	Err  error
	Path string
	Stat Stat
}

// Result is what Apply did. For a single op the embedded OpResult is its
// outcome; for multi, Ops holds one result per op and Err the first failure
// (the reply header of a multi still carries 0). Events are the watch
// notifications the transaction triggered, in ZooKeeper's order.
type Result struct {
	OpResult
	Zxid   int64
	Ops    []OpResult
	Events []Delivery
}

// ---- outstanding changes (ZooKeeperServer.outstandingChanges) ----

// change is a ChangeRecord: what a prepped but unapplied txn will make a
// path look like, so later requests are checked against it.
type change struct {
	zxid       int64
	path       string
	exists     bool // false: the txn deletes it (ChangeRecord.stat == null)
	stat       StatPersisted
	childCount int32
	acl        []ACL
	data       []byte
}

type outstanding struct {
	list   []*change
	byPath map[string]*change
	undo   []undoEntry // recorded while prepping a multi
	inMult bool
}

type undoEntry struct {
	path string
	prev *change // nil: none
}

func (o *outstanding) add(c *change) {
	if o.inMult {
		o.undo = append(o.undo, undoEntry{c.path, o.byPath[c.path]})
	}
	o.list = append(o.list, c)
	o.byPath[c.path] = c
}

// rollback undoes the records a failed multi added (rollbackPendingChanges).
func (o *outstanding) rollback(mark int) {
	o.list = o.list[:mark]
	for i := len(o.undo) - 1; i >= 0; i-- {
		u := o.undo[i]
		if u.prev == nil {
			delete(o.byPath, u.path)
		} else {
			o.byPath[u.path] = u.prev
		}
	}
	o.undo = o.undo[:0]
}

// release drops the records of transactions up to zxid, once applied
// (FinalRequestProcessor).
func (o *outstanding) release(zxid int64) {
	i := 0
	for ; i < len(o.list) && o.list[i].zxid <= zxid; i++ {
		c := o.list[i]
		if o.byPath[c.path] == c {
			delete(o.byPath, c.path)
		}
		o.list[i] = nil
	}
	o.list = o.list[i:]
	if len(o.list) == 0 {
		o.list = nil
	}
}

// Pending is the number of outstanding change records (prepped, unapplied).
func (t *Tree) Pending() int { return len(t.pending.list) }

// DiscardPending forgets every prepped, unapplied change, for a server that
// failed to log them and will not apply them.
func (t *Tree) DiscardPending() {
	t.pending = outstanding{byPath: make(map[string]*change)}
}

// record is getRecordForPath: the outstanding change for path, else the
// node as it is; ErrNoNode if neither exists.
func (t *Tree) record(path string) (*change, error) {
	if c, ok := t.pending.byPath[path]; ok {
		if !c.exists {
			return nil, ErrNoNode
		}
		return c, nil
	}
	n := t.lookup(path)
	if n == nil {
		return nil, ErrNoNode
	}
	return &change{zxid: -1, path: path, exists: true, stat: n.stat,
		childCount: int32(n.numChildren()), acl: n.acl.acl, data: n.data}, nil
}

func (c *change) dup(zxid int64) *change {
	d := *c
	d.zxid = zxid
	return &d
}

// ---- Prep (PrepRequestProcessor) ----

// Prep validates a write against the tree as it will be once every earlier
// prepped transaction is applied, in ZooKeeper's order of checks, and turns
// it into the transaction ctx.Zxid: the request's txn, or an OpError txn
// carrying the failure, which still consumes the zxid and is logged. The
// returned error is that failure (for multi, the failing op's error; its
// txn is an OpMulti whose failing op is an OpError). A successful Prep
// records outstanding changes until Apply of the same zxid.
func (t *Tree) Prep(req Request, ctx PrepContext) (Txn, error) {
	txn := Txn{Session: ctx.SessionID, Cxid: ctx.Cxid, Zxid: ctx.Zxid, Time: ctx.Time}
	if m, ok := asMulti(req); ok {
		return t.prepMulti(txn, m, &ctx)
	}
	body, err := t.prepOp(req, &ctx)
	if err != nil {
		txn.Type, txn.Err = OpError, err
		return txn, err
	}
	body.Session, body.Cxid, body.Zxid, body.Time = txn.Session, txn.Cxid, txn.Zxid, txn.Time
	return body, nil
}

func asMulti(req Request) (MultiReq, bool) {
	switch r := req.(type) {
	case MultiReq:
		return r, true
	case *MultiReq:
		return *r, true
	}
	return MultiReq{}, false
}

func (t *Tree) prepMulti(txn Txn, m MultiReq, ctx *PrepContext) (Txn, error) {
	txn.Type = OpMulti
	for _, op := range m.Ops {
		switch op.(type) {
		case CreateReq, *CreateReq, DeleteReq, *DeleteReq, SetDataReq, *SetDataReq, CheckReq, *CheckReq:
		default:
			// MultiOperationRecord cannot carry it: the request does not
			// parse.
			err := fmt.Errorf("%w: %T in multi", ErrMarshallingError, op)
			return Txn{Session: txn.Session, Cxid: txn.Cxid, Zxid: txn.Zxid, Time: txn.Time, Type: OpError, Err: err}, err
		}
	}
	mark := len(t.pending.list)
	t.pending.inMult = true
	defer func() { t.pending.inMult = false; t.pending.undo = t.pending.undo[:0] }()
	var failure error
	txn.Ops = make([]Txn, 0, len(m.Ops))
	for _, op := range m.Ops {
		if failure != nil {
			txn.Ops = append(txn.Ops, Txn{Type: OpError, Err: ErrRuntimeInconsistency})
			continue
		}
		sub, err := t.prepOp(op, ctx)
		if err != nil {
			failure = err
			t.pending.rollback(mark)
			txn.Ops = append(txn.Ops, Txn{Type: OpError, Err: err})
			continue
		}
		txn.Ops = append(txn.Ops, sub)
	}
	return txn, failure
}

// prepOp is pRequest2Txn for one op: the txn body (Type and record) or the
// error, with outstanding changes recorded on success.
func (t *Tree) prepOp(req Request, ctx *PrepContext) (Txn, error) {
	switch r := req.(type) {
	case CreateReq:
		return t.prepCreate(r, ctx)
	case *CreateReq:
		return t.prepCreate(*r, ctx)
	case DeleteReq:
		return t.prepDelete(r, ctx)
	case *DeleteReq:
		return t.prepDelete(*r, ctx)
	case SetDataReq:
		return t.prepSetData(r, ctx)
	case *SetDataReq:
		return t.prepSetData(*r, ctx)
	case SetACLReq:
		return t.prepSetACL(r, ctx)
	case *SetACLReq:
		return t.prepSetACL(*r, ctx)
	case CheckReq:
		return t.prepCheck(r, ctx)
	case *CheckReq:
		return t.prepCheck(*r, ctx)
	case CreateSessionReq:
		return t.prepCreateSession(r, ctx)
	case *CreateSessionReq:
		return t.prepCreateSession(*r, ctx)
	case CloseSessionReq, *CloseSessionReq:
		return t.prepCloseSession(ctx)
	case DeleteContainerReq:
		return t.prepDeleteContainer(r, ctx)
	case *DeleteContainerReq:
		return t.prepDeleteContainer(*r, ctx)
	case MultiReq, *MultiReq:
		return Txn{}, fmt.Errorf("%w: multi inside multi", ErrMarshallingError)
	}
	return Txn{}, fmt.Errorf("%w: request %T", ErrUnimplemented, req)
}

// checkSession is SessionTrackerImpl.checkSession (ephemeral=false: an
// unknown session is UnknownSession) or checkGlobalSession (ephemeral=true:
// SessionExpired); a closing session is SessionExpired.
func (t *Tree) checkSession(id int64, ephemeral bool) error {
	s := t.sessions[id]
	if s == nil {
		if ephemeral {
			return fmt.Errorf("%w: session 0x%x", ErrSessionExpired, id)
		}
		return fmt.Errorf("%w: session 0x%x", ErrUnknownSession, id)
	}
	if s.closing {
		return fmt.Errorf("%w: session 0x%x", ErrSessionExpired, id)
	}
	return nil
}

func (t *Tree) checkPerm(acl []ACL, perm int32, ctx *PrepContext) error {
	if t.opts.SkipACL {
		return nil
	}
	return CheckACL(acl, perm, ctx.Auth, ctx.SuperUser)
}

func pathErr(err error, path string) error { return fmt.Errorf("%w: %s", err, path) }

// checkVersion is checkAndIncVersion.
func checkVersion(current, expected int32, path string) (int32, error) {
	if expected != -1 && expected != current {
		return 0, pathErr(ErrBadVersion, path)
	}
	return current + 1, nil
}

// createOp is the opcode a create request travels as.
func (r CreateReq) createOp() OpCode {
	if r.Op != 0 {
		return r.Op
	}
	switch {
	case r.Mode.IsContainer():
		return OpCreateContainer
	case r.Mode.IsTTL():
		return OpCreateTTL
	}
	return OpCreate
}

// prepCreate is pRequest2TxnCreate.
func (t *Tree) prepCreate(r CreateReq, ctx *PrepContext) (Txn, error) {
	op := r.createOp()
	switch op {
	case OpCreate, OpCreate2, OpCreateContainer, OpCreateTTL:
	default:
		return Txn{}, fmt.Errorf("%w: create op %d", ErrMarshallingError, op)
	}
	path := r.Path
	// CreateMode.fromFlag
	if !r.Mode.Valid() {
		return Txn{}, fmt.Errorf("%w: invalid flag value %d", ErrBadArguments, r.Mode)
	}
	// validateCreateRequest
	if r.Mode.IsTTL() && !t.opts.ExtendedTypes {
		return Txn{}, pathErr(ErrUnimplemented, path)
	}
	ttl := int64(-1)
	if op == OpCreateTTL {
		ttl = r.TTL
	}
	if r.Mode.IsTTL() {
		if ttl <= 0 || ttl > MaxTTL {
			return Txn{}, fmt.Errorf("%w: ttl %d out of range: %s", ErrBadArguments, ttl, path)
		}
	} else if ttl >= 0 {
		return Txn{}, fmt.Errorf("%w: ttl not valid for mode %d: %s", ErrBadArguments, r.Mode, path)
	}
	if err := t.checkSession(ctx.SessionID, r.Mode.IsEphemeral()); err != nil {
		return Txn{}, err
	}
	// validatePathForCreate
	parentPath, _, ok := splitParent(path)
	if !ok || strings.IndexByte(path, 0) >= 0 {
		return Txn{}, pathErr(ErrBadArguments, path)
	}
	acl, err := FixupACL(r.ACL, ctx.Auth)
	if err != nil {
		return Txn{}, fmt.Errorf("%w: %s", err, path)
	}
	parent, err := t.record(parentPath)
	if err != nil {
		return Txn{}, pathErr(err, parentPath)
	}
	if err := t.checkPerm(parent.acl, PermCreate, ctx); err != nil {
		return Txn{}, pathErr(err, path)
	}
	if r.Mode.IsSequential() {
		path = sequentialPath(path, parent.stat.Cversion)
	}
	if err := ValidatePath(path); err != nil {
		return Txn{}, err
	}
	if _, err := t.record(path); err == nil {
		return Txn{}, pathErr(ErrNodeExists, path)
	}
	if ephemeralKind(parent.stat.EphemeralOwner, t.opts.ExtendedTypes) == kindNormal {
		return Txn{}, pathErr(ErrNoChildrenForEphemerals, path)
	}
	newCversion := parent.stat.Cversion + 1
	txn := Txn{Type: op, Path: path, Data: r.Data, ACL: acl, ParentCversion: newCversion}
	switch op {
	case OpCreateTTL:
		txn.TTL = ttl
	case OpCreate, OpCreate2:
		txn.Ephemeral = r.Mode.IsEphemeral()
	}
	var owner int64
	switch {
	case r.Mode.IsContainer():
		owner = ContainerOwner
	case r.Mode.IsTTL():
		owner = TTLOwner(ttl)
	case r.Mode.IsEphemeral():
		owner = ctx.SessionID
	}
	p := parent.dup(ctx.Zxid)
	p.childCount++
	p.stat.Cversion = newCversion
	p.stat.Pzxid = ctx.Zxid
	t.pending.add(p)
	t.pending.add(&change{zxid: ctx.Zxid, path: path, exists: true, stat: createStat(ctx.Zxid, ctx.Time, owner), acl: acl, data: r.Data})
	return txn, nil
}

// createStat is DataTree.createStat.
func createStat(zxid, time, owner int64) StatPersisted {
	return StatPersisted{Czxid: zxid, Mzxid: zxid, Pzxid: zxid, Ctime: time, Mtime: time, EphemeralOwner: owner}
}

// parentForDelete is getParentPathAndValidate.
func parentForDelete(path string) (string, error) {
	parent, _, ok := splitParent(path)
	if !ok || strings.IndexByte(path, 0) >= 0 || isSpecialPath(path) {
		return "", pathErr(ErrBadArguments, path)
	}
	return parent, nil
}

func (t *Tree) prepDelete(r DeleteReq, ctx *PrepContext) (Txn, error) {
	if err := t.checkSession(ctx.SessionID, false); err != nil {
		return Txn{}, err
	}
	parentPath, err := parentForDelete(r.Path)
	if err != nil {
		return Txn{}, err
	}
	parent, err := t.record(parentPath)
	if err != nil {
		return Txn{}, pathErr(err, parentPath)
	}
	if err := t.checkPerm(parent.acl, PermDelete, ctx); err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	n, err := t.record(r.Path)
	if err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	if _, err := checkVersion(n.stat.Version, r.Version, r.Path); err != nil {
		return Txn{}, err
	}
	if n.childCount > 0 {
		return Txn{}, pathErr(ErrNotEmpty, r.Path)
	}
	t.recordDelete(parent, r.Path, ctx.Zxid)
	return Txn{Type: OpDelete, Path: r.Path}, nil
}

func (t *Tree) recordDelete(parent *change, path string, zxid int64) {
	p := parent.dup(zxid)
	p.childCount--
	p.stat.Pzxid = zxid
	t.pending.add(p)
	t.pending.add(&change{zxid: zxid, path: path, exists: false, childCount: -1})
}

func (t *Tree) prepDeleteContainer(r DeleteContainerReq, ctx *PrepContext) (Txn, error) {
	parentPath, err := parentForDelete(r.Path)
	if err != nil {
		return Txn{}, err
	}
	n, err := t.record(r.Path)
	if err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	if n.childCount > 0 {
		return Txn{}, pathErr(ErrNotEmpty, r.Path)
	}
	if ephemeralKind(n.stat.EphemeralOwner, t.opts.ExtendedTypes) == kindNormal {
		return Txn{}, pathErr(ErrBadVersion, r.Path)
	}
	parent, err := t.record(parentPath)
	if err != nil {
		return Txn{}, pathErr(err, parentPath)
	}
	t.recordDelete(parent, r.Path, ctx.Zxid)
	return Txn{Type: OpDeleteContainer, Path: r.Path}, nil
}

func (t *Tree) prepSetData(r SetDataReq, ctx *PrepContext) (Txn, error) {
	if err := t.checkSession(ctx.SessionID, false); err != nil {
		return Txn{}, err
	}
	if err := ValidatePath(r.Path); err != nil {
		return Txn{}, err
	}
	n, err := t.record(r.Path)
	if err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	if err := t.checkPerm(n.acl, PermWrite, ctx); err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	version, err := checkVersion(n.stat.Version, r.Version, r.Path)
	if err != nil {
		return Txn{}, err
	}
	c := n.dup(ctx.Zxid)
	c.stat.Version = version
	c.stat.Mtime = ctx.Time
	c.stat.Mzxid = ctx.Zxid
	c.data = r.Data
	t.pending.add(c)
	return Txn{Type: OpSetData, Path: r.Path, Data: r.Data, Version: version}, nil
}

func (t *Tree) prepSetACL(r SetACLReq, ctx *PrepContext) (Txn, error) {
	if err := t.checkSession(ctx.SessionID, false); err != nil {
		return Txn{}, err
	}
	if err := ValidatePath(r.Path); err != nil {
		return Txn{}, err
	}
	acl, err := FixupACL(r.ACL, ctx.Auth)
	if err != nil {
		return Txn{}, fmt.Errorf("%w: %s", err, r.Path)
	}
	n, err := t.record(r.Path)
	if err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	if err := t.checkPerm(n.acl, PermAdmin, ctx); err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	version, err := checkVersion(n.stat.Aversion, r.Version, r.Path)
	if err != nil {
		return Txn{}, err
	}
	c := n.dup(ctx.Zxid)
	c.stat.Aversion = version
	c.acl = acl
	t.pending.add(c)
	return Txn{Type: OpSetACL, Path: r.Path, ACL: acl, Version: version}, nil
}

func (t *Tree) prepCheck(r CheckReq, ctx *PrepContext) (Txn, error) {
	if err := t.checkSession(ctx.SessionID, false); err != nil {
		return Txn{}, err
	}
	if err := ValidatePath(r.Path); err != nil {
		return Txn{}, err
	}
	n, err := t.record(r.Path)
	if err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	if err := t.checkPerm(n.acl, PermRead, ctx); err != nil {
		return Txn{}, pathErr(err, r.Path)
	}
	version, err := checkVersion(n.stat.Version, r.Version, r.Path)
	if err != nil {
		return Txn{}, err
	}
	return Txn{Type: OpCheck, Path: r.Path, Version: version}, nil
}

// prepCreateSession tracks the session at once (trackSession), so requests
// behind it in the pipeline pass the session check.
func (t *Tree) prepCreateSession(r CreateSessionReq, ctx *PrepContext) (Txn, error) {
	if t.sessions[ctx.SessionID] == nil {
		t.sessions[ctx.SessionID] = &session{timeout: r.Timeout}
	}
	return Txn{Type: OpCreateSession, Timeout: r.Timeout}, nil
}

// prepCloseSession lists the session's ephemerals as ZooKeeper does: a
// clone of its set, minus outstanding deletes, plus outstanding creates it
// owns, in Java HashSet order; each becomes an outstanding delete, and each
// parent an outstanding change of pzxid (with the digest on, as in 3.8;
// ZooKeeper does not lower the parent's child count there). The session is
// marked closing: further requests of it fail with SessionExpired.
func (t *Tree) prepCloseSession(ctx *PrepContext) (Txn, error) {
	es := newJSet(16)
	if set := t.ephemerals[ctx.SessionID]; set != nil {
		es = set.clone()
	}
	for _, c := range t.pending.list {
		if !c.exists {
			es.remove(c.path)
		} else if c.stat.EphemeralOwner == ctx.SessionID {
			es.add(c.path)
		}
	}
	paths := es.ordered()
	for _, p := range paths {
		if parentPath, _, ok := splitParent(p); ok {
			if parent, err := t.record(parentPath); err == nil {
				c := parent.dup(ctx.Zxid)
				c.stat.Pzxid = ctx.Zxid
				t.pending.add(c)
			}
		}
		t.pending.add(&change{zxid: ctx.Zxid, path: p, exists: false})
	}
	if s := t.sessions[ctx.SessionID]; s != nil {
		s.closing = true
	}
	if paths == nil {
		paths = []string{}
	}
	return Txn{Type: OpCloseSession, Paths: paths}, nil
}

// ---- Apply (DataTree.processTxn) ----

// Apply applies a transaction Prep made (or one read back from the log) to
// the tree, fires the watches it triggers and returns the per-op results.
// It tolerates what replaying a fuzzy snapshot produces, as DataTree does:
// a create of an existing node (NodeExists, but the parent's cversion and
// pzxid still move forward for OpCreate) and deletes of missing nodes.
// A closeSession's events may include some for the closing session itself
// (ZooKeeper queues them on its connection before closing it); its watches
// are dropped afterwards.
func (t *Tree) Apply(txn Txn) Result {
	res := Result{Zxid: txn.Zxid}
	var events []Delivery
	if txn.Type == OpMulti {
		res.Type = OpMulti
		failed := false
		for _, sub := range txn.Ops {
			if sub.Type == OpError {
				failed = true
				break
			}
		}
		postFailed := false
		res.Ops = make([]OpResult, 0, len(txn.Ops))
		for _, sub := range txn.Ops {
			if sub.Type == OpError {
				postFailed = true
			} else if failed {
				var code error
				if postFailed {
					code = ErrRuntimeInconsistency
				}
				sub = Txn{Type: OpError, Err: code}
			}
			var r OpResult
			r, events = t.applyOp(sub, txn, events)
			res.Ops = append(res.Ops, r)
			if r.Err != nil && res.Err == nil {
				res.Err = r.Err
			}
		}
	} else {
		res.OpResult, events = t.applyOp(txn, txn, events)
		if txn.Type == OpCreate && errors.Is(res.Err, ErrNodeExists) {
			// processTxn: a replayed create of a node the snapshot
			// already has still advances the parent.
			if parentPath, _, ok := splitParent(txn.Path); ok {
				t.setCversionPzxid(parentPath, txn.ParentCversion, txn.Zxid)
			}
		}
	}
	if txn.Type == OpCloseSession {
		t.watches.RemoveSession(txn.Session)
	}
	if txn.Zxid > t.lastZxid {
		t.lastZxid = txn.Zxid
	}
	t.pending.release(txn.Zxid)
	res.Events = events
	return res
}

// applyOp applies one (sub-)transaction; hdr carries the header.
func (t *Tree) applyOp(sub, hdr Txn, events []Delivery) (OpResult, []Delivery) {
	r := OpResult{Type: sub.Type, Path: sub.Path}
	var err error
	switch sub.Type {
	case OpCreate, OpCreate2:
		var owner int64
		if sub.Ephemeral {
			owner = hdr.Session
		}
		r.Stat, events, err = t.createNode(sub.Path, sub.Data, sub.ACL, owner, sub.ParentCversion, hdr.Zxid, hdr.Time, events)
	case OpCreateTTL:
		if sub.TTL <= 0 || sub.TTL > MaxTTL {
			err = fmt.Errorf("%w: ttl %d", ErrBadArguments, sub.TTL)
			break
		}
		r.Stat, events, err = t.createNode(sub.Path, sub.Data, sub.ACL, TTLOwner(sub.TTL), sub.ParentCversion, hdr.Zxid, hdr.Time, events)
	case OpCreateContainer:
		r.Stat, events, err = t.createNode(sub.Path, sub.Data, sub.ACL, ContainerOwner, sub.ParentCversion, hdr.Zxid, hdr.Time, events)
	case OpDelete, OpDeleteContainer:
		events, err = t.deleteNode(sub.Path, hdr.Zxid, events)
	case OpSetData:
		r.Stat, events, err = t.setData(sub.Path, sub.Data, sub.Version, hdr.Zxid, hdr.Time, events)
	case OpSetACL:
		r.Stat, err = t.setACL(sub.Path, sub.ACL, sub.Version)
	case OpCheck:
	case OpCreateSession:
		// commitSession; a closeSession prepped meanwhile keeps it closing.
		if s := t.sessions[hdr.Session]; s != nil {
			s.timeout = sub.Timeout
		} else {
			t.sessions[hdr.Session] = &session{timeout: sub.Timeout}
		}
	case OpCloseSession:
		events = t.killSession(hdr.Session, hdr.Zxid, sub.Paths, events)
	case OpError:
		err = sub.Err
	default:
		err = fmt.Errorf("%w: txn type %d", ErrMarshallingError, sub.Type)
	}
	r.Err = err
	return r, events
}

// createNode is DataTree.createNode.
func (t *Tree) createNode(path string, data []byte, acl []ACL, owner int64, parentCversion int32, zxid, time int64, events []Delivery) (Stat, []Delivery, error) {
	parentPath, name, ok := splitParent(path)
	if !ok {
		return Stat{}, events, pathErr(ErrBadArguments, path)
	}
	parent := t.lookup(parentPath)
	if parent == nil {
		return Stat{}, events, pathErr(ErrNoNode, parentPath)
	}
	if (parent.children != nil && parent.children.has(name)) || path == rootPath {
		return Stat{}, events, pathErr(ErrNodeExists, path)
	}
	if parentCversion == -1 {
		parentCversion = parent.stat.Cversion + 1
	}
	if parentCversion > parent.stat.Cversion {
		parent.stat.Cversion = parentCversion
		parent.stat.Pzxid = zxid
	}
	n := &node{data: data, acl: t.acls.intern(acl), stat: createStat(zxid, time, owner)}
	parent.addChild(name)
	t.nodes[path] = n
	t.track(path, owner)
	stat := t.statOf(n)
	_, events = t.watches.fire(&t.watches.data, path, EventNodeCreated, n.acl.acl, nil, events)
	_, events = t.watches.fire(&t.watches.child, displayParent(parentPath), EventNodeChildrenChanged, parent.acl.acl, nil, events)
	return stat, events, nil
}

// deleteNode is DataTree.deleteNode.
func (t *Tree) deleteNode(path string, zxid int64, events []Delivery) ([]Delivery, error) {
	parentPath, name, ok := splitParent(path)
	if !ok || path == rootPath {
		return events, pathErr(ErrBadArguments, path)
	}
	parent := t.lookup(parentPath)
	if parent == nil {
		return events, pathErr(ErrNoNode, parentPath)
	}
	parent.removeChild(name)
	if zxid > parent.stat.Pzxid {
		parent.stat.Pzxid = zxid
	}
	n := t.nodes[path]
	if n == nil {
		return events, pathErr(ErrNoNode, path)
	}
	delete(t.nodes, path)
	acl := n.acl.acl
	t.acls.release(n.acl)
	t.untrack(path, n.stat.EphemeralOwner)
	var hit []int64
	hit, events = t.watches.fire(&t.watches.data, path, EventNodeDeleted, acl, nil, events)
	_, events = t.watches.fire(&t.watches.child, path, EventNodeDeleted, acl, hit, events)
	_, events = t.watches.fire(&t.watches.child, displayParent(parentPath), EventNodeChildrenChanged, parent.acl.acl, nil, events)
	return events, nil
}

// setData is DataTree.setData: the txn carries the new version.
func (t *Tree) setData(path string, data []byte, version int32, zxid, time int64, events []Delivery) (Stat, []Delivery, error) {
	n := t.lookup(path)
	if n == nil {
		return Stat{}, events, pathErr(ErrNoNode, path)
	}
	n.data = data
	n.stat.Mtime = time
	n.stat.Mzxid = zxid
	n.stat.Version = version
	stat := t.statOf(n)
	_, events = t.watches.fire(&t.watches.data, path, EventNodeDataChanged, n.acl.acl, nil, events)
	return stat, events, nil
}

// setACL is DataTree.setACL: no watch fires.
func (t *Tree) setACL(path string, acl []ACL, version int32) (Stat, error) {
	n := t.lookup(path)
	if n == nil {
		return Stat{}, pathErr(ErrNoNode, path)
	}
	t.acls.release(n.acl)
	n.stat.Aversion = version
	n.acl = t.acls.intern(acl)
	return t.statOf(n), nil
}

// setCversionPzxid is DataTree.setCversionPzxid.
func (t *Tree) setCversionPzxid(path string, cversion int32, zxid int64) {
	path = strings.TrimSuffix(path, "/")
	n := t.lookup(path)
	if n == nil {
		return
	}
	if cversion == -1 {
		cversion = n.stat.Cversion + 1
	}
	if cversion > n.stat.Cversion {
		n.stat.Cversion = cversion
		n.stat.Pzxid = zxid
	}
}

// killSession is DataTree.killSession: the txn's paths are deleted in
// order, then any ephemeral of the session the txn did not list; missing
// nodes are skipped. The session leaves the table.
func (t *Tree) killSession(sessionID, zxid int64, paths []string, events []Delivery) []Delivery {
	local := t.ephemerals[sessionID]
	delete(t.ephemerals, sessionID)
	for _, p := range paths {
		events, _ = t.deleteNode(p, zxid, events)
	}
	if local != nil {
		for _, p := range paths {
			local.remove(p)
		}
		for _, p := range local.ordered() {
			events, _ = t.deleteNode(p, zxid, events)
		}
	}
	delete(t.sessions, sessionID)
	return events
}
