package zk

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kafkago/kafka/engine/e2e/oracle"
	"github.com/kafkago/kafka/wire"
)

// The differential suite: the same scripted sessions run against Apache
// ZooKeeper (Debian's 3.8 started by oracle.StartZooKeeper, or ZK_ORACLE=
// host:port) and against our server, and every reply, Stat field and watch
// event must match. Zxids are compared relative to the script's first one,
// times as "set or not", session ids by role.

// diffSession is one client of a differential script.
type diffSession struct {
	*rawClient
	name string
}

type diffRun struct {
	t        *testing.T
	root     string
	base     int64
	sessions []*diffSession
	out      []string
}

func (d *diffRun) zx(z int64) string {
	switch {
	case z == 0:
		return "0"
	case z == -1:
		return "-1"
	case d.base == 0:
		d.base = z
	}
	return fmt.Sprintf("z%+d", z-d.base)
}

func (d *diffRun) owner(o int64) string {
	if o == 0 {
		return "0"
	}
	for _, s := range d.sessions {
		if s.sid == o {
			return s.name
		}
	}
	return fmt.Sprintf("0x%x", o)
}

func (d *diffRun) stat(s wire.Stat) string {
	t := func(v int64) string {
		if v == 0 {
			return "0"
		}
		return "T"
	}
	return fmt.Sprintf("{c=%s m=%s p=%s ct=%s mt=%s v=%d cv=%d av=%d eo=%s dl=%d nc=%d}",
		d.zx(s.Czxid), d.zx(s.Mzxid), d.zx(s.Pzxid), t(s.Ctime), t(s.Mtime), s.Version, s.Cversion, s.Aversion,
		d.owner(s.EphemeralOwner), s.DataLength, s.NumChildren)
}

// rel strips the script's root from a path so both runs print alike.
func (d *diffRun) rel(p string) string { return strings.Replace(p, d.root, "R", 1) }

