package zk

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/kafkago/kafka/wire"
)

// The owner goroutine's request handling: the connect handshake
// (ZooKeeperServer.processConnectRequest), then every op code a 3.8 server
// accepts, mapped between the jute records of package wire and the tree.

// handleConnect answers a ConnectRequest: a new session (createSession txn,
// answered once it is durable), a reconnect to a live session, or the
// expired-session answer.
func (s *Server) handleConnect(it *item) {
	c := it.c
	if c.gone {
		return
	}
	req := it.connReq
	c.oldClient = !req.HasReadOnly
	if last := s.tree.LastZxid(); req.LastZxidSeen > last {
		s.logf(slog.LevelInfo, classServer, "Refusing session request for client %s as it has seen zxid 0x%x our last zxid is 0x%x client must try another server",
			c.remote, req.LastZxidSeen, last)
		s.closeConn(c, false)
		return
	}
	to := req.TimeOut
	to = max(to, int32(s.cfg.MinSessionTimeout))
	to = min(to, int32(s.cfg.MaxSessionTimeout))
	c.timeout = to
	c.auth = []Id{{SchemeIP, c.ip}}
	now := s.nowMs()
	if req.SessionID == 0 {
		id := s.tracker.newID()
		ts := s.tracker.add(id, to, now)
		ts.conn = c
		c.sid = id
		s.submit(c, id, 0, CreateSessionReq{Timeout: to}, func(res Result) {
			if c.gone {
				return
			}
			s.establish(c, id, true)
		})
		return
	}
	id := req.SessionID
	if ts := s.tracker.byID[id]; ts != nil && ts.conn != nil && ts.conn != c {
		s.closeConn(ts.conn, false)
	}
	valid := bytes.Equal(req.Passwd, sessionPassword(id))
	if !valid {
		s.logf(slog.LevelWarn, classServer, "Incorrect password from %s for session 0x%x", c.remote, id)
	}
	ts := s.tracker.byID[id]
	if valid && ts != nil && !ts.closing && s.tree.SessionLive(id) {
		ts.timeout = to
		s.tracker.touch(ts, now)
		ts.conn = c
		c.sid = id
		s.establish(c, id, true)
		return
	}
	s.establish(c, id, false)
}

// establish sends the ConnectResponse (finishSessionInit): the session and
// its password, or zeros and a close for an invalid session.
func (s *Server) establish(c *conn, id int64, valid bool) {
	resp := wire.ConnectResponse{HasReadOnly: !c.oldClient, Passwd: make([]byte, 16)}
	if valid {
		resp.TimeOut = c.timeout
		resp.SessionID = c.sid
		resp.Passwd = sessionPassword(c.sid)
	}
	c.enqueue(wire.AppendFrame(nil, resp.Append(nil)))
	if !valid {
		s.logf(slog.LevelInfo, classServer, "Invalid session 0x%x for client %s, probably expired", id, c.remote)
		c.sid = 0
		s.closeConn(c, true)
		return
	}
	c.established = s.opts.now()
	c.stats.lastOp = "SESS"
	s.logf(slog.LevelInfo, classServer, "Established session 0x%x with negotiated timeout %d for client %s", c.sid, c.timeout, c.remote)
}

// closeAfterReply stops taking requests from c: what is queued is
// answered, then the connection closes.
func (s *Server) closeAfterReply(c *conn) {
	c.refused = true
	s.ordered(c, false, func() { s.closeConn(c, true) })
}

// reply sends a reply on c and updates the statistics. The body is left out
// when err is set.
func (s *Server) reply(c *conn, start time.Time, xid int32, op string, body wire.Record, err error) {
	zxid := s.tree.LastZxid()
	s.sendReply(c, start, xid, zxid, op, body, wire.Code(Code(err)))
}

