package wire

// ZooKeeper 3.8 client protocol: op codes, error codes, special xids, watch
// constants, and the jute records of zookeeper.jute that travel between a
// client and a server. Field order follows zookeeper.jute exactly. Each record
// has Decode(*JuteReader), which reads exactly its fields, and Append, which
// appends its encoding.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Record is a jute record.
type Record interface {
	// Decode reads the record's fields; failures are left in r.
	Decode(r *JuteReader)
	// Append appends the record's encoding to dst.
	Append(dst []byte) []byte
}

// Protocol errors.
var (
	// ErrUnknownOp means a request carried an op code that a 3.8 server does
	// not accept from clients; the server answers Unimplemented (-6) and
	// closes the connection.
	ErrUnknownOp = errors.New("wire: unknown op code")
	// ErrBadMultiOp means a multi request or response held an op type that
	// cannot appear in it ("Invalid type of op" in Java).
	ErrBadMultiOp = errors.New("wire: invalid op type in multi")
	// ErrMixedMulti means a multi request mixed read (getData, getChildren)
	// and write operations.
	ErrMixedMulti = errors.New("wire: mixing read and write operations in multi")
)

// OpCode is a request type (ZooDefs.OpCode).
type OpCode int32

// Op codes of ZooDefs.OpCode (3.8).
const (
	OpNotification         OpCode = 0
	OpCreate               OpCode = 1
	OpDelete               OpCode = 2
	OpExists               OpCode = 3
	OpGetData              OpCode = 4
	OpSetData              OpCode = 5
	OpGetACL               OpCode = 6
	OpSetACL               OpCode = 7
	OpGetChildren          OpCode = 8
	OpSync                 OpCode = 9
	OpPing                 OpCode = 11
	OpGetChildren2         OpCode = 12
	OpCheck                OpCode = 13
	OpMulti                OpCode = 14
	OpCreate2              OpCode = 15
	OpReconfig             OpCode = 16
	OpCheckWatches         OpCode = 17
	OpRemoveWatches        OpCode = 18
	OpCreateContainer      OpCode = 19
	OpDeleteContainer      OpCode = 20
	OpCreateTTL            OpCode = 21
	OpMultiRead            OpCode = 22
	OpAuth                 OpCode = 100
	OpSetWatches           OpCode = 101
	OpSASL                 OpCode = 102
	OpGetEphemerals        OpCode = 103
	OpGetAllChildrenNumber OpCode = 104
	OpSetWatches2          OpCode = 105
	OpAddWatch             OpCode = 106
	OpWhoAmI               OpCode = 107
	OpCreateSession        OpCode = -10
	OpCloseSession         OpCode = -11
	OpError                OpCode = -1
)

// String returns the op's name as ZooDefs.OpCode spells it ("getChildren2"),
// or "unknown N".
func (o OpCode) String() string {
	switch o {
	case OpNotification:
		return "notification"
	case OpCreate:
		return "create"
	case OpDelete:
		return "delete"
	case OpExists:
		return "exists"
	case OpGetData:
		return "getData"
	case OpSetData:
		return "setData"
	case OpGetACL:
		return "getACL"
	case OpSetACL:
		return "setACL"
	case OpGetChildren:
		return "getChildren"
	case OpSync:
		return "sync"
	case OpPing:
		return "ping"
	case OpGetChildren2:
		return "getChildren2"
	case OpCheck:
		return "check"
	case OpMulti:
		return "multi"
	case OpCreate2:
		return "create2"
	case OpReconfig:
		return "reconfig"
	case OpCheckWatches:
		return "checkWatches"
	case OpRemoveWatches:
		return "removeWatches"
	case OpCreateContainer:
		return "createContainer"
	case OpDeleteContainer:
		return "deleteContainer"
	case OpCreateTTL:
		return "createTTL"
	case OpMultiRead:
		return "multiRead"
	case OpAuth:
		return "auth"
	case OpSetWatches:
		return "setWatches"
	case OpSASL:
		return "sasl"
	case OpGetEphemerals:
		return "getEphemerals"
	case OpGetAllChildrenNumber:
		return "getAllChildrenNumber"
	case OpSetWatches2:
		return "setWatches2"
	case OpAddWatch:
		return "addWatch"
	case OpWhoAmI:
		return "whoAmI"
	case OpCreateSession:
		return "createSession"
	case OpCloseSession:
		return "closeSession"
	case OpError:
		return "error"
	}
	return "unknown " + strconv.Itoa(int(o))
}

// IsWrite reports whether a request of this op becomes a transaction and
// takes a zxid (Java's Request.isQuorum for a global session): the create
// variants, delete, deleteContainer, setData, setACL, check, multi, reconfig,
// createSession and closeSession. Reads, multiRead, sync, ping and the watch
// and auth ops do not.
func (o OpCode) IsWrite() bool {
	switch o {
	case OpCreate, OpCreate2, OpCreateTTL, OpCreateContainer, OpDelete, OpDeleteContainer,
		OpSetData, OpSetACL, OpCheck, OpMulti, OpReconfig, OpCreateSession, OpCloseSession:
		return true
	}
	return false
}

// Code is a KeeperException.Code, the err of a ReplyHeader.
type Code int32

// Codes of KeeperException.Code (3.8).
const (
	CodeOK                           Code = 0
	CodeSystemError                  Code = -1
	CodeRuntimeInconsistency         Code = -2
	CodeDataInconsistency            Code = -3
	CodeConnectionLoss               Code = -4
	CodeMarshallingError             Code = -5
	CodeUnimplemented                Code = -6
	CodeOperationTimeout             Code = -7
	CodeBadArguments                 Code = -8
	CodeUnknownSession               Code = -12
	CodeNewConfigNoQuorum            Code = -13
	CodeReconfigInProgress           Code = -14
	CodeAPIError                     Code = -100
	CodeNoNode                       Code = -101
	CodeNoAuth                       Code = -102
	CodeBadVersion                   Code = -103
	CodeNoChildrenForEphemerals      Code = -108
	CodeNodeExists                   Code = -110
	CodeNotEmpty                     Code = -111
	CodeSessionExpired               Code = -112
	CodeInvalidCallback              Code = -113
	CodeInvalidACL                   Code = -114
	CodeAuthFailed                   Code = -115
	CodeSessionMoved                 Code = -118
	CodeNotReadOnly                  Code = -119
	CodeEphemeralOnLocalSession      Code = -120
	CodeNoWatcher                    Code = -121
	CodeRequestTimeout               Code = -122
	CodeReconfigDisabled             Code = -123
	CodeSessionClosedRequireSaslAuth Code = -124
	CodeQuotaExceeded                Code = -125
	CodeThrottledOp                  Code = -127
)

