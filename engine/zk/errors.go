package zk

import (
	"errors"
	"strconv"
)

// Sentinels, one per KeeperException.Code a ZooKeeper 3.8 server can put in a
// reply. Functions of this package return them (possibly wrapped with %w and
// the offending path); the wire layer turns them into codes with Code. The
// texts follow go-zookeeper's where it has one, so a log line reads the same
// on both sides of the connection.
var (
	ErrSystemError                  = errors.New("zk: system error")
	ErrRuntimeInconsistency         = errors.New("zk: runtime inconsistency")
	ErrDataInconsistency            = errors.New("zk: data inconsistency")
	ErrConnectionLoss               = errors.New("zk: connection loss")
	ErrMarshallingError             = errors.New("zk: marshalling error")
	ErrUnimplemented                = errors.New("zk: unimplemented")
	ErrOperationTimeout             = errors.New("zk: operation timeout")
	ErrBadArguments                 = errors.New("zk: invalid arguments")
	ErrUnknownSession               = errors.New("zk: unknown session")
	ErrNewConfigNoQuorum            = errors.New("zk: new config has no quorum")
	ErrReconfigInProgress           = errors.New("zk: reconfig in progress")
	ErrAPIError                     = errors.New("zk: api error")
	ErrNoNode                       = errors.New("zk: node does not exist")
	ErrNoAuth                       = errors.New("zk: not authenticated")
	ErrBadVersion                   = errors.New("zk: version conflict")
	ErrNoChildrenForEphemerals      = errors.New("zk: ephemeral nodes may not have children")
	ErrNodeExists                   = errors.New("zk: node already exists")
	ErrNotEmpty                     = errors.New("zk: node has children")
	ErrSessionExpired               = errors.New("zk: session has been expired by the server")
	ErrInvalidCallback              = errors.New("zk: invalid callback specified")
	ErrInvalidACL                   = errors.New("zk: invalid ACL specified")
	ErrAuthFailed                   = errors.New("zk: client authentication failed")
	ErrSessionMoved                 = errors.New("zk: session moved to another server, so operation is ignored")
	ErrNotReadOnly                  = errors.New("zk: not a read-only call")
	ErrEphemeralOnLocalSession      = errors.New("zk: ephemeral node on local session")
	ErrNoWatcher                    = errors.New("zk: no such watcher")
	ErrRequestTimeout               = errors.New("zk: request timeout")
	ErrReconfigDisabled             = errors.New("zk: reconfiguration disabled")
	ErrSessionClosedRequireSaslAuth = errors.New("zk: session closed because client failed to authenticate")
	ErrQuotaExceeded                = errors.New("zk: quota exceeded")
	ErrThrottledOp                  = errors.New("zk: op throttled due to high load")
)

// codeEntry ties a sentinel to its KeeperException.Code value and name.
type codeEntry struct {
	code int32
	name string // KeeperException.Code constant in CamelCase, for scripts and logs
	err  error
}

// codeTable is the one mapping between sentinels and ZooKeeper error codes
// (KeeperException.Code, 3.8). It is read-only.
var codeTable = [...]codeEntry{
	{-1, "SystemError", ErrSystemError},
	{-2, "RuntimeInconsistency", ErrRuntimeInconsistency},
	{-3, "DataInconsistency", ErrDataInconsistency},
	{-4, "ConnectionLoss", ErrConnectionLoss},
	{-5, "MarshallingError", ErrMarshallingError},
	{-6, "Unimplemented", ErrUnimplemented},
	{-7, "OperationTimeout", ErrOperationTimeout},
	{-8, "BadArguments", ErrBadArguments},
	{-12, "UnknownSession", ErrUnknownSession},
	{-13, "NewConfigNoQuorum", ErrNewConfigNoQuorum},
	{-14, "ReconfigInProgress", ErrReconfigInProgress},
	{-100, "APIError", ErrAPIError},
	{-101, "NoNode", ErrNoNode},
	{-102, "NoAuth", ErrNoAuth},
	{-103, "BadVersion", ErrBadVersion},
	{-108, "NoChildrenForEphemerals", ErrNoChildrenForEphemerals},
	{-110, "NodeExists", ErrNodeExists},
	{-111, "NotEmpty", ErrNotEmpty},
	{-112, "SessionExpired", ErrSessionExpired},
	{-113, "InvalidCallback", ErrInvalidCallback},
	{-114, "InvalidACL", ErrInvalidACL},
	{-115, "AuthFailed", ErrAuthFailed},
	{-118, "SessionMoved", ErrSessionMoved},
	{-119, "NotReadOnly", ErrNotReadOnly},
	{-120, "EphemeralOnLocalSession", ErrEphemeralOnLocalSession},
	{-121, "NoWatcher", ErrNoWatcher},
	{-122, "RequestTimeout", ErrRequestTimeout},
	{-123, "ReconfigDisabled", ErrReconfigDisabled},
	{-124, "SessionClosedRequireSaslAuth", ErrSessionClosedRequireSaslAuth},
	{-125, "QuotaExceeded", ErrQuotaExceeded},
	{-127, "ThrottledOp", ErrThrottledOp},
}

// Code returns the ZooKeeper error code for err: 0 for nil, the code of the
// first sentinel err wraps, and -1 (SystemError) for an error of no code.
func Code(err error) int32 {
	if err == nil {
		return 0
	}
	for i := range codeTable {
		if errors.Is(err, codeTable[i].err) {
			return codeTable[i].code
		}
	}
	return -1
}

// ErrorForCode returns the sentinel for a ZooKeeper error code: nil for 0, and
// ErrSystemError for a code not in the table.
func ErrorForCode(code int32) error {
	if code == 0 {
		return nil
	}
	for i := range codeTable {
		if codeTable[i].code == code {
			return codeTable[i].err
		}
	}
	return ErrSystemError
}

// CodeName returns KeeperException.Code's name for a code ("NoNode"), "Ok" for
// 0 and "Code(n)" for an unknown one.
func CodeName(code int32) string {
	if code == 0 {
		return "Ok"
	}
	for i := range codeTable {
		if codeTable[i].code == code {
			return codeTable[i].name
		}
	}
	return "Code(" + strconv.Itoa(int(code)) + ")"
}