func (s *Server) sendReply(c *conn, start time.Time, xid int32, zxid int64, op string, body wire.Record, code wire.Code) {
	if c.gone {
		return
	}
	c.enqueue(wire.AppendReply(nil, wire.ReplyHeader{Xid: xid, Zxid: zxid, Err: code}, body))
	c.outstanding.Add(-1)
	lat := time.Since(start).Milliseconds()
	st := &s.stats
	if st.minLat < 0 || lat < st.minLat {
		st.minLat = lat
	}
	st.maxLat = max(st.maxLat, lat)
	st.totalLat += lat
	st.countLat++
	cs := &c.stats
	cs.lastOp = op
	cs.lastCxid = int64(xid)
	cs.lastZxid = zxid
	cs.lastResp = s.nowMs()
	cs.lastLat = lat
	if cs.minLat < 0 || lat < cs.minLat {
		cs.minLat = lat
	}
	cs.maxLat = max(cs.maxLat, lat)
	cs.totalLat += lat
	cs.count++
}

// handleRequest processes one request of an established connection.
func (s *Server) handleRequest(it *item) {
	c := it.c
	if c.gone || c.refused || c.sid == 0 {
		return
	}
	ts := s.tracker.byID[c.sid]
	if ts == nil || ts.conn != c || !s.tracker.touch(ts, s.nowMs()) {
		// ZooKeeper drops requests of a session it is closing
		// (MissingSessionException); the connection closes with it.
		c.outstanding.Add(-1)
		return
	}
	h, start := it.hdr, it.recv
	xid := h.Xid
	if it.err != nil {
		if errors.Is(it.err, wire.ErrUnknownOp) {
			s.logf(slog.LevelWarn, classServer, "Received packet at server of unknown type %d", int32(h.Type))
			s.ordered(c, false, func() { s.reply(c, start, xid, "NA", nil, ErrUnimplemented) })
			s.closeAfterReply(c)
			return
		}
		s.logf(slog.LevelError, classServer, "Failed to process sessionid:0x%x type:%d cxid:0x%x: %v", c.sid, int32(h.Type), xid, it.err)
		s.ordered(c, false, func() { s.reply(c, start, xid, "NA", nil, ErrMarshallingError) })
		return
	}
	caller := Caller{Session: c.sid, Auth: c.auth}
	// read answers a read-like request in order.
	read := func(op string, fn func() (wire.Record, error)) {
		s.ordered(c, false, func() {
			body, err := fn()
			s.reply(c, start, xid, op, body, err)
		})
	}
	// write preps a write and answers it once applied.
	write := func(op string, req Request, body func(Result) wire.Record) {
		s.submit(c, c.sid, xid, req, func(res Result) {
			if c.gone {
				return
			}
			if res.Type == OpMulti {
				// A multi's header carries 0; failures are per op.
				s.reply(c, start, xid, op, body(res), nil)
				return
			}
			var b wire.Record
			if res.Err == nil && body != nil {
				b = body(res)
			}
			s.reply(c, start, xid, op, b, res.Err)
		})
	}
	switch r := it.rec.(type) {
	case *wire.EmptyRecord:
		switch h.Type {
		case wire.OpPing:
			s.ordered(c, false, func() {
				s.sendReply(c, start, wire.XidPing, s.tree.LastZxid(), "PING", nil, wire.CodeOK)
			})
		case wire.OpCloseSession:
			c.refused = true
			s.submitClose(c, c.sid, xid)
		case wire.OpWhoAmI:
			read("HOMI", func() (wire.Record, error) { return whoAmI(c.auth), nil })
		}
	case *wire.CreateRequest:
		req := CreateReq{Op: OpCode(h.Type), Path: r.Path, Data: r.Data, ACL: fromWireACLs(r.ACL), Mode: CreateMode(r.Flags)}
		write("CREA", req, func(res Result) wire.Record { return createResponse(h.Type, res.OpResult) })
	case *wire.CreateTTLRequest:
		req := CreateReq{Op: OpCreateTTL, Path: r.Path, Data: r.Data, ACL: fromWireACLs(r.ACL), Mode: CreateMode(r.Flags), TTL: r.TTL}
		write("CREA", req, func(res Result) wire.Record { return createResponse(h.Type, res.OpResult) })
	case *wire.DeleteRequest:
		write("DELE", DeleteReq{Path: r.Path, Version: r.Version}, nil)
	case *wire.DeleteContainerRequest:
		write("DELE", DeleteContainerReq{Path: r.Path}, nil)
	case *wire.SetDataRequest:
		write("SETD", SetDataReq{Path: r.Path, Data: r.Data, Version: r.Version}, func(res Result) wire.Record {
			return &wire.SetDataResponse{Stat: toWireStat(res.Stat)}
		})
	case *wire.SetACLRequest:
		write("SETA", SetACLReq{Path: r.Path, ACL: fromWireACLs(r.ACL), Version: r.Version}, func(res Result) wire.Record {
			return &wire.SetACLResponse{Stat: toWireStat(res.Stat)}
		})
	case *wire.CheckVersionRequest:
		write("CHEC", CheckReq{Path: r.Path, Version: r.Version}, nil)
	case *wire.MultiRequest:
		if h.Type == wire.OpMultiRead {
			if len(r.Ops) > 0 && !r.IsRead() {
				read("MLTR", func() (wire.Record, error) { return nil, ErrMarshallingError })
				return
			}
			read("MLTR", func() (wire.Record, error) { return s.multiRead(caller, r) })
			return
		}
		req, err := multiRequest(r)
		if err != nil {
			read("MULT", func() (wire.Record, error) { return nil, err })
			return
		}
		write("MULT", req, func(res Result) wire.Record { return multiResponse(res) })
	case *wire.ExistsRequest:
		read("EXIS", func() (wire.Record, error) {
			st, err := s.tree.Exists(caller, r.Path, r.Watch)
			return &wire.ExistsResponse{Stat: toWireStat(st)}, err
		})
	case *wire.GetDataRequest:
		read("GETD", func() (wire.Record, error) {
			data, st, err := s.tree.GetData(caller, r.Path, r.Watch)
			return &wire.GetDataResponse{Data: data, Stat: toWireStat(st)}, err
		})
	case *wire.GetChildrenRequest:
		read("GETC", func() (wire.Record, error) {
			kids, _, err := s.tree.GetChildren(caller, r.Path, r.Watch)
			return &wire.GetChildrenResponse{Children: kids}, err
		})
	case *wire.GetChildren2Request:
		read("GETC", func() (wire.Record, error) {
			kids, st, err := s.tree.GetChildren(caller, r.Path, r.Watch)
			return &wire.GetChildren2Response{Children: kids, Stat: toWireStat(st)}, err
		})
	case *wire.GetACLRequest:
		read("GETA", func() (wire.Record, error) {
			acl, st, err := s.tree.GetACL(caller, r.Path)
			return &wire.GetACLResponse{ACL: toWireACLs(acl), Stat: toWireStat(st)}, err
		})
	case *wire.GetAllChildrenNumberRequest:
		read("GETACN", func() (wire.Record, error) {
			n, err := s.tree.GetAllChildrenNumber(caller, r.Path)
			return &wire.GetAllChildrenNumberResponse{TotalNumber: n}, err
		})
	case *wire.GetEphemeralsRequest:
		read("GETE", func() (wire.Record, error) {
			return &wire.GetEphemeralsResponse{Ephemerals: s.tree.GetEphemerals(c.sid, r.PrefixPath)}, nil
		})
	case *wire.SyncRequest:
		s.ordered(c, true, func() { s.reply(c, start, xid, "SYNC", &wire.SyncResponse{Path: r.Path}, nil) })
	case *wire.CheckWatchesRequest:
		read("CHKW", func() (wire.Record, error) {
			return nil, s.tree.Watches().CheckWatches(c.sid, r.Path, WatcherType(r.Type))
		})
	case *wire.RemoveWatchesRequest:
		read("REMW", func() (wire.Record, error) {
			return nil, s.tree.Watches().RemoveWatches(c.sid, r.Path, WatcherType(r.Type))
		})
	case *wire.AddWatchRequest:
		read("ADDW", func() (wire.Record, error) {
			if err := s.tree.Watches().AddWatch(caller, r.Path, AddWatchMode(r.Mode)); err != nil {
				return nil, err
			}
			return &wire.ErrorResponse{Err: 0}, nil
		})
	case *wire.SetWatches:
		s.setWatches(c, start, xid, "SETW", SetWatchesReq{RelativeZxid: r.RelativeZxid, Data: r.DataWatches, Exist: r.ExistWatches, Child: r.ChildWatches})
	case *wire.SetWatches2:
		s.setWatches(c, start, xid, "STW2", SetWatchesReq{RelativeZxid: r.RelativeZxid, Data: r.DataWatches, Exist: r.ExistWatches,
			Child: r.ChildWatches, Persistent: r.PersistentWatches, PersistentRecursive: r.PersistentRecursiveWatches})
	case *wire.AuthPacket:
		s.auth(c, start, xid, r)
	case *wire.GetSASLRequest:
		s.logf(slog.LevelWarn, classServer, "Client %s failed to SASL authenticate: SASL is not configured", c.remote)
		s.ordered(c, false, func() { s.sendReply(c, start, xid, 0, "SASL", nil, wire.Code(Code(ErrAuthFailed))) })
		s.closeAfterReply(c)
	case *wire.ReconfigRequest:
		err := ErrReconfigDisabled
		if s.cfg.ReconfigEnabled {
			err = ErrUnimplemented // standalone
		}
		read("RECO", func() (wire.Record, error) { return nil, err })
	default:
		read("NA", func() (wire.Record, error) { return nil, fmt.Errorf("%w: op %d", ErrUnimplemented, int32(h.Type)) })
	}
}