// String returns the code's name ("NoNode", "SessionExpired"), or
// "Code(N)" for a code 3.8 does not define.
func (c Code) String() string {
	switch c {
	case CodeOK:
		return "OK"
	case CodeSystemError:
		return "SystemError"
	case CodeRuntimeInconsistency:
		return "RuntimeInconsistency"
	case CodeDataInconsistency:
		return "DataInconsistency"
	case CodeConnectionLoss:
		return "ConnectionLoss"
	case CodeMarshallingError:
		return "MarshallingError"
	case CodeUnimplemented:
		return "Unimplemented"
	case CodeOperationTimeout:
		return "OperationTimeout"
	case CodeBadArguments:
		return "BadArguments"
	case CodeUnknownSession:
		return "UnknownSession"
	case CodeNewConfigNoQuorum:
		return "NewConfigNoQuorum"
	case CodeReconfigInProgress:
		return "ReconfigInProgress"
	case CodeAPIError:
		return "APIError"
	case CodeNoNode:
		return "NoNode"
	case CodeNoAuth:
		return "NoAuth"
	case CodeBadVersion:
		return "BadVersion"
	case CodeNoChildrenForEphemerals:
		return "NoChildrenForEphemerals"
	case CodeNodeExists:
		return "NodeExists"
	case CodeNotEmpty:
		return "NotEmpty"
	case CodeSessionExpired:
		return "SessionExpired"
	case CodeInvalidCallback:
		return "InvalidCallback"
	case CodeInvalidACL:
		return "InvalidACL"
	case CodeAuthFailed:
		return "AuthFailed"
	case CodeSessionMoved:
		return "SessionMoved"
	case CodeNotReadOnly:
		return "NotReadOnly"
	case CodeEphemeralOnLocalSession:
		return "EphemeralOnLocalSession"
	case CodeNoWatcher:
		return "NoWatcher"
	case CodeRequestTimeout:
		return "RequestTimeout"
	case CodeReconfigDisabled:
		return "ReconfigDisabled"
	case CodeSessionClosedRequireSaslAuth:
		return "SessionClosedRequireSaslAuth"
	case CodeQuotaExceeded:
		return "QuotaExceeded"
	case CodeThrottledOp:
		return "ThrottledOp"
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// Message returns Java's KeeperException.getCodeMessage text, the part of
// "KeeperErrorCode = <message> for <path>" that names the code: "NoNode",
// "Directory not empty", "Session expired". UnknownSession and RequestTimeout
// have no case there and print as "Unknown error UNKNOWNSESSION" and
// "Unknown error REQUESTTIMEOUT"; codes Java does not know print as
// "Unknown error N".
func (c Code) Message() string {
	switch c {
	case CodeOK:
		return "ok"
	case CodeNotEmpty:
		return "Directory not empty"
	case CodeSessionExpired:
		return "Session expired"
	case CodeInvalidCallback:
		return "Invalid callback"
	case CodeSessionMoved:
		return "Session moved"
	case CodeNotReadOnly:
		return "Not a read-only call"
	case CodeEphemeralOnLocalSession:
		return "Ephemeral node on local session"
	case CodeNoWatcher:
		return "No such watcher"
	case CodeReconfigDisabled:
		return "Reconfig is disabled"
	case CodeSessionClosedRequireSaslAuth:
		return "Session closed because client failed to authenticate"
	case CodeQuotaExceeded:
		return "Quota has exceeded"
	case CodeThrottledOp:
		return "Op throttled due to high load"
	case CodeUnknownSession:
		return "Unknown error UNKNOWNSESSION"
	case CodeRequestTimeout:
		return "Unknown error REQUESTTIMEOUT"
	}
	if s := c.String(); !strings.HasPrefix(s, "Code(") {
		return s
	}
	return "Unknown error " + strconv.Itoa(int(c))
}

// Special xids (ClientCnxn).
const (
	// XidNotification marks a watch event: ReplyHeader{-1, -1, 0} + WatcherEvent.
	XidNotification int32 = -1
	// XidPing is the xid of pings and of their replies.
	XidPing int32 = -2
	// XidAuth is the xid of auth packets from Java and kazoo clients.
	XidAuth int32 = -4
	// XidSetWatches is the xid of setWatches/setWatches2 from the Java client.
	XidSetWatches int32 = -8
)

// EventType is a WatcherEvent type (Watcher.Event.EventType).
type EventType int32

// Event types. The server only sends 1..4; the rest are client-side.
const (
	EventNone                   EventType = -1
	EventNodeCreated            EventType = 1
	EventNodeDeleted            EventType = 2
	EventNodeDataChanged        EventType = 3
	EventNodeChildrenChanged    EventType = 4
	EventDataWatchRemoved       EventType = 5
	EventChildWatchRemoved      EventType = 6
	EventPersistentWatchRemoved EventType = 7
)

// String returns the Java enum name ("NodeDataChanged").
func (e EventType) String() string {
	switch e {
	case EventNone:
		return "None"
	case EventNodeCreated:
		return "NodeCreated"
	case EventNodeDeleted:
		return "NodeDeleted"
	case EventNodeDataChanged:
		return "NodeDataChanged"
	case EventNodeChildrenChanged:
		return "NodeChildrenChanged"
	case EventDataWatchRemoved:
		return "DataWatchRemoved"
	case EventChildWatchRemoved:
		return "ChildWatchRemoved"
	case EventPersistentWatchRemoved:
		return "PersistentWatchRemoved"
	}
	return "EventType(" + strconv.Itoa(int(e)) + ")"
}

// KeeperState is a WatcherEvent state (Watcher.Event.KeeperState).
type KeeperState int32

// Keeper states. The server only sends SyncConnected in events.
const (
	StateUnknown           KeeperState = -1
	StateDisconnected      KeeperState = 0
	StateNoSyncConnected   KeeperState = 1
	StateSyncConnected     KeeperState = 3
	StateAuthFailed        KeeperState = 4
	StateConnectedReadOnly KeeperState = 5
	StateSaslAuthenticated KeeperState = 6
	StateClosed            KeeperState = 7
	StateExpired           KeeperState = -112
)

// String returns the Java enum name ("SyncConnected").
func (s KeeperState) String() string {
	switch s {
	case StateUnknown:
		return "Unknown"
	case StateDisconnected:
		return "Disconnected"
	case StateNoSyncConnected:
		return "NoSyncConnected"
	case StateSyncConnected:
		return "SyncConnected"
	case StateAuthFailed:
		return "AuthFailed"
	case StateConnectedReadOnly:
		return "ConnectedReadOnly"
	case StateSaslAuthenticated:
		return "SaslAuthenticated"
	case StateClosed:
		return "Closed"
	case StateExpired:
		return "Expired"
	}
	return "KeeperState(" + strconv.Itoa(int(s)) + ")"
}

// WatcherType selects watches in checkWatches/removeWatches (Watcher.WatcherType).
type WatcherType int32

// Watcher types.
const (
	WatcherTypeChildren WatcherType = 1
	WatcherTypeData     WatcherType = 2
	WatcherTypeAny      WatcherType = 3
)

// AddWatchMode is the mode of addWatch (ZooDefs.AddWatchModes).
type AddWatchMode int32

// AddWatch modes.
const (
	AddWatchModePersistent          AddWatchMode = 0
	AddWatchModePersistentRecursive AddWatchMode = 1
)

// Create mode flags of CreateRequest.Flags (CreateMode).
const (
	CreateModePersistent                  int32 = 0
	CreateModeEphemeral                   int32 = 1
	CreateModePersistentSequential        int32 = 2
	CreateModeEphemeralSequential         int32 = 3
	CreateModeContainer                   int32 = 4
	CreateModePersistentWithTTL           int32 = 5
	CreateModePersistentSequentialWithTTL int32 = 6
)

// ACL permission bits (ZooDefs.Perms).
const (
	PermRead   int32 = 1 << 0
	PermWrite  int32 = 1 << 1
	PermCreate int32 = 1 << 2
	PermDelete int32 = 1 << 3
	PermAdmin  int32 = 1 << 4
	PermAll    int32 = PermRead | PermWrite | PermCreate | PermDelete | PermAdmin
)

// Minimum encoded sizes of vector elements, to bound allocations.
const (
	minACLSize        = 4 + 4 + 4 // perms + two string lengths
	minClientInfoSize = 4 + 4
)

// ---------------------------------------------------------------------------
// org.apache.zookeeper.data

// ID is an Id {ustring scheme; ustring id}.
type ID struct {
	Scheme string
	ID     string
}

// Decode implements Record.
func (v *ID) Decode(r *JuteReader) {
	v.Scheme = r.String()
	v.ID = r.String()
}

// Append implements Record.
func (v ID) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Scheme)
	return AppendString(dst, v.ID)
}

