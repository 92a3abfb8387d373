package zk

import (
	"strconv"
	"testing"
)

func benchTree(b *testing.B) (*Tree, *int64) {
	b.Helper()
	tr := NewTree(Options{})
	zxid := int64(1)
	txn, _ := tr.Prep(CreateSessionReq{Timeout: 30000}, PrepContext{SessionID: 1, Zxid: zxid})
	tr.Apply(txn)
	zxid++
	txn, _ = tr.Prep(CreateReq{Path: "/bench", ACL: OpenACLUnsafe()}, PrepContext{SessionID: 1, Zxid: zxid})
	tr.Apply(txn)
	return tr, &zxid
}

func BenchmarkCreate(b *testing.B) {
	tr, zxid := benchTree(b)
	acl := OpenACLUnsafe()
	data := []byte("0123456789")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		*zxid++
		txn, err := tr.Prep(CreateReq{Path: "/bench/n" + strconv.Itoa(i), Data: data, ACL: acl}, PrepContext{SessionID: 1, Zxid: *zxid})
		if err != nil {
			b.Fatal(err)
		}
		tr.Apply(txn)
	}
}

func BenchmarkCreateSequential(b *testing.B) {
	tr, zxid := benchTree(b)
	acl := OpenACLUnsafe()
	b.ReportAllocs()
	for b.Loop() {
		*zxid++
		txn, err := tr.Prep(CreateReq{Path: "/bench/s-", ACL: acl, Mode: ModePersistentSequential}, PrepContext{SessionID: 1, Zxid: *zxid})
		if err != nil {
			b.Fatal(err)
		}
		tr.Apply(txn)
	}
}

func BenchmarkGetData(b *testing.B) {
	tr, zxid := benchTree(b)
	*zxid++
	txn, _ := tr.Prep(CreateReq{Path: "/bench/x", Data: []byte("payload"), ACL: OpenACLUnsafe()}, PrepContext{SessionID: 1, Zxid: *zxid})
	tr.Apply(txn)
	c := Caller{Session: 1}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := tr.GetData(c, "/bench/x", false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetDataWatch(b *testing.B) {
	tr, zxid := benchTree(b)
	*zxid++
	txn, _ := tr.Prep(CreateReq{Path: "/bench/x", Data: []byte("payload"), ACL: OpenACLUnsafe()}, PrepContext{SessionID: 1, Zxid: *zxid})
	tr.Apply(txn)
	c := Caller{Session: 1}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := tr.GetData(c, "/bench/x", true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetData(b *testing.B) {
	tr, zxid := benchTree(b)
	*zxid++
	txn, _ := tr.Prep(CreateReq{Path: "/bench/x", ACL: OpenACLUnsafe()}, PrepContext{SessionID: 1, Zxid: *zxid})
	tr.Apply(txn)
	data := []byte("0123456789")
	b.ReportAllocs()
	for b.Loop() {
		*zxid++
		txn, err := tr.Prep(SetDataReq{Path: "/bench/x", Data: data, Version: -1}, PrepContext{SessionID: 1, Zxid: *zxid})
		if err != nil {
			b.Fatal(err)
		}
		tr.Apply(txn)
	}
}

func BenchmarkSetDataWatched(b *testing.B) {
	tr, zxid := benchTree(b)
	*zxid++
	txn, _ := tr.Prep(CreateReq{Path: "/bench/x", ACL: OpenACLUnsafe()}, PrepContext{SessionID: 1, Zxid: *zxid})
	tr.Apply(txn)
	c := Caller{Session: 1}
	b.ReportAllocs()
	for b.Loop() {
		tr.GetData(c, "/bench/x", true)
		*zxid++
		txn, _ := tr.Prep(SetDataReq{Path: "/bench/x", Version: -1}, PrepContext{SessionID: 1, Zxid: *zxid})
		if res := tr.Apply(txn); len(res.Events) != 1 {
			b.Fatal("no event")
		}
	}
}

func BenchmarkGetChildren1000(b *testing.B) {
	tr, zxid := benchTree(b)
	for i := range 1000 {
		*zxid++
		txn, _ := tr.Prep(CreateReq{Path: "/bench/c" + strconv.Itoa(i), ACL: OpenACLUnsafe()}, PrepContext{SessionID: 1, Zxid: *zxid})
		tr.Apply(txn)
	}
	c := Caller{Session: 1}
	b.ReportAllocs()
	for b.Loop() {
		if kids, _, _ := tr.GetChildren(c, "/bench", false); len(kids) != 1000 {
			b.Fatal(len(kids))
		}
	}
}