// setWatches re-arms a reconnecting client's watches; the catch-up events
// go out before the reply.
func (s *Server) setWatches(c *conn, start time.Time, xid int32, op string, req SetWatchesReq) {
	s.ordered(c, false, func() {
		s.deliver(s.tree.SetWatches(Caller{Session: c.sid, Auth: c.auth}, req))
		s.reply(c, start, xid, op, nil, nil)
	})
}

// auth handles an auth packet: the ids are added at once (later requests
// are prepped with them); the reply keeps its place in line. A failure
// answers AuthFailed and closes the connection.
func (s *Server) auth(c *conn, start time.Time, xid int32, r *wire.AuthPacket) {
	ids, err := Authenticate(r.Scheme, r.Auth, c.ip, s.cfg.SuperDigest)
	if err != nil {
		s.logf(slog.LevelWarn, classServer, "Authentication failed for scheme: %s", r.Scheme)
		s.ordered(c, false, func() { s.sendReply(c, start, xid, 0, "AUTH", nil, wire.Code(Code(ErrAuthFailed))) })
		s.closeAfterReply(c)
		return
	}
	for _, id := range ids {
		dup := false
		for _, have := range c.auth {
			if have == id {
				dup = true
				break
			}
		}
		if !dup {
			c.auth = append(c.auth, id)
		}
	}
	s.tree.Watches().SetAuth(Caller{Session: c.sid, Auth: c.auth})
	s.logf(slog.LevelDebug, classServer, "Authentication succeeded for scheme: %s", r.Scheme)
	s.ordered(c, false, func() { s.sendReply(c, start, xid, 0, "AUTH", nil, wire.CodeOK) })
}