// ACL is an ACL {int perms; Id id}, with the Id's fields inlined.
type ACL struct {
	Perms  int32
	Scheme string
	ID     string
}

// Decode implements Record.
func (v *ACL) Decode(r *JuteReader) {
	v.Perms = r.Int32()
	v.Scheme = r.String()
	v.ID = r.String()
}

// Append implements Record.
func (v ACL) Append(dst []byte) []byte {
	dst = AppendInt32(dst, v.Perms)
	dst = AppendString(dst, v.Scheme)
	return AppendString(dst, v.ID)
}

func readACLs(r *JuteReader) []ACL {
	n := r.VectorLen(minACLSize)
	if n <= 0 {
		return nil
	}
	out := make([]ACL, n)
	for i := range out {
		out[i].Decode(r)
	}
	if !r.Ok() {
		return nil
	}
	return out
}

func appendACLs(dst []byte, v []ACL) []byte {
	dst = AppendVectorLen(dst, len(v))
	for _, a := range v {
		dst = a.Append(dst)
	}
	return dst
}

// StatSize is the encoded size of a Stat.
const StatSize = 68

// Stat is the client-visible node metadata.
type Stat struct {
	Czxid          int64 // zxid of the create
	Mzxid          int64 // zxid of the last setData
	Ctime          int64 // ms since the epoch at create
	Mtime          int64 // ms since the epoch at the last setData
	Version        int32 // data version
	Cversion       int32 // child version
	Aversion       int32 // ACL version
	EphemeralOwner int64 // owning session of an ephemeral, else 0
	DataLength     int32
	NumChildren    int32
	Pzxid          int64 // zxid of the last child create or delete
}

// Decode implements Record.
func (v *Stat) Decode(r *JuteReader) {
	v.Czxid = r.Int64()
	v.Mzxid = r.Int64()
	v.Ctime = r.Int64()
	v.Mtime = r.Int64()
	v.Version = r.Int32()
	v.Cversion = r.Int32()
	v.Aversion = r.Int32()
	v.EphemeralOwner = r.Int64()
	v.DataLength = r.Int32()
	v.NumChildren = r.Int32()
	v.Pzxid = r.Int64()
}

// Append implements Record.
func (v Stat) Append(dst []byte) []byte {
	dst = AppendInt64(dst, v.Czxid)
	dst = AppendInt64(dst, v.Mzxid)
	dst = AppendInt64(dst, v.Ctime)
	dst = AppendInt64(dst, v.Mtime)
	dst = AppendInt32(dst, v.Version)
	dst = AppendInt32(dst, v.Cversion)
	dst = AppendInt32(dst, v.Aversion)
	dst = AppendInt64(dst, v.EphemeralOwner)
	dst = AppendInt32(dst, v.DataLength)
	dst = AppendInt32(dst, v.NumChildren)
	return AppendInt64(dst, v.Pzxid)
}

// StatPersisted is the node metadata a server stores (snapshots): Stat
// without dataLength and numChildren.
type StatPersisted struct {
	Czxid          int64
	Mzxid          int64
	Ctime          int64
	Mtime          int64
	Version        int32
	Cversion       int32
	Aversion       int32
	EphemeralOwner int64
	Pzxid          int64
}

// Decode implements Record.
func (v *StatPersisted) Decode(r *JuteReader) {
	v.Czxid = r.Int64()
	v.Mzxid = r.Int64()
	v.Ctime = r.Int64()
	v.Mtime = r.Int64()
	v.Version = r.Int32()
	v.Cversion = r.Int32()
	v.Aversion = r.Int32()
	v.EphemeralOwner = r.Int64()
	v.Pzxid = r.Int64()
}

// Append implements Record.
func (v StatPersisted) Append(dst []byte) []byte {
	dst = AppendInt64(dst, v.Czxid)
	dst = AppendInt64(dst, v.Mzxid)
	dst = AppendInt64(dst, v.Ctime)
	dst = AppendInt64(dst, v.Mtime)
	dst = AppendInt32(dst, v.Version)
	dst = AppendInt32(dst, v.Cversion)
	dst = AppendInt32(dst, v.Aversion)
	dst = AppendInt64(dst, v.EphemeralOwner)
	return AppendInt64(dst, v.Pzxid)
}

// ClientInfo is one entry of a whoAmI answer.
type ClientInfo struct {
	AuthScheme string
	User       string
}

// Decode implements Record.
func (v *ClientInfo) Decode(r *JuteReader) {
	v.AuthScheme = r.String()
	v.User = r.String()
}

// Append implements Record.
func (v ClientInfo) Append(dst []byte) []byte {
	dst = AppendString(dst, v.AuthScheme)
	return AppendString(dst, v.User)
}

// ---------------------------------------------------------------------------
// Session handshake

// ConnectRequest is the first frame a client sends (no RequestHeader).
// Java clients and kazoo append a readOnly byte; go-zookeeper does not. Decode
// reads it when at least one byte remains and sets HasReadOnly, which a server
// mirrors in its ConnectResponse.
type ConnectRequest struct {
	ProtocolVersion int32
	LastZxidSeen    int64
	TimeOut         int32 // requested session timeout, ms
	SessionID       int64 // 0 for a new session
	Passwd          []byte
	ReadOnly        bool // client accepts a read-only server
	HasReadOnly     bool // the readOnly byte was (or is to be) sent
}

