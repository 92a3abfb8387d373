package commands

import (
	"bufio"
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/kafkago/kafka/engine/cluster"
	"github.com/kafkago/kafka/wire"
)

// zkshell's client: a small ZooKeeper session over the project's jute codec.
// go-zookeeper has no getEphemerals, getAllChildrenNumber, addWatch or
// removeWatches, which zkCli needs, so the shell speaks the protocol itself.

const (
	zkcXidNotification = -1
	zkcXidPing         = -2
	zkcXidAuth         = -4
	zkcSessionTimeout  = 30000 // ZooKeeperMain's default -timeout
)

// zkcError is a KeeperException: a server (or client-side) error code and
// the path it concerns ("" for none, Java's null).
type zkcError struct {
	code wire.Code
	path string
}

func (e *zkcError) Error() string {
	if e.path == "" {
		return "KeeperErrorCode = " + e.code.Message()
	}
	return "KeeperErrorCode = " + e.code.Message() + " for " + e.path
}

type zkcReply struct {
	hdr  wire.ReplyHeader
	body []byte
}

// zkcClient is one session, as a ZooKeeper handle: CONNECTING until a
// server answers (requests then fail with ConnectionLoss, as zkCli's do while
// no server is reachable), CONNECTED, or CLOSED after close. A lost
// connection is re-established with the same session on the next request.
// Events (watch notifications and session state changes) go to onEvent from
// the reader goroutine, before the reply that follows them on the wire.
type zkcClient struct {
	servers []string
	chroot  string
	onEvent func(wire.WatcherEvent)
	// beforeFirstCall runs once, before the first request is sent.
	beforeFirstCall func()
	firstCall       sync.Once

	wmu       sync.Mutex
	mu        sync.Mutex
	nc        net.Conn      // nil while not connected
	done      chan struct{} // closed when nc's reader ends
	xid       int32
	pending   map[int32]chan zkcReply
	closed    bool
	sessionID int64
	passwd    []byte
	lastZxid  int64
	// announce makes the next successful handshake report SyncConnected
	// (the first one is reported by the shell, in its place).
	announce bool
	closing  bool // closeSession sent: the server's hang-up is expected
}

// zkcDial makes a handle for connect ("host:port[,host:port][/chroot]") and
// tries to open its session; connected tells whether that worked.
func zkcDial(connect string, onEvent func(wire.WatcherEvent)) (c *zkcClient, connected bool) {
	servers, chroot := cluster.SplitConnectString(connect)
	c = &zkcClient{servers: servers, chroot: chroot, onEvent: onEvent, pending: map[int32]chan zkcReply{}, passwd: make([]byte, 16)}
	ok := c.reconnect() == nil
	c.announce = !ok
	return c, ok
}

// reconnect opens a connection to the first server that answers, resuming
// the session if there is one.
func (c *zkcClient) reconnect() error {
	var lastErr error = errors.New("no server in connect string")
	for _, s := range c.servers {
		if !strings.Contains(s, ":") {
			s += ":2181"
		}
		nc, err := net.DialTimeout("tcp", s, 10*time.Second)
		if err != nil {
			lastErr = err
			continue
		}
		if err := c.handshake(nc); err != nil {
			nc.Close()
			lastErr = err
			continue
		}
		return nil
	}
	return lastErr
}