// multiRead runs a multiRead: each read on its own, failures per op.
func (s *Server) multiRead(caller Caller, r *wire.MultiRequest) (wire.Record, error) {
	ops := make([]ReadOp, 0, len(r.Ops))
	for _, op := range r.Ops {
		switch q := op.Op.(type) {
		case *wire.GetDataRequest:
			ops = append(ops, ReadOp{Type: OpGetData, Path: q.Path})
		case *wire.GetChildrenRequest:
			ops = append(ops, ReadOp{Type: OpGetChildren, Path: q.Path})
		default:
			return nil, ErrMarshallingError
		}
	}
	results, err := s.tree.MultiRead(caller, ops)
	if err != nil {
		return nil, err
	}
	out := &wire.MultiResponse{Results: make([]wire.MultiResult, len(results))}
	for i, res := range results {
		switch res.Type {
		case OpGetData:
			out.Results[i] = wire.MultiResult{Type: wire.OpGetData, Data: res.Data, Stat: toWireStat(res.Stat)}
		case OpGetChildren:
			out.Results[i] = wire.MultiResult{Type: wire.OpGetChildren, Children: res.Children}
		default:
			out.Results[i] = wire.MultiResult{Type: wire.OpError, Err: wire.Code(Code(res.Err))}
		}
	}
	return out, nil
}