// Decode implements Record.
func (v *ConnectRequest) Decode(r *JuteReader) {
	v.ProtocolVersion = r.Int32()
	v.LastZxidSeen = r.Int64()
	v.TimeOut = r.Int32()
	v.SessionID = r.Int64()
	v.Passwd = r.Buffer()
	v.ReadOnly, v.HasReadOnly = false, false
	if r.Remaining() > 0 {
		v.ReadOnly, v.HasReadOnly = r.Bool(), true
	}
}

// Append implements Record.
func (v ConnectRequest) Append(dst []byte) []byte {
	dst = AppendInt32(dst, v.ProtocolVersion)
	dst = AppendInt64(dst, v.LastZxidSeen)
	dst = AppendInt32(dst, v.TimeOut)
	dst = AppendInt64(dst, v.SessionID)
	dst = AppendBuffer(dst, v.Passwd)
	if v.HasReadOnly {
		dst = AppendBool(dst, v.ReadOnly)
	}
	return dst
}

// DecodeConnectRequest decodes the payload of a connection's first frame.
// Like Java's server it ignores bytes after the optional readOnly byte.
func DecodeConnectRequest(body []byte, max int) (ConnectRequest, error) {
	var v ConnectRequest
	r := NewJuteReader(body, max)
	v.Decode(r)
	if err := r.Err(); err != nil {
		return ConnectRequest{}, fmt.Errorf("decode connect request: %w", err)
	}
	return v, nil
}

// ConnectResponse answers a ConnectRequest (no ReplyHeader). The readOnly
// byte is written only when HasReadOnly is set, i.e. when the request had it.
// An expired or unknown session is answered with TimeOut 0, SessionID 0 and
// 16 zero bytes of password.
type ConnectResponse struct {
	ProtocolVersion int32
	TimeOut         int32 // negotiated session timeout, ms
	SessionID       int64
	Passwd          []byte
	ReadOnly        bool // this server is read-only
	HasReadOnly     bool
}

// Decode implements Record.
func (v *ConnectResponse) Decode(r *JuteReader) {
	v.ProtocolVersion = r.Int32()
	v.TimeOut = r.Int32()
	v.SessionID = r.Int64()
	v.Passwd = r.Buffer()
	v.ReadOnly, v.HasReadOnly = false, false
	if r.Remaining() > 0 {
		v.ReadOnly, v.HasReadOnly = r.Bool(), true
	}
}

// Append implements Record.
func (v ConnectResponse) Append(dst []byte) []byte {
	dst = AppendInt32(dst, v.ProtocolVersion)
	dst = AppendInt32(dst, v.TimeOut)
	dst = AppendInt64(dst, v.SessionID)
	dst = AppendBuffer(dst, v.Passwd)
	if v.HasReadOnly {
		dst = AppendBool(dst, v.ReadOnly)
	}
	return dst
}

// ---------------------------------------------------------------------------
// Headers

// RequestHeaderSize and ReplyHeaderSize are the encoded header sizes.
const (
	RequestHeaderSize = 8
	ReplyHeaderSize   = 16
)

// RequestHeader precedes every request record after the handshake.
type RequestHeader struct {
	Xid  int32
	Type OpCode
}

// Decode implements Record.
func (v *RequestHeader) Decode(r *JuteReader) {
	v.Xid = r.Int32()
	v.Type = OpCode(r.Int32())
}

// Append implements Record.
func (v RequestHeader) Append(dst []byte) []byte {
	dst = AppendInt32(dst, v.Xid)
	return AppendInt32(dst, int32(v.Type))
}

// ReplyHeader precedes every response record and watch event. On Err != 0
// the server sends the header alone (multi excepted: its header Err is 0).
type ReplyHeader struct {
	Xid  int32
	Zxid int64
	Err  Code
}

// Decode implements Record.
func (v *ReplyHeader) Decode(r *JuteReader) {
	v.Xid = r.Int32()
	v.Zxid = r.Int64()
	v.Err = Code(r.Int32())
}

// Append implements Record.
func (v ReplyHeader) Append(dst []byte) []byte {
	dst = AppendInt32(dst, v.Xid)
	dst = AppendInt64(dst, v.Zxid)
	return AppendInt32(dst, int32(v.Err))
}

// MultiHeader precedes each operation and result of a multi, and ends it
// with {Type -1, Done true, Err -1}.
type MultiHeader struct {
	Type OpCode
	Done bool
	Err  Code
}

// Decode implements Record.
func (v *MultiHeader) Decode(r *JuteReader) {
	v.Type = OpCode(r.Int32())
	v.Done = r.Bool()
	v.Err = Code(r.Int32())
}

// Append implements Record.
func (v MultiHeader) Append(dst []byte) []byte {
	dst = AppendInt32(dst, int32(v.Type))
	dst = AppendBool(dst, v.Done)
	return AppendInt32(dst, int32(v.Err))
}

// appendMultiDone appends the header that ends a multi request or response.
func appendMultiDone(dst []byte) []byte {
	return MultiHeader{Type: OpError, Done: true, Err: -1}.Append(dst)
}

// ---------------------------------------------------------------------------
// Requests and responses

// EmptyRecord is the body of ops that have none: ping, closeSession, whoAmI
// requests; delete, check, setWatches, auth and the like replies.
type EmptyRecord struct{}

// Decode implements Record.
func (*EmptyRecord) Decode(*JuteReader) {}

// Append implements Record.
func (EmptyRecord) Append(dst []byte) []byte { return dst }

// CreateRequest is the body of create (1), create2 (15), createContainer (19).
type CreateRequest struct {
	Path  string
	Data  []byte // nil is null (-1), kept distinct from empty
	ACL   []ACL
	Flags int32 // CreateMode*
}

// Decode implements Record.
func (v *CreateRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Data = r.Buffer()
	v.ACL = readACLs(r)
	v.Flags = r.Int32()
}

// Append implements Record.
func (v CreateRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	dst = AppendBuffer(dst, v.Data)
	dst = appendACLs(dst, v.ACL)
	return AppendInt32(dst, v.Flags)
}

// CreateTTLRequest is the body of createTTL (21).
type CreateTTLRequest struct {
	Path  string
	Data  []byte
	ACL   []ACL
	Flags int32
	TTL   int64 // ms
}

// Decode implements Record.
func (v *CreateTTLRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Data = r.Buffer()
	v.ACL = readACLs(r)
	v.Flags = r.Int32()
	v.TTL = r.Int64()
}

// Append implements Record.
func (v CreateTTLRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	dst = AppendBuffer(dst, v.Data)
	dst = appendACLs(dst, v.ACL)
	dst = AppendInt32(dst, v.Flags)
	return AppendInt64(dst, v.TTL)
}

// CreateResponse answers create (1): the actual path, sequence suffix included.
type CreateResponse struct {
	Path string
}

// Decode implements Record.
func (v *CreateResponse) Decode(r *JuteReader) { v.Path = r.String() }

// Append implements Record.
func (v CreateResponse) Append(dst []byte) []byte { return AppendString(dst, v.Path) }