func (d *diffRun) body(rec wire.Record) string {
	switch r := rec.(type) {
	case nil:
		return ""
	case *wire.CreateResponse:
		return d.rel(r.Path)
	case *wire.Create2Response:
		return d.rel(r.Path) + " " + d.stat(r.Stat)
	case *wire.ExistsResponse:
		return d.stat(r.Stat)
	case *wire.GetDataResponse:
		data := "null"
		if r.Data != nil {
			data = fmt.Sprintf("%q", r.Data)
		}
		return data + " " + d.stat(r.Stat)
	case *wire.SetDataResponse:
		return d.stat(r.Stat)
	case *wire.SetACLResponse:
		return d.stat(r.Stat)
	case *wire.GetACLResponse:
		return fmt.Sprintf("%v %s", r.ACL, d.stat(r.Stat))
	case *wire.GetChildren2Response:
		return fmt.Sprintf("%v %s", r.Children, d.stat(r.Stat))
	case *wire.GetChildrenResponse:
		return fmt.Sprintf("%v", r.Children)
	case *wire.GetAllChildrenNumberResponse:
		return fmt.Sprint(r.TotalNumber)
	case *wire.GetEphemeralsResponse:
		ps := make([]string, len(r.Ephemerals))
		for i, p := range r.Ephemerals {
			ps[i] = d.rel(p)
		}
		return fmt.Sprint(ps)
	case *wire.SyncResponse:
		return d.rel(r.Path)
	case *wire.MultiResponse:
		var parts []string
		for _, m := range r.Results {
			s := fmt.Sprintf("%d:", m.Type)
			switch m.Type {
			case wire.OpCreate:
				s += d.rel(m.Path)
			case wire.OpCreate2:
				s += d.rel(m.Path) + d.stat(m.Stat)
			case wire.OpSetData:
				s += d.stat(m.Stat)
			case wire.OpGetData:
				s += fmt.Sprintf("%q%s", m.Data, d.stat(m.Stat))
			case wire.OpGetChildren:
				s += fmt.Sprint(m.Children)
			case wire.OpError:
				s += fmt.Sprint(m.Err)
			}
			parts = append(parts, s)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case *wire.WhoAmIResponse:
		return fmt.Sprint(r.ClientInfo)
	case *wire.ErrorResponse:
		return fmt.Sprint(r.Err)
	}
	return fmt.Sprintf("%T", rec)
}

// do sends one request on session i, reads its reply, then pings every
// session so the events the request fired are collected in a fixed order.
func (d *diffRun) do(i int, label string, op wire.OpCode, req, resp wire.Record) {
	s := d.sessions[i]
	h := s.call(op, req, resp)
	line := fmt.Sprintf("%s %s: err=%d zxid=%s", s.name, label, h.Err, d.zx(h.Zxid))
	if h.Err == 0 {
		line += " " + d.body(resp)
	}
	d.out = append(d.out, line)
	if op == wire.OpCloseSession {
		d.sessions = append(d.sessions[:i:i], d.sessions[i+1:]...)
	}
	d.sync()
}

func (d *diffRun) sync() {
	for _, s := range d.sessions {
		s.call(wire.OpPing, &wire.EmptyRecord{}, nil)
		for _, e := range s.events {
			d.out = append(d.out, fmt.Sprintf("%s event type=%d state=%d path=%s", s.name, e.Type, e.State, d.rel(e.Path)))
		}
		s.events = nil
	}
}

// script is the scripted part: every op kind, the errors ZooKeeper returns
// and the events it fires, on the same paths in both runs.
func (d *diffRun) script() {
	R := d.root
	acl := openACL()
	create := func(i int, p string, data []byte, flags int32) {
		d.do(i, "create "+d.rel(p), wire.OpCreate, &wire.CreateRequest{Path: p, Data: data, ACL: acl, Flags: flags}, &wire.CreateResponse{})
	}
	create(0, R, nil, 0)
	d.do(0, "create2 R/a", wire.OpCreate2, &wire.CreateRequest{Path: R + "/a", Data: []byte("A"), ACL: acl}, &wire.Create2Response{})
	create(0, R+"/a", nil, 0)
	create(0, R+"/nope/x", nil, 0)
	create(0, R+"/bad/", nil, 0)
	create(0, R+"/flags", nil, 9)
	d.do(0, "create empty acl", wire.OpCreate, &wire.CreateRequest{Path: R + "/noacl", ACL: []wire.ACL{}}, &wire.CreateResponse{})
	d.do(0, "create auth acl", wire.OpCreate, &wire.CreateRequest{Path: R + "/authacl", ACL: []wire.ACL{{Perms: 31, Scheme: "auth"}}}, &wire.CreateResponse{})
	d.do(0, "create /", wire.OpCreate, &wire.CreateRequest{Path: "/", ACL: acl}, &wire.CreateResponse{})
	for i := 0; i < 3; i++ {
		create(1, R+"/a/seq-", []byte{byte('0' + i)}, wire.CreateModeEphemeralSequential)
	}
	create(0, R+"/a/p-", nil, wire.CreateModePersistentSequential)
	create(1, R+"/a/seq-0000000000/x", nil, 0)
	// Watches of session 0 on what session 1 changes.
	d.do(0, "getData watch", wire.OpGetData, &wire.GetDataRequest{Path: R + "/a", Watch: true}, &wire.GetDataResponse{})
	d.do(0, "exists watch missing", wire.OpExists, &wire.ExistsRequest{Path: R + "/b", Watch: true}, &wire.ExistsResponse{})
	d.do(0, "children2 watch", wire.OpGetChildren2, &wire.GetChildren2Request{Path: R + "/a", Watch: true}, &wire.GetChildren2Response{})
	d.do(1, "setData", wire.OpSetData, &wire.SetDataRequest{Path: R + "/a", Data: []byte("B"), Version: 0}, &wire.SetDataResponse{})
	d.do(1, "setData bad version", wire.OpSetData, &wire.SetDataRequest{Path: R + "/a", Data: []byte("C"), Version: 0}, &wire.SetDataResponse{})
	create(1, R+"/b", []byte("b"), 0)
	create(1, R+"/a/c", nil, 0)
	d.do(1, "delete not empty", wire.OpDelete, &wire.DeleteRequest{Path: R + "/a", Version: -1}, nil)
	d.do(1, "delete bad version", wire.OpDelete, &wire.DeleteRequest{Path: R + "/a/c", Version: 3}, nil)
	d.do(1, "delete special", wire.OpDelete, &wire.DeleteRequest{Path: "/zookeeper", Version: -1}, nil)
	d.do(0, "children R/a", wire.OpGetChildren, &wire.GetChildrenRequest{Path: R + "/a"}, &wire.GetChildrenResponse{})
	d.do(0, "getACL", wire.OpGetACL, &wire.GetACLRequest{Path: R + "/a"}, &wire.GetACLResponse{})
	d.do(0, "setACL", wire.OpSetACL, &wire.SetACLRequest{Path: R + "/b", ACL: []wire.ACL{{Perms: wire.PermRead, Scheme: "world", ID: "anyone"}}, Version: 0}, &wire.SetACLResponse{})
	d.do(0, "setACL bad version", wire.OpSetACL, &wire.SetACLRequest{Path: R + "/b", ACL: acl, Version: 0}, &wire.SetACLResponse{})
	d.do(1, "setData no auth", wire.OpSetData, &wire.SetDataRequest{Path: R + "/b", Version: -1}, &wire.SetDataResponse{})
	d.do(0, "getEphemerals", wire.OpGetEphemerals, &wire.GetEphemeralsRequest{PrefixPath: R}, &wire.GetEphemeralsResponse{})
	d.do(1, "getEphemerals", wire.OpGetEphemerals, &wire.GetEphemeralsRequest{PrefixPath: R + "/a"}, &wire.GetEphemeralsResponse{})
	d.do(0, "getAllChildrenNumber", wire.OpGetAllChildrenNumber, &wire.GetAllChildrenNumberRequest{Path: R}, &wire.GetAllChildrenNumberResponse{})
	d.do(0, "whoAmI", wire.OpWhoAmI, &wire.EmptyRecord{}, &wire.WhoAmIResponse{})
	d.do(0, "sync", wire.OpSync, &wire.SyncRequest{Path: R}, &wire.SyncResponse{})
	// multi: success, failure, read.
	d.do(0, "multi ok", wire.OpMulti, &wire.MultiRequest{Ops: []wire.MultiOp{
		{Type: wire.OpCreate, Op: &wire.CreateRequest{Path: R + "/m", Data: []byte("1"), ACL: acl, Flags: wire.CreateModeEphemeral}},
		{Type: wire.OpSetData, Op: &wire.SetDataRequest{Path: R + "/m", Data: []byte("22"), Version: 0}},
		{Type: wire.OpCheck, Op: &wire.CheckVersionRequest{Path: R + "/m", Version: 1}},
		{Type: wire.OpCreate2, Op: &wire.CreateRequest{Path: R + "/m2", ACL: acl, Flags: wire.CreateModePersistentSequential}},
		{Type: wire.OpDelete, Op: &wire.DeleteRequest{Path: R + "/a/c", Version: 0}},
	}}, &wire.MultiResponse{})
	d.do(0, "multi fails", wire.OpMulti, &wire.MultiRequest{Ops: []wire.MultiOp{
		{Type: wire.OpCreate, Op: &wire.CreateRequest{Path: R + "/n", ACL: acl}},
		{Type: wire.OpCheck, Op: &wire.CheckVersionRequest{Path: R + "/m", Version: 0}},
		{Type: wire.OpDelete, Op: &wire.DeleteRequest{Path: R + "/n", Version: -1}},
	}}, &wire.MultiResponse{})
	d.do(0, "multi empty", wire.OpMulti, &wire.MultiRequest{}, &wire.MultiResponse{})
	d.do(1, "multiRead", wire.OpMultiRead, &wire.MultiRequest{Ops: []wire.MultiOp{
		{Type: wire.OpGetData, Op: &wire.GetDataRequest{Path: R + "/m"}},
		{Type: wire.OpGetChildren, Op: &wire.GetChildrenRequest{Path: R + "/zz"}},
		{Type: wire.OpGetChildren, Op: &wire.GetChildrenRequest{Path: R}},
	}}, &wire.MultiResponse{})
	// Persistent watches, then the watch calls.
	d.do(0, "addWatch recursive", wire.OpAddWatch, &wire.AddWatchRequest{Path: R + "/a", Mode: wire.AddWatchModePersistentRecursive}, &wire.ErrorResponse{})
	create(1, R+"/a/deep", nil, 0)
	create(1, R+"/a/deep/er", []byte("x"), 0)
	d.do(1, "setData deep", wire.OpSetData, &wire.SetDataRequest{Path: R + "/a/deep/er", Version: -1}, &wire.SetDataResponse{})
	d.do(0, "checkWatches", wire.OpCheckWatches, &wire.CheckWatchesRequest{Path: R + "/a", Type: 3}, nil)
	d.do(0, "removeWatches", wire.OpRemoveWatches, &wire.RemoveWatchesRequest{Path: R + "/a", Type: 3}, nil)
	d.do(0, "removeWatches again", wire.OpRemoveWatches, &wire.RemoveWatchesRequest{Path: R + "/a", Type: 3}, nil)
	d.do(0, "exists watch", wire.OpExists, &wire.ExistsRequest{Path: R + "/a/seq-0000000001", Watch: true}, &wire.ExistsResponse{})
	d.do(0, "children watch", wire.OpGetChildren, &wire.GetChildrenRequest{Path: R + "/a", Watch: true}, &wire.GetChildrenResponse{})
	// Session 1 closes: its ephemerals go, session 0's watches fire.
	d.do(1, "closeSession", wire.OpCloseSession, &wire.EmptyRecord{}, nil)
	d.do(0, "children after close", wire.OpGetChildren2, &wire.GetChildren2Request{Path: R + "/a"}, &wire.GetChildren2Response{})
	d.do(0, "unknown node", wire.OpGetData, &wire.GetDataRequest{Path: R + "/none"}, &wire.GetDataResponse{})
}

// random runs n seeded random ops on a small tree with two sessions.
func (d *diffRun) random(seed uint64, n int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	R := d.root + "/r"
	d.do(0, "create R/r", wire.OpCreate, &wire.CreateRequest{Path: R, ACL: openACL()}, &wire.CreateResponse{})
	paths := []string{R + "/a", R + "/b", R + "/a/c", R + "/a/d", R + "/b/e", R + "/a/c/f", R + "/s-"}
	pick := func() string { return paths[rng.IntN(len(paths))] }
	for i := 0; i < n; i++ {
		s := rng.IntN(len(d.sessions))
		p := pick()
		ver := int32(rng.IntN(4)) - 1
		switch rng.IntN(12) {
		case 0, 1:
			flags := int32(rng.IntN(4))
			d.do(s, "create "+d.rel(p), wire.OpCreate, &wire.CreateRequest{Path: p, Data: []byte(p[len(p)-1:]), ACL: openACL(), Flags: flags}, &wire.CreateResponse{})
		case 2:
			d.do(s, "delete "+d.rel(p), wire.OpDelete, &wire.DeleteRequest{Path: p, Version: ver}, nil)
		case 3:
			d.do(s, "setData "+d.rel(p), wire.OpSetData, &wire.SetDataRequest{Path: p, Data: []byte{byte(i)}, Version: ver}, &wire.SetDataResponse{})
		case 4:
			d.do(s, "getData "+d.rel(p), wire.OpGetData, &wire.GetDataRequest{Path: p, Watch: rng.IntN(2) == 0}, &wire.GetDataResponse{})
		case 5:
			d.do(s, "exists "+d.rel(p), wire.OpExists, &wire.ExistsRequest{Path: p, Watch: rng.IntN(2) == 0}, &wire.ExistsResponse{})
		case 6:
			d.do(s, "children2 "+d.rel(p), wire.OpGetChildren2, &wire.GetChildren2Request{Path: p, Watch: rng.IntN(2) == 0}, &wire.GetChildren2Response{})
		case 7:
			d.do(s, "multi", wire.OpMulti, &wire.MultiRequest{Ops: []wire.MultiOp{
				{Type: wire.OpCreate, Op: &wire.CreateRequest{Path: pick(), ACL: openACL(), Flags: int32(rng.IntN(4))}},
				{Type: wire.OpCheck, Op: &wire.CheckVersionRequest{Path: pick(), Version: ver}},
				{Type: wire.OpSetData, Op: &wire.SetDataRequest{Path: pick(), Data: []byte("m"), Version: -1}},
			}}, &wire.MultiResponse{})
		case 8:
			d.do(s, "setACL "+d.rel(p), wire.OpSetACL, &wire.SetACLRequest{Path: p, ACL: openACL(), Version: ver}, &wire.SetACLResponse{})
		case 9:
			d.do(s, "getAllChildrenNumber "+d.rel(p), wire.OpGetAllChildrenNumber, &wire.GetAllChildrenNumberRequest{Path: p}, &wire.GetAllChildrenNumberResponse{})
		case 10:
			d.do(s, "multi delete", wire.OpMulti, &wire.MultiRequest{Ops: []wire.MultiOp{
				{Type: wire.OpDelete, Op: &wire.DeleteRequest{Path: pick(), Version: -1}},
				{Type: wire.OpDelete, Op: &wire.DeleteRequest{Path: pick(), Version: -1}},
			}}, &wire.MultiResponse{})
		case 11:
			d.do(s, "getEphemerals", wire.OpGetEphemerals, &wire.GetEphemeralsRequest{PrefixPath: R}, &wire.GetEphemeralsResponse{})
		}
	}
	d.do(0, "final children", wire.OpGetChildren2, &wire.GetChildren2Request{Path: R}, &wire.GetChildren2Response{})
}

func runDiff(t *testing.T, addr, root string, body func(*diffRun)) []string {
	d := &diffRun{t: t, root: root}
	for i := 0; i < 2; i++ {
		r := dialRaw(t, addr)
		r.session(30000)
		d.sessions = append(d.sessions, &diffSession{rawClient: r, name: fmt.Sprintf("S%d", i)})
	}
	body(d)
	return d.out
}

func TestZkDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts Apache ZooKeeper")
	}
	oracleAddr := os.Getenv("ZK_ORACLE")
	if oracleAddr == "" {
		oracleAddr = oracle.StartZooKeeper(t) // skips naming what is missing
	}
	ours := startServer(t, zkConfig(t, "tickTime=2000"))
	root := fmt.Sprintf("/diff%d", time.Now().UnixNano())
	for _, tc := range []struct {
		name string
		body func(*diffRun)
	}{
		{"script", (*diffRun).script},
		{"random", func(d *diffRun) { d.random(1, 150); d.random(2, 150) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := root + tc.name
			want := runDiff(t, oracleAddr, r, tc.body)
			got := runDiff(t, ours.addr, r, tc.body)
			if len(want) != len(got) {
				t.Errorf("%d lines from ZooKeeper, %d from ours", len(want), len(got))
			}
			diffs := 0
			for i := 0; i < max(len(want), len(got)); i++ {
				var w, g string
				if i < len(want) {
					w = want[i]
				}
				if i < len(got) {
					g = got[i]
				}
				if w != g {
					t.Errorf("line %d:\nzookeeper: %s\nours:      %s", i+1, w, g)
					if diffs++; diffs > 10 {
						break
					}
				}
			}
			if testing.Verbose() {
				t.Logf("%d replies and events compared", len(want))
				if os.Getenv("ZK_DIFF_SHOW") != "" {
					t.Logf("transcript:\n%s", strings.Join(got, "\n"))
				}
			}
		})
	}
}
