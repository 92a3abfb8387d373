package wire

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The fuzz targets read their seeds from testdata/fuzz/<FuzzName>/, written
// from the seed functions below by
//
//	go test ./wire -run TestZKFuzzSeedCorpus -wire.zk-update-seeds
//
// TestZKFuzzSeedCorpus fails when the files are stale. Every decoder must
// return an error rather than panic, must keep every length within its limit,
// and what it accepts must survive Append and a second decode unchanged.

var updateZKSeeds = flag.Bool("wire.zk-update-seeds", false, "rewrite wire/testdata/fuzz seeds of the ZooKeeper fuzz targets")

// smallLimit is the JuteReader limit the targets also decode with, to check
// that no decoded buffer, string or vector exceeds the limit.
const smallLimit = 32

// fuzzSeed is one corpus entry: the fuzz function's arguments.
type fuzzSeed []any

func goldenPayload(t testing.TB, golden map[string][]byte, name string) []byte {
	b, ok := golden[name]
	if !ok {
		t.Fatalf("no golden case %q", name)
	}
	p, err := ReadFrame(bytes.NewReader(b), nil, 0)
	if err != nil {
		t.Fatalf("golden %s: %v", name, err)
	}
	return p
}

func hostile(n int32, tail ...byte) []byte { return append(AppendInt32(nil, n), tail...) }

func seedsConnectRequest(t testing.TB, g map[string][]byte) []fuzzSeed {
	reconnect := ConnectRequest{LastZxidSeen: 0x2a, TimeOut: 6000, SessionID: 0x017a2b3c4d5e0000, Passwd: pw16(), ReadOnly: true, HasReadOnly: true}
	return []fuzzSeed{
		{goldenPayload(t, g, "connect_request_java")},
		{goldenPayload(t, g, "connect_request_gozk")},
		{goldenPayload(t, g, "connect_response")},
		{goldenPayload(t, g, "connect_response_expired")},
		{reconnect.Append(nil)},
		{append(reconnect.Append(nil), 1, 2, 3)},
		{append(make([]byte, 24), hostile(0x7fffffff)...)},
		{append(make([]byte, 24), hostile(-1, 1)...)},
		{[]byte{0, 0, 0}},
	}
}

func seedsRequest(t testing.TB, g map[string][]byte) []fuzzSeed {
	var seeds []fuzzSeed
	for _, name := range []string{"create_request", "ping_request", "close_session_request", "set_watches_request", "auth_request"} {
		p := goldenPayload(t, g, name)
		var h RequestHeader
		h.Decode(NewJuteReader(p, 0))
		seeds = append(seeds, fuzzSeed{int32(h.Type), p[RequestHeaderSize:]})
	}
	seeds = append(seeds,
		fuzzSeed{int32(OpMulti), g["multi_request_body"]},
		fuzzSeed{int32(OpCreateTTL), g["create_ttl_body"]},
		fuzzSeed{int32(OpSetWatches2), g["set_watches2_body"]},
	)
	for _, rec := range allRecords() {
		op := opForRecord(rec)
		if op == 0 {
			continue
		}
		seeds = append(seeds, fuzzSeed{int32(op), rec.Append(nil)})
	}
	return append(seeds,
		fuzzSeed{int32(10), []byte{}},
		fuzzSeed{int32(OpCreate), hostile(DefaultMaxBuffer)},
		fuzzSeed{int32(OpSetACL), append(AppendString(nil, "/a"), hostile(0x40000000)...)},
		fuzzSeed{int32(OpGetChildren2), hostile(-2)},
	)
}