// Create2Response answers create2, createContainer and createTTL.
type Create2Response struct {
	Path string
	Stat Stat
}

// Decode implements Record.
func (v *Create2Response) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Stat.Decode(r)
}

// Append implements Record.
func (v Create2Response) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return v.Stat.Append(dst)
}

// DeleteRequest is the body of delete (2). Version -1 matches any version.
type DeleteRequest struct {
	Path    string
	Version int32
}

// Decode implements Record.
func (v *DeleteRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Version = r.Int32()
}

// Append implements Record.
func (v DeleteRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendInt32(dst, v.Version)
}

// DeleteContainerRequest is the body of deleteContainer (20): the path's raw
// UTF-8 bytes, not a jute record. Decode consumes all remaining input, which
// must be within the reader's limit.
type DeleteContainerRequest struct {
	Path string
}

// Decode implements Record.
func (v *DeleteContainerRequest) Decode(r *JuteReader) {
	v.Path = ""
	if n := r.Remaining(); n > r.limit() {
		r.Fail(fmt.Errorf("%w: deleteContainer path length %d (limit %d)", ErrBadLength, n, r.limit()))
		return
	}
	v.Path = string(r.take(r.Remaining()))
}

// Append implements Record.
func (v DeleteContainerRequest) Append(dst []byte) []byte { return append(dst, v.Path...) }

// ExistsRequest is the body of exists (3).
type ExistsRequest struct {
	Path  string
	Watch bool
}

// Decode implements Record.
func (v *ExistsRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Watch = r.Bool()
}

// Append implements Record.
func (v ExistsRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendBool(dst, v.Watch)
}

// ExistsResponse answers exists.
type ExistsResponse struct {
	Stat Stat
}

// Decode implements Record.
func (v *ExistsResponse) Decode(r *JuteReader) { v.Stat.Decode(r) }

// Append implements Record.
func (v ExistsResponse) Append(dst []byte) []byte { return v.Stat.Append(dst) }

// GetDataRequest is the body of getData (4).
type GetDataRequest struct {
	Path  string
	Watch bool
}

// Decode implements Record.
func (v *GetDataRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Watch = r.Bool()
}

// Append implements Record.
func (v GetDataRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendBool(dst, v.Watch)
}

// GetDataResponse answers getData (and reconfig). Data nil is sent as null.
type GetDataResponse struct {
	Data []byte
	Stat Stat
}

// Decode implements Record.
func (v *GetDataResponse) Decode(r *JuteReader) {
	v.Data = r.Buffer()
	v.Stat.Decode(r)
}

// Append implements Record.
func (v GetDataResponse) Append(dst []byte) []byte {
	dst = AppendBuffer(dst, v.Data)
	return v.Stat.Append(dst)
}

// SetDataRequest is the body of setData (5).
type SetDataRequest struct {
	Path    string
	Data    []byte
	Version int32
}

// Decode implements Record.
func (v *SetDataRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Data = r.Buffer()
	v.Version = r.Int32()
}

// Append implements Record.
func (v SetDataRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	dst = AppendBuffer(dst, v.Data)
	return AppendInt32(dst, v.Version)
}

// SetDataResponse answers setData.
type SetDataResponse struct {
	Stat Stat
}

// Decode implements Record.
func (v *SetDataResponse) Decode(r *JuteReader) { v.Stat.Decode(r) }

// Append implements Record.
func (v SetDataResponse) Append(dst []byte) []byte { return v.Stat.Append(dst) }

// GetACLRequest is the body of getACL (6).
type GetACLRequest struct {
	Path string
}

// Decode implements Record.
func (v *GetACLRequest) Decode(r *JuteReader) { v.Path = r.String() }

// Append implements Record.
func (v GetACLRequest) Append(dst []byte) []byte { return AppendString(dst, v.Path) }

// GetACLResponse answers getACL.
type GetACLResponse struct {
	ACL  []ACL
	Stat Stat
}

// Decode implements Record.
func (v *GetACLResponse) Decode(r *JuteReader) {
	v.ACL = readACLs(r)
	v.Stat.Decode(r)
}

// Append implements Record.
func (v GetACLResponse) Append(dst []byte) []byte {
	dst = appendACLs(dst, v.ACL)
	return v.Stat.Append(dst)
}

// SetACLRequest is the body of setACL (7); Version is compared with aversion.
type SetACLRequest struct {
	Path    string
	ACL     []ACL
	Version int32
}

// Decode implements Record.
func (v *SetACLRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.ACL = readACLs(r)
	v.Version = r.Int32()
}

// Append implements Record.
func (v SetACLRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	dst = appendACLs(dst, v.ACL)
	return AppendInt32(dst, v.Version)
}

// SetACLResponse answers setACL.
type SetACLResponse struct {
	Stat Stat
}

// Decode implements Record.
func (v *SetACLResponse) Decode(r *JuteReader) { v.Stat.Decode(r) }

// Append implements Record.
func (v SetACLResponse) Append(dst []byte) []byte { return v.Stat.Append(dst) }

// GetChildrenRequest is the body of getChildren (8).
type GetChildrenRequest struct {
	Path  string
	Watch bool
}

// Decode implements Record.
func (v *GetChildrenRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Watch = r.Bool()
}

// Append implements Record.
func (v GetChildrenRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendBool(dst, v.Watch)
}

// GetChildrenResponse answers getChildren: child names, not paths.
type GetChildrenResponse struct {
	Children []string
}

// Decode implements Record.
func (v *GetChildrenResponse) Decode(r *JuteReader) { v.Children = r.Strings() }

// Append implements Record.
func (v GetChildrenResponse) Append(dst []byte) []byte { return AppendStrings(dst, v.Children) }

// GetChildren2Request is the body of getChildren2 (12).
type GetChildren2Request struct {
	Path  string
	Watch bool
}

// Decode implements Record.
func (v *GetChildren2Request) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Watch = r.Bool()
}

// Append implements Record.
func (v GetChildren2Request) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendBool(dst, v.Watch)
}

// GetChildren2Response answers getChildren2.
type GetChildren2Response struct {
	Children []string
	Stat     Stat
}

// Decode implements Record.
func (v *GetChildren2Response) Decode(r *JuteReader) {
	v.Children = r.Strings()
	v.Stat.Decode(r)
}

// Append implements Record.
func (v GetChildren2Response) Append(dst []byte) []byte {
	dst = AppendStrings(dst, v.Children)
	return v.Stat.Append(dst)
}

// SyncRequest is the body of sync (9).
type SyncRequest struct {
	Path string
}

// Decode implements Record.
func (v *SyncRequest) Decode(r *JuteReader) { v.Path = r.String() }

// Append implements Record.
func (v SyncRequest) Append(dst []byte) []byte { return AppendString(dst, v.Path) }

// SyncResponse answers sync by echoing the path.
type SyncResponse struct {
	Path string
}

// Decode implements Record.
func (v *SyncResponse) Decode(r *JuteReader) { v.Path = r.String() }