func (c *zkcClient) handshake(nc net.Conn) error {
	c.mu.Lock()
	req := wire.ConnectRequest{TimeOut: zkcSessionTimeout, SessionID: c.sessionID, Passwd: c.passwd, LastZxidSeen: c.lastZxid, HasReadOnly: true}
	resumed := c.sessionID != 0 || c.announce
	c.mu.Unlock()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := nc.Write(wire.AppendFrame(nil, req.Append(nil))); err != nil {
		return err
	}
	br := bufio.NewReader(nc)
	frame, err := wire.ReadFrame(br, nil, 0)
	if err != nil {
		return err
	}
	var resp wire.ConnectResponse
	r := wire.NewJuteReader(frame, 0)
	resp.Decode(r)
	if !r.Ok() {
		return r.Err()
	}
	if resp.SessionID == 0 || resp.TimeOut <= 0 {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		c.onEvent(wire.WatcherEvent{Type: wire.EventNone, State: wire.StateExpired})
		return errors.New("session expired")
	}
	_ = nc.SetDeadline(time.Time{})
	done := make(chan struct{})
	c.mu.Lock()
	c.nc, c.done = nc, done
	c.sessionID, c.passwd = resp.SessionID, resp.Passwd
	c.announce = false
	c.mu.Unlock()
	if resumed {
		c.onEvent(wire.WatcherEvent{Type: wire.EventNone, State: wire.StateSyncConnected})
	}
	go c.readLoop(nc, br, done)
	go c.pingLoop(done, time.Duration(resp.TimeOut)*time.Millisecond/3)
	return nil
}

// isAlive is States.isAlive: CONNECTING or CONNECTED.
func (c *zkcClient) isAlive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.closed
}

// state is the handle's state as zkCli's prompt shows it.
func (c *zkcClient) state() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return "CLOSED"
	case c.nc == nil:
		return "CONNECTING"
	}
	return "CONNECTED"
}

func (c *zkcClient) readLoop(nc net.Conn, br *bufio.Reader, done chan struct{}) {
	defer func() {
		c.mu.Lock()
		lost := !c.closed && !c.closing
		if c.nc == nc {
			c.nc = nil
		}
		for xid, ch := range c.pending {
			ch <- zkcReply{hdr: wire.ReplyHeader{Xid: xid, Err: wire.CodeConnectionLoss}}
			delete(c.pending, xid)
		}
		c.mu.Unlock()
		nc.Close()
		close(done)
		if lost {
			c.onEvent(wire.WatcherEvent{Type: wire.EventNone, State: wire.StateDisconnected})
		}
	}()
	for {
		frame, err := wire.ReadFrame(br, nil, 0)
		if err != nil {
			return
		}
		r := wire.NewJuteReader(frame, 0)
		var hdr wire.ReplyHeader
		hdr.Decode(r)
		if !r.Ok() {
			return
		}
		if hdr.Zxid > 0 {
			c.mu.Lock()
			if hdr.Zxid > c.lastZxid {
				c.lastZxid = hdr.Zxid
			}
			c.mu.Unlock()
		}
		switch hdr.Xid {
		case zkcXidPing:
			continue
		case zkcXidAuth:
			if hdr.Err == wire.CodeAuthFailed {
				c.onEvent(wire.WatcherEvent{Type: wire.EventNone, State: wire.StateAuthFailed})
			}
			continue
		case zkcXidNotification:
			var ev wire.WatcherEvent
			ev.Decode(r)
			ev.Path = c.strip(ev.Path)
			c.onEvent(ev)
			continue
		}
		c.mu.Lock()
		ch := c.pending[hdr.Xid]
		delete(c.pending, hdr.Xid)
		c.mu.Unlock()
		if ch != nil {
			ch <- zkcReply{hdr: hdr, body: frame[len(frame)-r.Remaining():]}
		}
	}
}

func (c *zkcClient) pingLoop(done chan struct{}, every time.Duration) {
	if every <= 0 {
		every = 3 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			_ = c.send(zkcXidPing, wire.OpPing, nil)
		}
	}
}