// opForRecord maps a request record of allRecords to an op code (0: none).
func opForRecord(rec Record) OpCode {
	switch v := rec.(type) {
	case *CreateRequest:
		if v.Flags == CreateModeContainer {
			return OpCreateContainer
		}
		return OpCreate
	case *CreateTTLRequest:
		return OpCreateTTL
	case *DeleteRequest:
		return OpDelete
	case *DeleteContainerRequest:
		return OpDeleteContainer
	case *ExistsRequest:
		return OpExists
	case *GetDataRequest:
		return OpGetData
	case *SetDataRequest:
		return OpSetData
	case *GetACLRequest:
		return OpGetACL
	case *SetACLRequest:
		return OpSetACL
	case *GetChildrenRequest:
		return OpGetChildren
	case *GetChildren2Request:
		return OpGetChildren2
	case *SyncRequest:
		return OpSync
	case *CheckVersionRequest:
		return OpCheck
	case *MultiRequest:
		if v.IsRead() {
			return OpMultiRead
		}
		return OpMulti
	case *ReconfigRequest:
		return OpReconfig
	case *CheckWatchesRequest:
		return OpCheckWatches
	case *RemoveWatchesRequest:
		return OpRemoveWatches
	case *AddWatchRequest:
		return OpAddWatch
	case *GetEphemeralsRequest:
		return OpGetEphemerals
	case *GetAllChildrenNumberRequest:
		return OpGetAllChildrenNumber
	case *AuthPacket:
		return OpAuth
	case *GetSASLRequest:
		return OpSASL
	case *SetWatches:
		return OpSetWatches
	case *SetWatches2:
		return OpSetWatches2
	case *EmptyRecord:
		return OpWhoAmI
	}
	return 0
}

func seedsMulti(t testing.TB, g map[string][]byte) []fuzzSeed {
	seeds := []fuzzSeed{
		{g["multi_request_body"]},
		{g["multi_success_body"]},
		{g["multi_node_exists_body"]},
		{g["multi_read_response_body"]},
		{MultiRequest{}.Append(nil)},
	}
	for _, rec := range allRecords() {
		switch rec.(type) {
		case *MultiRequest, *MultiResponse:
			seeds = append(seeds, fuzzSeed{rec.Append(nil)})
		}
	}
	mixed := MultiRequest{Ops: []MultiOp{
		{Type: OpDelete, Op: &DeleteRequest{Path: "/a", Version: -1}},
		{Type: OpGetData, Op: &GetDataRequest{Path: "/a"}},
	}}
	return append(seeds, fuzzSeed{mixed.Append(nil)}, fuzzSeed{[]byte{0, 0, 0, 1, 0}})
}

func seedsFrame(t testing.TB, g map[string][]byte) []fuzzSeed {
	return []fuzzSeed{
		{g["ruok"]},
		{[]byte("stat")},
		{g["create_request"]},
		{append(append([]byte(nil), g["ping_request"]...), g["create_request"]...)},
		{g["connect_request_java"]},
		{[]byte{0xff, 0xff, 0xff, 0xff}},
		{[]byte{0xff, 0xf4, 0xff, 0xfd}},
		{[]byte{0, 0, 0, 9, 1}},
		{[]byte{}},
	}
}

func seedsSetWatches(t testing.TB, g map[string][]byte) []fuzzSeed {
	p := goldenPayload(t, g, "set_watches_request")
	return []fuzzSeed{
		{p[RequestHeaderSize:]},
		{g["set_watches2_body"]},
		{SetWatches2{RelativeZxid: -1}.Append(nil)},
		{append(AppendInt64(nil, 5), hostile(-1, 0xff, 0xff, 0xff, 0xff)...)},
		{append(AppendInt64(nil, 5), hostile(0x00100000)...)},
		{append(AppendInt64(nil, 5), hostile(3, 0, 0, 0, 1, '/')...)},
	}
}

// fuzzTargets maps each target to its seeds.
func fuzzTargets() map[string]func(testing.TB, map[string][]byte) []fuzzSeed {
	return map[string]func(testing.TB, map[string][]byte) []fuzzSeed{
		"FuzzConnectRequest": seedsConnectRequest,
		"FuzzRequest":        seedsRequest,
		"FuzzMulti":          seedsMulti,
		"FuzzFrame":          seedsFrame,
		"FuzzSetWatches":     seedsSetWatches,
	}
}