// Append implements Record.
func (v SyncResponse) Append(dst []byte) []byte { return AppendString(dst, v.Path) }

// CheckVersionRequest is the body of check (13), used inside multi.
type CheckVersionRequest struct {
	Path    string
	Version int32
}

// Decode implements Record.
func (v *CheckVersionRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Version = r.Int32()
}

// Append implements Record.
func (v CheckVersionRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendInt32(dst, v.Version)
}

// ReconfigRequest is the body of reconfig (16). Java clients send null for
// unused strings; they read as "".
type ReconfigRequest struct {
	JoiningServers string
	LeavingServers string
	NewMembers     string
	CurConfigID    int64
}

// Decode implements Record.
func (v *ReconfigRequest) Decode(r *JuteReader) {
	v.JoiningServers = r.String()
	v.LeavingServers = r.String()
	v.NewMembers = r.String()
	v.CurConfigID = r.Int64()
}

// Append implements Record.
func (v ReconfigRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.JoiningServers)
	dst = AppendString(dst, v.LeavingServers)
	dst = AppendString(dst, v.NewMembers)
	return AppendInt64(dst, v.CurConfigID)
}

// CheckWatchesRequest is the body of checkWatches (17).
type CheckWatchesRequest struct {
	Path string
	Type WatcherType
}

// Decode implements Record.
func (v *CheckWatchesRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Type = WatcherType(r.Int32())
}

// Append implements Record.
func (v CheckWatchesRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendInt32(dst, int32(v.Type))
}

// RemoveWatchesRequest is the body of removeWatches (18).
type RemoveWatchesRequest struct {
	Path string
	Type WatcherType
}

// Decode implements Record.
func (v *RemoveWatchesRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Type = WatcherType(r.Int32())
}

// Append implements Record.
func (v RemoveWatchesRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendInt32(dst, int32(v.Type))
}

// AddWatchRequest is the body of addWatch (106). Its reply carries an
// ErrorResponse{0} body.
type AddWatchRequest struct {
	Path string
	Mode AddWatchMode
}

// Decode implements Record.
func (v *AddWatchRequest) Decode(r *JuteReader) {
	v.Path = r.String()
	v.Mode = AddWatchMode(r.Int32())
}

// Append implements Record.
func (v AddWatchRequest) Append(dst []byte) []byte {
	dst = AppendString(dst, v.Path)
	return AppendInt32(dst, int32(v.Mode))
}

// GetEphemeralsRequest is the body of getEphemerals (103).
type GetEphemeralsRequest struct {
	PrefixPath string
}

// Decode implements Record.
func (v *GetEphemeralsRequest) Decode(r *JuteReader) { v.PrefixPath = r.String() }

// Append implements Record.
func (v GetEphemeralsRequest) Append(dst []byte) []byte { return AppendString(dst, v.PrefixPath) }

// GetEphemeralsResponse answers getEphemerals with full paths.
type GetEphemeralsResponse struct {
	Ephemerals []string
}

// Decode implements Record.
func (v *GetEphemeralsResponse) Decode(r *JuteReader) { v.Ephemerals = r.Strings() }

// Append implements Record.
func (v GetEphemeralsResponse) Append(dst []byte) []byte { return AppendStrings(dst, v.Ephemerals) }

// GetAllChildrenNumberRequest is the body of getAllChildrenNumber (104).
type GetAllChildrenNumberRequest struct {
	Path string
}

// Decode implements Record.
func (v *GetAllChildrenNumberRequest) Decode(r *JuteReader) { v.Path = r.String() }

// Append implements Record.
func (v GetAllChildrenNumberRequest) Append(dst []byte) []byte { return AppendString(dst, v.Path) }

// GetAllChildrenNumberResponse answers getAllChildrenNumber: the number of
// descendants, the node itself excluded.
type GetAllChildrenNumberResponse struct {
	TotalNumber int32
}

// Decode implements Record.
func (v *GetAllChildrenNumberResponse) Decode(r *JuteReader) { v.TotalNumber = r.Int32() }

// Append implements Record.
func (v GetAllChildrenNumberResponse) Append(dst []byte) []byte {
	return AppendInt32(dst, v.TotalNumber)
}

// WhoAmIResponse answers whoAmI (107), whose request has no body.
type WhoAmIResponse struct {
	ClientInfo []ClientInfo
}

// Decode implements Record.
func (v *WhoAmIResponse) Decode(r *JuteReader) {
	v.ClientInfo = nil
	n := r.VectorLen(minClientInfoSize)
	if n <= 0 {
		return
	}
	out := make([]ClientInfo, n)
	for i := range out {
		out[i].Decode(r)
	}
	if r.Ok() {
		v.ClientInfo = out
	}
}

// Append implements Record.
func (v WhoAmIResponse) Append(dst []byte) []byte {
	dst = AppendVectorLen(dst, len(v.ClientInfo))
	for _, c := range v.ClientInfo {
		dst = c.Append(dst)
	}
	return dst
}

// AuthPacket is the body of auth (100). Type is always 0; for digest, Auth
// is "user:password".
type AuthPacket struct {
	Type   int32
	Scheme string
	Auth   []byte
}

// Decode implements Record.
func (v *AuthPacket) Decode(r *JuteReader) {
	v.Type = r.Int32()
	v.Scheme = r.String()
	v.Auth = r.Buffer()
}

// Append implements Record.
func (v AuthPacket) Append(dst []byte) []byte {
	dst = AppendInt32(dst, v.Type)
	dst = AppendString(dst, v.Scheme)
	return AppendBuffer(dst, v.Auth)
}

// GetSASLRequest is the body of sasl (102).
type GetSASLRequest struct {
	Token []byte
}

// Decode implements Record.
func (v *GetSASLRequest) Decode(r *JuteReader) { v.Token = r.Buffer() }

// Append implements Record.
func (v GetSASLRequest) Append(dst []byte) []byte { return AppendBuffer(dst, v.Token) }

// SetSASLResponse answers sasl.
type SetSASLResponse struct {
	Token []byte
}

// Decode implements Record.
func (v *SetSASLResponse) Decode(r *JuteReader) { v.Token = r.Buffer() }

// Append implements Record.
func (v SetSASLResponse) Append(dst []byte) []byte { return AppendBuffer(dst, v.Token) }

// SetWatches is the body of setWatches (101): the watches a reconnecting
// client still holds and the last zxid it saw.
type SetWatches struct {
	RelativeZxid int64
	DataWatches  []string
	ExistWatches []string
	ChildWatches []string
}

// Decode implements Record.
func (v *SetWatches) Decode(r *JuteReader) {
	v.RelativeZxid = r.Int64()
	v.DataWatches = r.Strings()
	v.ExistWatches = r.Strings()
	v.ChildWatches = r.Strings()
}

// Append implements Record.
func (v SetWatches) Append(dst []byte) []byte {
	dst = AppendInt64(dst, v.RelativeZxid)
	dst = AppendStrings(dst, v.DataWatches)
	dst = AppendStrings(dst, v.ExistWatches)
	return AppendStrings(dst, v.ChildWatches)
}