func (c *zkcClient) send(xid int32, op wire.OpCode, req wire.Record) error {
	payload := wire.RequestHeader{Xid: xid, Type: op}.Append(nil)
	if req != nil {
		payload = req.Append(payload)
	}
	c.mu.Lock()
	nc := c.nc
	c.mu.Unlock()
	if nc == nil {
		return errors.New("not connected")
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := nc.Write(wire.AppendFrame(nil, payload))
	if err != nil {
		nc.Close()
	}
	return err
}

// call sends one request and waits for its reply, decoding the body into
// resp (nil for none). path is the client's path, for errors.
func (c *zkcClient) call(op wire.OpCode, path string, req, resp wire.Record) error {
	if c.beforeFirstCall != nil {
		c.firstCall.Do(c.beforeFirstCall)
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return &zkcError{code: wire.CodeSessionExpired, path: path}
	}
	connected := c.nc != nil
	c.mu.Unlock()
	if !connected {
		if err := c.reconnect(); err != nil {
			if c.isAlive() {
				return &zkcError{code: wire.CodeConnectionLoss, path: path}
			}
			return &zkcError{code: wire.CodeSessionExpired, path: path}
		}
	}
	c.mu.Lock()
	c.xid++
	xid := c.xid
	ch := make(chan zkcReply, 1)
	c.pending[xid] = ch
	c.mu.Unlock()
	if err := c.send(xid, op, req); err != nil {
		c.mu.Lock()
		if c.pending[xid] != nil {
			delete(c.pending, xid)
			ch <- zkcReply{hdr: wire.ReplyHeader{Xid: xid, Err: wire.CodeConnectionLoss}}
		}
		c.mu.Unlock()
	}
	rep := <-ch
	if rep.hdr.Err != wire.CodeOK {
		return &zkcError{code: rep.hdr.Err, path: path}
	}
	if resp != nil {
		r := wire.NewJuteReader(rep.body, 0)
		resp.Decode(r)
		if !r.Ok() {
			return &zkcError{code: wire.CodeMarshallingError, path: path}
		}
	}
	return nil
}

// addAuth sends an auth packet without waiting, as ZooKeeper.addAuthInfo.
func (c *zkcClient) addAuth(scheme string, auth []byte) {
	_ = c.send(zkcXidAuth, wire.OpAuth, &wire.AuthPacket{Scheme: scheme, Auth: auth})
}

// close ends the session (closeSession) and the connection.
func (c *zkcClient) close() {
	c.mu.Lock()
	connected := c.nc != nil && !c.closed
	c.closing = true
	c.mu.Unlock()
	if connected {
		done := make(chan struct{})
		go func() { _ = c.call(wire.OpCloseSession, "", nil, nil); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
	}
	c.drop()
}

// drop closes the connection without ending the session, as a JVM exiting
// with a live ZooKeeper handle does: its ephemerals stay until it expires.
func (c *zkcClient) drop() {
	c.mu.Lock()
	c.closed = true
	nc, done := c.nc, c.done
	c.mu.Unlock()
	if nc != nil {
		nc.Close()
		<-done
	}
}

func (c *zkcClient) full(path string) string {
	if c.chroot == "" {
		return path
	}
	if path == "/" {
		return c.chroot
	}
	return c.chroot + path
}

func (c *zkcClient) strip(path string) string {
	if c.chroot == "" || path == "" {
		return path
	}
	if path == c.chroot {
		return "/"
	}
	if strings.HasPrefix(path, c.chroot+"/") {
		return path[len(c.chroot):]
	}
	return path
}

// Typed operations (paths are the client's, before the chroot).

func (c *zkcClient) create(path string, data []byte, acl []wire.ACL, mode int32, ttl int64) (string, error) {
	switch {
	case mode == zkModeContainer:
		var resp wire.Create2Response
		err := c.call(wire.OpCreateContainer, path, &wire.CreateRequest{Path: c.full(path), Data: data, ACL: acl, Flags: mode}, &resp)
		return c.strip(resp.Path), err
	case mode == zkModePersistentTTL || mode == zkModePersistentSeqTTL:
		var resp wire.Create2Response
		err := c.call(wire.OpCreateTTL, path, &wire.CreateTTLRequest{Path: c.full(path), Data: data, ACL: acl, Flags: mode, TTL: ttl}, &resp)
		return c.strip(resp.Path), err
	}
	var resp wire.CreateResponse
	err := c.call(wire.OpCreate, path, &wire.CreateRequest{Path: c.full(path), Data: data, ACL: acl, Flags: mode}, &resp)
	return c.strip(resp.Path), err
}

func (c *zkcClient) exists(path string, watch bool) (*wire.Stat, error) {
	var resp wire.ExistsResponse
	err := c.call(wire.OpExists, path, &wire.ExistsRequest{Path: c.full(path), Watch: watch}, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.Stat, nil
}

func (c *zkcClient) get(path string, watch bool) ([]byte, wire.Stat, error) {
	var resp wire.GetDataResponse
	err := c.call(wire.OpGetData, path, &wire.GetDataRequest{Path: c.full(path), Watch: watch}, &resp)
	return resp.Data, resp.Stat, err
}

func (c *zkcClient) set(path string, data []byte, version int32) (wire.Stat, error) {
	var resp wire.SetDataResponse
	err := c.call(wire.OpSetData, path, &wire.SetDataRequest{Path: c.full(path), Data: data, Version: version}, &resp)
	return resp.Stat, err
}

func (c *zkcClient) delete(path string, version int32) error {
	return c.call(wire.OpDelete, path, &wire.DeleteRequest{Path: c.full(path), Version: version}, nil)
}

func (c *zkcClient) children(path string, watch bool) ([]string, wire.Stat, error) {
	var resp wire.GetChildren2Response
	err := c.call(wire.OpGetChildren2, path, &wire.GetChildren2Request{Path: c.full(path), Watch: watch}, &resp)
	return resp.Children, resp.Stat, err
}

func (c *zkcClient) getACL(path string) ([]wire.ACL, wire.Stat, error) {
	var resp wire.GetACLResponse
	err := c.call(wire.OpGetACL, path, &wire.GetACLRequest{Path: c.full(path)}, &resp)
	return resp.ACL, resp.Stat, err
}

func (c *zkcClient) setACL(path string, acl []wire.ACL, version int32) (wire.Stat, error) {
	var resp wire.SetACLResponse
	err := c.call(wire.OpSetACL, path, &wire.SetACLRequest{Path: c.full(path), ACL: acl, Version: version}, &resp)
	return resp.Stat, err
}

func (c *zkcClient) sync(path string) error {
	return c.call(wire.OpSync, path, &wire.SyncRequest{Path: c.full(path)}, &wire.SyncResponse{})
}

func (c *zkcClient) ephemerals(prefix string) ([]string, error) {
	var resp wire.GetEphemeralsResponse
	err := c.call(wire.OpGetEphemerals, prefix, &wire.GetEphemeralsRequest{PrefixPath: c.full(prefix)}, &resp)
	for i, p := range resp.Ephemerals {
		resp.Ephemerals[i] = c.strip(p)
	}
	return resp.Ephemerals, err
}

func (c *zkcClient) allChildrenNumber(path string) (int32, error) {
	var resp wire.GetAllChildrenNumberResponse
	err := c.call(wire.OpGetAllChildrenNumber, path, &wire.GetAllChildrenNumberRequest{Path: c.full(path)}, &resp)
	return resp.TotalNumber, err
}

func (c *zkcClient) addWatch(path string, mode wire.AddWatchMode) error {
	return c.call(wire.OpAddWatch, path, &wire.AddWatchRequest{Path: c.full(path), Mode: mode}, nil)
}

func (c *zkcClient) removeWatches(path string, typ wire.WatcherType) error {
	return c.call(wire.OpRemoveWatches, path, &wire.RemoveWatchesRequest{Path: c.full(path), Type: typ}, nil)
}

// whoAmI is ZooKeeper.whoAmI (zkCli 3.7+): the session's authenticated ids.
// Its request has no body.
func (c *zkcClient) whoAmI() ([]wire.ClientInfo, error) {
	var resp wire.WhoAmIResponse
	err := c.call(wire.OpWhoAmI, "", nil, &resp)
	return resp.ClientInfo, err
}