// multiRequest converts a multi's ops. Creates follow their flags, as Java's
// MultiOperationRecord rebuilds them (Op.create): a create sent as create2
// is a create, one with container flags a createContainer.
func multiRequest(r *wire.MultiRequest) (MultiReq, error) {
	ops := make([]Request, 0, len(r.Ops))
	for _, op := range r.Ops {
		switch q := op.Op.(type) {
		case *wire.CreateRequest:
			ops = append(ops, CreateReq{Path: q.Path, Data: q.Data, ACL: fromWireACLs(q.ACL), Mode: CreateMode(q.Flags)})
		case *wire.CreateTTLRequest:
			ops = append(ops, CreateReq{Path: q.Path, Data: q.Data, ACL: fromWireACLs(q.ACL), Mode: CreateMode(q.Flags), TTL: q.TTL})
		case *wire.DeleteRequest:
			ops = append(ops, DeleteReq{Path: q.Path, Version: q.Version})
		case *wire.SetDataRequest:
			ops = append(ops, SetDataReq{Path: q.Path, Data: q.Data, Version: q.Version})
		case *wire.CheckVersionRequest:
			ops = append(ops, CheckReq{Path: q.Path, Version: q.Version})
		default:
			return MultiReq{}, fmt.Errorf("%w: invalid type of op %d in multi", ErrMarshallingError, int32(op.Type))
		}
	}
	return MultiReq{Ops: ops}, nil
}

// multiResponse builds a multi's reply: per-op results, or on failure an
// error result for every op (0 before the failing one).
func multiResponse(res Result) wire.Record {
	out := &wire.MultiResponse{Results: make([]wire.MultiResult, len(res.Ops))}
	for i, r := range res.Ops {
		var m wire.MultiResult
		switch r.Type {
		case OpCreate:
			m = wire.MultiResult{Type: wire.OpCreate, Path: r.Path}
		case OpCreate2, OpCreateContainer, OpCreateTTL:
			m = wire.MultiResult{Type: wire.OpCreate2, Path: r.Path, Stat: toWireStat(r.Stat)}
		case OpDelete, OpDeleteContainer:
			m = wire.MultiResult{Type: wire.OpDelete}
		case OpSetData:
			m = wire.MultiResult{Type: wire.OpSetData, Stat: toWireStat(r.Stat)}
		case OpCheck:
			m = wire.MultiResult{Type: wire.OpCheck}
		default:
			m = wire.MultiResult{Type: wire.OpError, Err: wire.Code(Code(r.Err))}
		}
		out.Results[i] = m
	}
	return out
}

// createResponse is create's body: the path for create (1), path and stat
// for create2, createContainer and createTTL.
func createResponse(op wire.OpCode, r OpResult) wire.Record {
	if op == wire.OpCreate {
		return &wire.CreateResponse{Path: r.Path}
	}
	return &wire.Create2Response{Path: r.Path, Stat: toWireStat(r.Stat)}
}

// whoAmI lists the connection's ids as ClientInfo: digest ids by user name,
// as the providers' getUserName does.
func whoAmI(auth []Id) *wire.WhoAmIResponse {
	out := &wire.WhoAmIResponse{ClientInfo: make([]wire.ClientInfo, 0, len(auth))}
	for _, id := range auth {
		user := id.ID
		if id.Scheme == SchemeDigest {
			user = javaSplit(id.ID, ':')[0]
		}
		out.ClientInfo = append(out.ClientInfo, wire.ClientInfo{AuthScheme: id.Scheme, User: user})
	}
	return out
}

func toWireStat(st Stat) wire.Stat {
	return wire.Stat{
		Czxid: st.Czxid, Mzxid: st.Mzxid, Ctime: st.Ctime, Mtime: st.Mtime,
		Version: st.Version, Cversion: st.Cversion, Aversion: st.Aversion,
		EphemeralOwner: st.EphemeralOwner, DataLength: st.DataLength, NumChildren: st.NumChildren, Pzxid: st.Pzxid,
	}
}

func fromWireACLs(acl []wire.ACL) []ACL {
	out := make([]ACL, len(acl))
	for i, a := range acl {
		out[i] = ACL{Perms: a.Perms, Id: Id{Scheme: a.Scheme, ID: a.ID}}
	}
	return out
}

func toWireACLs(acl []ACL) []wire.ACL {
	out := make([]wire.ACL, len(acl))
	for i, a := range acl {
		out[i] = wire.ACL{Perms: a.Perms, Scheme: a.Id.Scheme, ID: a.Id.ID}
	}
	return out
}