// SetWatches2 is the body of setWatches2 (105): SetWatches plus persistent
// and persistent-recursive watches.
type SetWatches2 struct {
	RelativeZxid               int64
	DataWatches                []string
	ExistWatches               []string
	ChildWatches               []string
	PersistentWatches          []string
	PersistentRecursiveWatches []string
}

// Decode implements Record.
func (v *SetWatches2) Decode(r *JuteReader) {
	v.RelativeZxid = r.Int64()
	v.DataWatches = r.Strings()
	v.ExistWatches = r.Strings()
	v.ChildWatches = r.Strings()
	v.PersistentWatches = r.Strings()
	v.PersistentRecursiveWatches = r.Strings()
}

// Append implements Record.
func (v SetWatches2) Append(dst []byte) []byte {
	dst = AppendInt64(dst, v.RelativeZxid)
	dst = AppendStrings(dst, v.DataWatches)
	dst = AppendStrings(dst, v.ExistWatches)
	dst = AppendStrings(dst, v.ChildWatches)
	dst = AppendStrings(dst, v.PersistentWatches)
	return AppendStrings(dst, v.PersistentRecursiveWatches)
}

// WatcherEvent is a watch notification's body (after ReplyHeader{-1, -1, 0}).
type WatcherEvent struct {
	Type  EventType
	State KeeperState
	Path  string
}

// Decode implements Record.
func (v *WatcherEvent) Decode(r *JuteReader) {
	v.Type = EventType(r.Int32())
	v.State = KeeperState(r.Int32())
	v.Path = r.String()
}

// Append implements Record.
func (v WatcherEvent) Append(dst []byte) []byte {
	dst = AppendInt32(dst, int32(v.Type))
	dst = AppendInt32(dst, int32(v.State))
	return AppendString(dst, v.Path)
}

// ErrorResponse carries a code in a body: a failed multi op, or the reply to
// addWatch (always 0).
type ErrorResponse struct {
	Err Code
}

// Decode implements Record.
func (v *ErrorResponse) Decode(r *JuteReader) { v.Err = Code(r.Int32()) }

// Append implements Record.
func (v ErrorResponse) Append(dst []byte) []byte { return AppendInt32(dst, int32(v.Err)) }

// ---------------------------------------------------------------------------
// multi (14) and multiRead (22)

// MultiOp is one operation of a multi request. Type is the op code of its
// MultiHeader as sent; Op is *CreateRequest (1, 15, 19), *CreateTTLRequest
// (21), *DeleteRequest (2), *SetDataRequest (5), *CheckVersionRequest (13),
// *GetChildrenRequest (8) or *GetDataRequest (4).
//
// Java's MultiOperationRecord rebuilds each create from its flags, so a create
// sent with header type 15 is processed as create (1) and one sent with type
// 1 but container flags as createContainer (19); the header type itself is
// kept here unchanged.
type MultiOp struct {
	Type OpCode
	Op   Record
}

// MultiRequest is the body of multi (14) and multiRead (22): MultiHeader +
// op record pairs ended by the done header {-1, true, -1}. A request holds
// either only write ops (create*, delete, setData, check) or only read ops
// (getChildren, getData); Decode fails with ErrMixedMulti otherwise.
type MultiRequest struct {
	Ops []MultiOp
}

// IsRead reports whether the request holds read ops (getChildren, getData),
// as multiRead does. An empty request is not a read.
func (v *MultiRequest) IsRead() bool {
	return len(v.Ops) > 0 && isMultiRead(v.Ops[0].Type)
}

func isMultiRead(op OpCode) bool { return op == OpGetChildren || op == OpGetData }

// Decode implements Record. The loop ends at the first header with Done
// set, whatever its type and err, as in Java; header errs are ignored.
func (v *MultiRequest) Decode(r *JuteReader) {
	v.Ops = nil
	var h MultiHeader
	h.Decode(r)
	for r.Ok() && !h.Done {
		var op Record
		switch h.Type {
		case OpCreate, OpCreate2, OpCreateContainer:
			op = new(CreateRequest)
		case OpCreateTTL:
			op = new(CreateTTLRequest)
		case OpDelete:
			op = new(DeleteRequest)
		case OpSetData:
			op = new(SetDataRequest)
		case OpCheck:
			op = new(CheckVersionRequest)
		case OpGetChildren:
			op = new(GetChildrenRequest)
		case OpGetData:
			op = new(GetDataRequest)
		default:
			r.Fail(fmt.Errorf("%w: %s", ErrBadMultiOp, h.Type))
			v.Ops = nil
			return
		}
		if len(v.Ops) > 0 && isMultiRead(v.Ops[0].Type) != isMultiRead(h.Type) {
			r.Fail(fmt.Errorf("%w: %s after %s", ErrMixedMulti, h.Type, v.Ops[0].Type))
			v.Ops = nil
			return
		}
		if len(v.Ops) >= r.limit() {
			r.Fail(fmt.Errorf("%w: more than %d multi ops", ErrBadLength, r.limit()))
			v.Ops = nil
			return
		}
		op.Decode(r)
		v.Ops = append(v.Ops, MultiOp{Type: h.Type, Op: op})
		h.Decode(r)
	}
	if !r.Ok() {
		v.Ops = nil
	}
}

// Append implements Record: each op with header {Type, false, -1}, then the
// done header.
func (v MultiRequest) Append(dst []byte) []byte {
	for _, op := range v.Ops {
		dst = MultiHeader{Type: op.Type, Err: -1}.Append(dst)
		if op.Op != nil {
			dst = op.Op.Append(dst)
		}
	}
	return appendMultiDone(dst)
}

// MultiResult is one result of a multi response. Type selects the body:
//
//	OpCreate       header {1, false, 0}  + CreateResponse{Path}
//	OpCreate2      header {15, false, 0} + Create2Response{Path, Stat}
//	OpDelete       header {2, false, 0}, no body
//	OpSetData      header {5, false, 0}  + SetDataResponse{Stat}
//	OpCheck        header {13, false, 0}, no body
//	OpGetData      header {4, false, 0}  + GetDataResponse{Data, Stat} (multiRead)
//	OpGetChildren  header {8, false, 0}  + GetChildrenResponse{Children} (multiRead)
//	OpError        header {-1, false, Err} + ErrorResponse{Err}
//
// When a multi fails, every result is an OpError: Err 0 for the ops before
// the failing one, its code for it, RuntimeInconsistency for those after.
// Err is only meaningful for OpError results; success headers carry 0.
type MultiResult struct {
	Type     OpCode
	Err      Code
	Path     string
	Stat     Stat
	Data     []byte
	Children []string
}

// MultiResponse is the body of a multi or multiRead reply (whose ReplyHeader
// Err is 0 even when an op failed).
type MultiResponse struct {
	Results []MultiResult
}

