package log

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestParseOffsetCheckpoint(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[TopicPartition]int64
		err  bool
	}{
		{"empty file", "", map[TopicPartition]int64{}, false},
		{"version only", "0\n", map[TopicPartition]int64{}, false},
		{"no entries", "0\n0\n", map[TopicPartition]int64{}, false},
		{"entries", "0\n2\norders 0 42\nmy-topic-x 12 9000000000\n", map[TopicPartition]int64{{"orders", 0}: 42, {"my-topic-x", 12}: 9000000000}, false},
		{"crlf and tabs", "0\r\n1\r\nt\t3   7\r\n", map[TopicPartition]int64{{"t", 3}: 7}, false},
		{"no final newline", "0\n1\nt 0 5", map[TopicPartition]int64{{"t", 0}: 5}, false},
		{"plus sign", "+0\n1\nt +1 +5\n", map[TopicPartition]int64{{"t", 1}: 5}, false},
		{"bad version", "1\n0\n", nil, true},
		{"version not a number", "x\n", nil, true},
		{"count mismatch", "0\n2\nt 0 1\n", nil, true},
		{"too many fields", "0\n1\nt 0 1 2\n", nil, true},
		{"too few fields", "0\n1\nt 0\n", nil, true},
		{"leading space", "0\n1\n t 0 1\n", nil, true},
		{"blank line", "0\n1\nt 0 1\n\n", nil, true},
		{"partition overflow", "0\n1\nt 3000000000 1\n", nil, true},
		{"offset not a number", "0\n1\nt 0 1.5\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOffsetCheckpoint([]byte(tt.in))
			if tt.err {
				if !errors.Is(err, ErrMalformedCheckpoint) {
					t.Fatalf("err = %v, want ErrMalformedCheckpoint", err)
				}
				return
			}
			if err != nil || !maps.Equal(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestOffsetCheckpointRoundTrip(t *testing.T) {
	m := map[TopicPartition]int64{{"b", 1}: 10, {"a", 2}: 20, {"a", 10}: 5, {"__consumer_offsets", 7}: 0}
	got := string(AppendOffsetCheckpoint(nil, m))
	want := "0\n4\n__consumer_offsets 7 0\na 2 20\na 10 5\nb 1 10\n"
	if got != want {
		t.Fatalf("AppendOffsetCheckpoint = %q, want %q", got, want)
	}
	path := filepath.Join(t.TempDir(), RecoveryPointCheckpointFile)
	if err := WriteOffsetCheckpoint(nil, path, m); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Fatalf("temporary file left behind: %v", err)
	}
	back, err := ReadOffsetCheckpoint(nil, path)
	if err != nil || !maps.Equal(back, m) {
		t.Fatalf("read back %v, %v", back, err)
	}
	if m, err := ReadOffsetCheckpoint(nil, path+".missing"); err != nil || len(m) != 0 {
		t.Fatalf("missing file: %v %v", m, err)
	}
}

// TestCheckpointWriteIsAtomic: a failure at any step of the replacement
// leaves the previous file intact.
func TestCheckpointWriteIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ReplicationOffsetCheckpointFile)
	old := map[TopicPartition]int64{{"t", 0}: 1}
	if err := WriteOffsetCheckpoint(nil, path, old); err != nil {
		t.Fatal(err)
	}
	for _, op := range []FaultOp{FaultOpen, FaultWrite, FaultSync, FaultRename} {
		ffs := NewFaultFS(nil)
		ffs.Inject(Fault{Op: op, Path: ReplicationOffsetCheckpointFile, Short: 3})
		err := WriteOffsetCheckpoint(ffs, path, map[TopicPartition]int64{{"t", 0}: 99, {"u", 1}: 5})
		if !errors.Is(err, ErrInjected) {
			t.Fatalf("op %d: err = %v", op, err)
		}
		got, err := ReadOffsetCheckpoint(nil, path)
		if err != nil || !maps.Equal(got, old) {
			t.Fatalf("op %d: file now %v, %v", op, got, err)
		}
	}
}

