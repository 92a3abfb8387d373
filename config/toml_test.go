package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseTOML(t *testing.T) {
	src := `# broker settings
"broker.id" = 1
zookeeper.connect = "localhost:2181/kafka"

[log]
retention.hours = 168
dirs = ["/a", "/b"]
"cleaner.min.cleanable.ratio" = 0.25
'segment.bytes' = 1_073_741_824

[num]
partitions = 3

[log.message]
downconversion.enable = true
inline = { x = 1, y = "two" }
multi = """
line one
line two"""
arr = [
  1,
  2,
]
after = "x"

[quirks]
inf = inf
nan = nan
neg = -inf
big = 1e300
date = 1979-05-27
ts = 1979-05-27T07:32:00Z
local = 1979-05-27T07:32:00
empty = []
`
	got, err := ParseTOML(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{"broker.id", "1", 2},
		{"zookeeper.connect", "localhost:2181/kafka", 3},
		{"log.retention.hours", "168", 6},
		{"log.dirs", "/a,/b", 7},
		{"log.cleaner.min.cleanable.ratio", "0.25", 8},
		{"log.segment.bytes", "1073741824", 9},
		{"num.partitions", "3", 12},
		{"log.message.downconversion.enable", "true", 15},
		{"log.message.inline.x", "1", 16},
		{"log.message.inline.y", "two", 16},
		{"log.message.multi", "line one\nline two", 17},
		{"log.message.arr", "1,2", 20},
		{"log.message.after", "x", 24},
		{"quirks.inf", "Infinity", 27},
		{"quirks.nan", "NaN", 28},
		{"quirks.neg", "-Infinity", 29},
		{"quirks.big", "1e+300", 30},
		{"quirks.date", "1979-05-27", 31},
		{"quirks.ts", "1979-05-27T07:32:00Z", 32},
		{"quirks.local", "1979-05-27T07:32:00", 33},
		{"quirks.empty", "", 34},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%+v\nwant:\n%+v", got, want)
	}
}

func TestParseTOMLDuplicateFlattenedKey(t *testing.T) {
	got, err := ParseTOML(strings.NewReader("\"log.retention.hours\" = 1\n[log]\nretention.hours = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{"log.retention.hours", "2", 3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParseTOMLErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax", "a = 1\nb = \n", "line 2: expected value but found '\\n' instead"},
		{"array of tables", "a = 1\n[[srv]]\nx = 1\n", "line 2: srv: arrays of tables are not supported"},
		{"nested array", "a = [[1], [2]]\n", "line 1: a: nested arrays and tables are not supported as values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTOML(strings.NewReader(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Error("not ErrSyntax")
			}
		})
	}
}

func TestTOMLAndPropertiesAgree(t *testing.T) {
	props := "broker.id=2\nlog.retention.hours=24\nlog.dirs=/a,/b\nzookeeper.connect=zk:2181\nnum.partitions=3\n"
	toml := "broker.id = 2\nzookeeper.connect = \"zk:2181\"\n[log]\nretention.hours = 24\ndirs = [\"/a\", \"/b\"]\n[num]\npartitions = 3\n"
	lp, err := ParseLayer("server.properties", []byte(props))
	if err != nil {
		t.Fatal(err)
	}
	lt, err := ParseLayer("server.TOML", []byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	bp, _, err := BrokerRegistry().Build(lp)
	if err != nil {
		t.Fatal(err)
	}
	bt, _, err := BrokerRegistry().Build(lt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(bp.LogDirs(), bt.LogDirs()) || bp.BrokerID != bt.BrokerID || bp.RetentionMs() != bt.RetentionMs() ||
		bp.NumPartitions != bt.NumPartitions || bp.ZkConnect != bt.ZkConnect {
		t.Errorf("properties and TOML differ:\n%+v\n%+v", bp, bt)
	}
}

func FuzzParseTOML(f *testing.F) {
	for _, s := range []string{
		"a = 1\n[b]\nc.d = \"x\"\n",
		"\"log.retention.hours\" = 168\n",
		"a = [1, 2]\nb = { c = 1 }\n",
		"[[x]]\ny = 1\n",
		"m = \"\"\"\nx\n\"\"\"\nn = '''y'''\n",
		"a = \n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseTOML(strings.NewReader(string(data)))
		if err != nil {
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, e := range entries {
			if e.Line < 0 || e.Line > lines {
				t.Fatalf("entry %q at line %d of %d", e.Key, e.Line, lines)
			}
		}
		tomlKeyLines(string(data))
	})
}