// Decode implements Record.
func (v *MultiResponse) Decode(r *JuteReader) {
	v.Results = nil
	var h MultiHeader
	h.Decode(r)
	for r.Ok() && !h.Done {
		if len(v.Results) >= r.limit() {
			r.Fail(fmt.Errorf("%w: more than %d multi results", ErrBadLength, r.limit()))
			v.Results = nil
			return
		}
		res := MultiResult{Type: h.Type}
		switch h.Type {
		case OpCreate:
			res.Path = r.String()
		case OpCreate2:
			res.Path = r.String()
			res.Stat.Decode(r)
		case OpDelete, OpCheck:
		case OpSetData:
			res.Stat.Decode(r)
		case OpGetData:
			res.Data = r.Buffer()
			res.Stat.Decode(r)
		case OpGetChildren:
			res.Children = r.Strings()
		case OpError:
			res.Err = Code(r.Int32())
		default:
			r.Fail(fmt.Errorf("%w: %s in response", ErrBadMultiOp, h.Type))
			v.Results = nil
			return
		}
		v.Results = append(v.Results, res)
		h.Decode(r)
	}
	if !r.Ok() {
		v.Results = nil
	}
}

// Append implements Record. A result of a type that has no place in a multi
// response is written as an OpError result with its Err.
func (v MultiResponse) Append(dst []byte) []byte {
	for _, res := range v.Results {
		switch res.Type {
		case OpCreate:
			dst = MultiHeader{Type: res.Type}.Append(dst)
			dst = AppendString(dst, res.Path)
		case OpCreate2:
			dst = MultiHeader{Type: res.Type}.Append(dst)
			dst = AppendString(dst, res.Path)
			dst = res.Stat.Append(dst)
		case OpDelete, OpCheck:
			dst = MultiHeader{Type: res.Type}.Append(dst)
		case OpSetData:
			dst = MultiHeader{Type: res.Type}.Append(dst)
			dst = res.Stat.Append(dst)
		case OpGetData:
			dst = MultiHeader{Type: res.Type}.Append(dst)
			dst = AppendBuffer(dst, res.Data)
			dst = res.Stat.Append(dst)
		case OpGetChildren:
			dst = MultiHeader{Type: res.Type}.Append(dst)
			dst = AppendStrings(dst, res.Children)
		default:
			dst = MultiHeader{Type: OpError, Err: res.Err}.Append(dst)
			dst = AppendInt32(dst, int32(res.Err))
		}
	}
	return appendMultiDone(dst)
}

// ---------------------------------------------------------------------------
// Dispatch

// NewRequest returns an empty request record for op, or nil when a 3.8
// server does not accept op from a client: notification (0), error (-1),
// createSession (-10) and anything undefined. ping, closeSession and whoAmI
// have no body and get an *EmptyRecord.
func NewRequest(op OpCode) Record {
	switch op {
	case OpCreate, OpCreate2, OpCreateContainer:
		return new(CreateRequest)
	case OpCreateTTL:
		return new(CreateTTLRequest)
	case OpDelete:
		return new(DeleteRequest)
	case OpDeleteContainer:
		return new(DeleteContainerRequest)
	case OpExists:
		return new(ExistsRequest)
	case OpGetData:
		return new(GetDataRequest)
	case OpSetData:
		return new(SetDataRequest)
	case OpGetACL:
		return new(GetACLRequest)
	case OpSetACL:
		return new(SetACLRequest)
	case OpGetChildren:
		return new(GetChildrenRequest)
	case OpGetChildren2:
		return new(GetChildren2Request)
	case OpSync:
		return new(SyncRequest)
	case OpCheck:
		return new(CheckVersionRequest)
	case OpMulti, OpMultiRead:
		return new(MultiRequest)
	case OpReconfig:
		return new(ReconfigRequest)
	case OpCheckWatches:
		return new(CheckWatchesRequest)
	case OpRemoveWatches:
		return new(RemoveWatchesRequest)
	case OpAuth:
		return new(AuthPacket)
	case OpSetWatches:
		return new(SetWatches)
	case OpSASL:
		return new(GetSASLRequest)
	case OpGetEphemerals:
		return new(GetEphemeralsRequest)
	case OpGetAllChildrenNumber:
		return new(GetAllChildrenNumberRequest)
	case OpSetWatches2:
		return new(SetWatches2)
	case OpAddWatch:
		return new(AddWatchRequest)
	case OpPing, OpCloseSession, OpWhoAmI:
		return new(EmptyRecord)
	}
	return nil
}

// DecodeRequest decodes the body of a request of type op (the bytes after
// its RequestHeader) into the record NewRequest(op) returns. max bounds every
// length as in NewJuteReader.
//
// An op a server does not accept gives an error wrapping ErrUnknownOp (answer
// Unimplemented, -6, and close); a body that does not decode gives an error
// wrapping the JuteReader's (answer MarshallingError, -5). Like Java's server,
// DecodeRequest ignores bytes after the record.
func DecodeRequest(op OpCode, body []byte, max int) (Record, error) {
	rec := NewRequest(op)
	if rec == nil {
		return nil, fmt.Errorf("%w: %d", ErrUnknownOp, int32(op))
	}
	r := NewJuteReader(body, max)
	rec.Decode(r)
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("decode %s request: %w", op, err)
	}
	return rec, nil
}

// ParseRequest decodes a request frame's payload: the RequestHeader, then
// the body as DecodeRequest does. The header is returned whenever it could be
// read, so a server can answer the xid with Unimplemented or
// MarshallingError; a payload shorter than a header is an error wrapping
// ErrShortBuffer (close the connection).
func ParseRequest(payload []byte, max int) (RequestHeader, Record, error) {
	var h RequestHeader
	r := NewJuteReader(payload, max)
	h.Decode(r)
	if err := r.Err(); err != nil {
		return RequestHeader{}, nil, fmt.Errorf("decode request header: %w", err)
	}
	rec, err := DecodeRequest(h.Type, payload[RequestHeaderSize:], max)
	return h, rec, err
}

// AppendRequest appends a whole request frame: length, RequestHeader, body
// (nil for none).
func AppendRequest(dst []byte, h RequestHeader, body Record) []byte {
	dst, start := StartFrame(dst)
	dst = h.Append(dst)
	if body != nil {
		dst = body.Append(dst)
	}
	return EndFrame(dst, start)
}

// AppendReply appends a whole reply frame: length, ReplyHeader, body. The
// body is left out when body is nil or h.Err is not OK, as a server does.
func AppendReply(dst []byte, h ReplyHeader, body Record) []byte {
	dst, start := StartFrame(dst)
	dst = h.Append(dst)
	if body != nil && h.Err == CodeOK {
		dst = body.Append(dst)
	}
	return EndFrame(dst, start)
}

// AppendNotification appends a whole watch notification frame:
// ReplyHeader{-1, -1, 0} + ev.
func AppendNotification(dst []byte, ev WatcherEvent) []byte {
	return AppendReply(dst, ReplyHeader{Xid: XidNotification, Zxid: -1}, &ev)
}