func TestLeaderEpochCheckpoint(t *testing.T) {
	in := []EpochEntry{{0, 0}, {3, 120}, {4, 1 << 40}}
	text := string(AppendLeaderEpochCheckpoint(nil, in))
	if text != "0\n3\n0 0\n3 120\n4 1099511627776\n" {
		t.Fatalf("text %q", text)
	}
	back, err := ParseLeaderEpochCheckpoint([]byte(text))
	if err != nil || !slices.Equal(back, in) {
		t.Fatalf("parse %v %v", back, err)
	}
	for _, bad := range []string{"0\n1\n1\n", "0\n1\n1 2 3\n", "0\n1\nx 2\n", "2\n0\n"} {
		if _, err := ParseLeaderEpochCheckpoint([]byte(bad)); !errors.Is(err, ErrMalformedCheckpoint) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestPartitionMetadata(t *testing.T) {
	id, err := ParseTopicID("ZiGkBu5OQ8KOhzFg2-vvmA")
	if err != nil {
		t.Fatal(err)
	}
	if id.String() != "ZiGkBu5OQ8KOhzFg2-vvmA" {
		t.Fatalf("String() = %s", id)
	}
	if got := string(AppendPartitionMetadata(nil, id)); got != "version: 0\ntopic_id: ZiGkBu5OQ8KOhzFg2-vvmA" {
		t.Fatalf("AppendPartitionMetadata = %q", got)
	}
	tests := []struct {
		in  string
		err bool
	}{
		{"version: 0\ntopic_id: ZiGkBu5OQ8KOhzFg2-vvmA", false},
		{"version: 0\ntopic_id: ZiGkBu5OQ8KOhzFg2-vvmA\n", false},
		{"version:   0\r\ntopic_id:\tZiGkBu5OQ8KOhzFg2-vvmA==\n", false},
		{"version: 1\ntopic_id: ZiGkBu5OQ8KOhzFg2-vvmA", true},
		{"version:0\ntopic_id: ZiGkBu5OQ8KOhzFg2-vvmA", true},
		{"version: 0\n", true},
		{"version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAA", true}, // zero id
		{"version: 0\ntopic_id: short", true},
		{"version: 0\ntopic_id: ZiGkBu5OQ8KOhzFg2-vvmAAAAAAA", true},
		{"", true},
	}
	for _, tt := range tests {
		got, err := ParsePartitionMetadata([]byte(tt.in))
		if tt.err != (err != nil) || err == nil && got != id {
			t.Errorf("%q: %v, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrMalformedCheckpoint) {
			t.Errorf("%q: error %v is not ErrMalformedCheckpoint", tt.in, err)
		}
	}
}

func TestMetaProperties(t *testing.T) {
	now := time.Date(2021, 6, 22, 9, 43, 1, 0, time.UTC)
	mp := MetaProperties{Version: 0, BrokerID: 3, ClusterID: "Ez4GYLyIQ7CQjFyD5fOX5Q"}
	got := string(AppendMetaProperties(nil, mp, now))
	want := "#\n#Tue Jun 22 09:43:01 UTC 2021\nbroker.id=3\nversion=0\ncluster.id=Ez4GYLyIQ7CQjFyD5fOX5Q\n"
	if got != want {
		t.Fatalf("meta.properties:\n%s\nwant:\n%s", got, want)
	}
	dir := t.TempDir()
	if err := WriteMetaProperties(nil, dir, mp, now); err != nil {
		t.Fatal(err)
	}
	back, ok, err := ReadMetaProperties(nil, dir)
	if err != nil || !ok || back.BrokerID != 3 || back.ClusterID != mp.ClusterID || back.Version != 0 {
		t.Fatalf("read back %+v %v %v", back, ok, err)
	}
	if _, ok, err := ReadMetaProperties(nil, t.TempDir()); ok || err != nil {
		t.Fatalf("missing file: %v %v", ok, err)
	}
	kraft := MetaProperties{Version: 1, NodeID: 1, ClusterID: "x", Extra: map[string]string{"directory.id": "a=b:c"}}
	if got := string(AppendMetaProperties(nil, kraft, now)); got != "#\n#Tue Jun 22 09:43:01 UTC 2021\nnode.id=1\nversion=1\ncluster.id=x\ndirectory.id=a\\=b\\:c\n" {
		t.Fatalf("kraft meta.properties %q", got)
	}
	for _, bad := range []string{"version=0\n", "version=1\nbroker.id=1\n", "version=2\n", "version=0\nbroker.id=x\n"} {
		if _, err := ParseMetaProperties([]byte(bad)); !errors.Is(err, ErrMalformedCheckpoint) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	// A Java-written file with comments, escapes and another key order.
	back, err = ParseMetaProperties([]byte("#\n#Thu Nov 25 10:00:00 UTC 2021\ncluster.id=abc\nversion=0\nbroker.id=7\n"))
	if err != nil || back.BrokerID != 7 || back.ClusterID != "abc" {
		t.Fatalf("%+v %v", back, err)
	}
}

func TestParseTopicPartition(t *testing.T) {
	tests := []struct {
		in   string
		want TopicPartition
		err  bool
	}{
		{"orders-0", TopicPartition{"orders", 0}, false},
		{"my-topic-12", TopicPartition{"my-topic", 12}, false},
		{"__consumer_offsets-49", TopicPartition{"__consumer_offsets", 49}, false},
		{"orders", TopicPartition{}, true},
		{"-1", TopicPartition{}, true},
		{"orders-", TopicPartition{}, true},
		{"orders-x", TopicPartition{}, true},
	}
	for _, tt := range tests {
		got, err := ParseTopicPartition(tt.in)
		if tt.err != (err != nil) || got != tt.want {
			t.Errorf("ParseTopicPartition(%q) = %v, %v", tt.in, got, err)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("String() = %q", got.String())
		}
	}
}