// marshalSeed renders a seed in the "go test fuzz v1" corpus format.
func marshalSeed(s fuzzSeed) []byte {
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, v := range s {
		switch v := v.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		case int32:
			fmt.Fprintf(&b, "int32(%d)\n", v)
		default:
			panic(fmt.Sprintf("seed value %T", v))
		}
	}
	return []byte(b.String())
}

func TestZKFuzzSeedCorpus(t *testing.T) {
	golden := readGolden(t)
	for name, seeds := range fuzzTargets() {
		dir := filepath.Join("testdata", "fuzz", name)
		want := map[string][]byte{}
		for i, s := range seeds(t, golden) {
			want[fmt.Sprintf("seed-%03d", i)] = marshalSeed(s)
		}
		if *updateZKSeeds {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for file, b := range want {
				if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatalf("%v (run with -wire.zk-update-seeds)", err)
		}
		for _, e := range entries {
			if _, ok := want[e.Name()]; !ok && strings.HasPrefix(e.Name(), "seed-") {
				t.Errorf("%s/%s: stale seed (run with -wire.zk-update-seeds)", dir, e.Name())
			}
		}
		for file, b := range want {
			got, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil || !bytes.Equal(got, b) {
				t.Errorf("%s/%s: missing or stale (run with -wire.zk-update-seeds)", dir, file)
			}
		}
	}
}

// checkLimit fails when a decoded value holds a buffer, string or vector
// longer than max.
func checkLimit(t *testing.T, v any, max int) {
	t.Helper()
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.String:
			if v.Len() > max {
				t.Fatalf("string of %d bytes over limit %d", v.Len(), max)
			}
		case reflect.Slice:
			if v.Len() > max {
				t.Fatalf("%s of %d elements over limit %d", v.Type(), v.Len(), max)
			}
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(v))
}

// knownDecodeError reports whether err is one of the errors a decoder may return.
func knownDecodeError(err error) bool {
	for _, want := range []error{ErrShortBuffer, ErrBadLength, ErrUnknownOp, ErrBadMultiOp, ErrMixedMulti} {
		if errors.Is(err, want) {
			return true
		}
	}
	return false
}

// roundTrip decodes data into a fresh copy of proto with max, then checks
// that the result re-encodes to bytes that decode to the same value, and
// that those bytes are a fixed point of Append.
func roundTrip(t *testing.T, proto Record, data []byte) {
	t.Helper()
	r := NewJuteReader(data, smallLimit)
	small := fresh(proto)
	small.Decode(r)
	if r.Ok() {
		checkLimit(t, small, smallLimit)
	} else if !knownDecodeError(r.Err()) {
		t.Fatalf("unexpected error %v", r.Err())
	}

	r = NewJuteReader(data, 0)
	first := fresh(proto)
	first.Decode(r)
	if !r.Ok() {
		if !knownDecodeError(r.Err()) {
			t.Fatalf("unexpected error %v", r.Err())
		}
		return
	}
	enc := first.Append(nil)
	r = NewJuteReader(enc, 0)
	second := fresh(proto)
	second.Decode(r)
	if err := r.Complete(); err != nil {
		t.Fatalf("re-decode of %x: %v", enc, err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatalf("round trip\nfirst  %+v\nsecond %+v", first, second)
	}
	if enc2 := second.Append(nil); !bytes.Equal(enc, enc2) {
		t.Fatalf("encoding not stable: %x vs %x", enc, enc2)
	}
}

func FuzzConnectRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, &ConnectRequest{}, data)
		roundTrip(t, &ConnectResponse{}, data)
		cr, err := DecodeConnectRequest(data, 0)
		if err != nil {
			if !errors.Is(err, ErrShortBuffer) && !errors.Is(err, ErrBadLength) {
				t.Fatal(err)
			}
			return
		}
		if cr.HasReadOnly != (len(data) > 4+8+4+8+4+len(cr.Passwd)) {
			t.Fatalf("HasReadOnly %v with %d bytes", cr.HasReadOnly, len(data))
		}
	})
}

func FuzzRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, op int32, body []byte) {
		if rec, err := DecodeRequest(OpCode(op), body, smallLimit); err == nil {
			checkLimit(t, rec, smallLimit)
		} else if !knownDecodeError(err) {
			t.Fatalf("unexpected error %v", err)
		}
		rec, err := DecodeRequest(OpCode(op), body, 0)
		if err != nil {
			if !knownDecodeError(err) {
				t.Fatalf("unexpected error %v", err)
			}
			if NewRequest(OpCode(op)) == nil && !errors.Is(err, ErrUnknownOp) {
				t.Fatalf("op %d: %v, want ErrUnknownOp", op, err)
			}
			return
		}
		// The record's own encoding decodes exactly, and to the same value.
		enc := rec.Append(nil)
		frame := AppendRequest(nil, RequestHeader{Xid: 1, Type: OpCode(op)}, rec)
		payload, err := ReadFrame(bytes.NewReader(frame), nil, len(frame))
		if err != nil {
			t.Fatal(err)
		}
		h, again, err := ParseRequest(payload, 0)
		if err != nil || h.Type != OpCode(op) {
			t.Fatalf("re-parse of %x: %+v %v", frame, h, err)
		}
		if !reflect.DeepEqual(rec, again) {
			t.Fatalf("round trip\nfirst  %+v\nsecond %+v", rec, again)
		}
		if !bytes.Equal(again.Append(nil), enc) {
			t.Fatalf("encoding not stable")
		}
		roundTrip(t, NewRequest(OpCode(op)), body)
	})
}

func FuzzMulti(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, &MultiRequest{}, data)
		roundTrip(t, &MultiResponse{}, data)
		for _, op := range []OpCode{OpMulti, OpMultiRead} {
			rec, err := DecodeRequest(op, data, 0)
			if err != nil {
				continue
			}
			m := rec.(*MultiRequest)
			for _, o := range m.Ops {
				if isMultiRead(o.Type) != m.IsRead() {
					t.Fatalf("mixed ops accepted: %+v", m.Ops)
				}
			}
		}
	})
}

func FuzzFrame(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 1 << 12
		if len(data) >= 4 {
			if w, ok := IsFourLetterWord([4]byte(data)); ok {
				if string(data[:4]) != w || !slices.Contains(FourLetterWords(), w) {
					t.Fatalf("four-letter word %q from %q", w, data[:4])
				}
			}
		}
		r := bytes.NewReader(data)
		buf := make([]byte, 0, 64)
		for {
			payload, err := ReadFrame(r, buf, max)
			if err != nil {
				if err != io.EOF && err != io.ErrUnexpectedEOF && !errors.Is(err, ErrFrameTooLarge) {
					t.Fatalf("unexpected error %v", err)
				}
				break
			}
			if len(payload) > max {
				t.Fatalf("payload of %d bytes over %d", len(payload), max)
			}
			if _, _, err := ParseRequest(payload, 0); err != nil && !knownDecodeError(err) {
				t.Fatalf("ParseRequest: %v", err)
			}
			buf = payload[:0]
		}
		if len(data) <= max {
			got, err := ReadFrame(bytes.NewReader(AppendFrame(nil, data)), nil, max)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("AppendFrame round trip: %v", err)
			}
		}
	})
}

func FuzzSetWatches(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, &SetWatches{}, data)
		roundTrip(t, &SetWatches2{}, data)
		for _, op := range []OpCode{OpSetWatches, OpSetWatches2} {
			if _, err := DecodeRequest(op, data, 0); err != nil && !knownDecodeError(err) {
				t.Fatalf("%s: %v", op, err)
			}
		}
	})
}
