package log

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kafkago/kafka/config"
)

// Names of the files Kafka 2.8 keeps in a log dir and in each partition dir.
const (
	RecoveryPointCheckpointFile     = "recovery-point-offset-checkpoint"
	LogStartOffsetCheckpointFile    = "log-start-offset-checkpoint"
	ReplicationOffsetCheckpointFile = "replication-offset-checkpoint"
	CleanShutdownFile               = ".kafka_cleanshutdown"
	MetaPropertiesFile              = "meta.properties"
	LeaderEpochCheckpointFile       = "leader-epoch-checkpoint"
	PartitionMetadataFile           = "partition.metadata"
)

// TopicPartition names a partition; its directory is "<topic>-<partition>".
type TopicPartition struct {
	Topic     string
	Partition int32
}

// String is the partition's directory name.
func (tp TopicPartition) String() string {
	return tp.Topic + "-" + strconv.FormatInt(int64(tp.Partition), 10)
}

// ParseTopicPartition parses a partition directory name: the topic is what
// precedes the last '-' (Kafka's Log.parseTopicPartitionName, without the
// -delete and -future forms, which a Dir skips).
func ParseTopicPartition(name string) (TopicPartition, error) {
	i := strings.LastIndexByte(name, '-')
	if i <= 0 || i == len(name)-1 {
		return TopicPartition{}, fmt.Errorf("%q is not in the form topic-partition", name)
	}
	p, err := strconv.ParseInt(name[i+1:], 10, 32)
	if err != nil {
		return TopicPartition{}, fmt.Errorf("%q is not in the form topic-partition", name)
	}
	return TopicPartition{Topic: name[:i], Partition: int32(p)}, nil
}

// checkpointVersion is the version line of every offset checkpoint file.
const checkpointVersion = 0

// splitLines splits like Java's BufferedReader.readLine: on \n, \r or \r\n,
// with no empty line after a final terminator.
func splitLines(data []byte) []string {
	var lines []string
	for len(data) > 0 {
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			lines = append(lines, string(data))
			break
		}
		lines = append(lines, string(data[:i]))
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	return lines
}

// parseCheckpoint reads Kafka's CheckpointFile format: a version line (0), a
// count line, then count lines each split on whitespace into want fields. An
// empty file (Kafka creates them empty) holds no entries.
func parseCheckpoint(data []byte, want int, entry func(fields []string) error) error {
	lines := splitLines(data)
	if len(lines) == 0 {
		return nil
	}
	v, err := strconv.ParseInt(lines[0], 10, 32)
	if err != nil {
		return fmt.Errorf("%w: malformed line %q", ErrMalformedCheckpoint, lines[0])
	}
	if v != checkpointVersion {
		return fmt.Errorf("%w: unrecognized version %d", ErrMalformedCheckpoint, v)
	}
	if len(lines) == 1 {
		return nil
	}
	count, err := strconv.ParseInt(lines[1], 10, 32)
	if err != nil {
		return fmt.Errorf("%w: malformed line %q", ErrMalformedCheckpoint, lines[1])
	}
	for _, line := range lines[2:] {
		fields := splitJavaWhitespace(line)
		if len(fields) != want {
			return fmt.Errorf("%w: malformed line %q", ErrMalformedCheckpoint, line)
		}
		if err := entry(fields); err != nil {
			return fmt.Errorf("%w: malformed line %q", ErrMalformedCheckpoint, line)
		}
	}
	if found := len(lines) - 2; int64(found) != count {
		return fmt.Errorf("%w: expected %d entries but found %d", ErrMalformedCheckpoint, count, found)
	}
	return nil
}

// splitJavaWhitespace is Pattern.compile("\\s+").split(line): separators are
// runs of [ \t\n\x0B\f\r]; a leading separator yields an empty first field
// and trailing empty fields are dropped.
func splitJavaWhitespace(line string) []string {
	isSpace := func(c byte) bool {
		return c == ' ' || c == '\t' || c == '\n' || c == '\x0b' || c == '\f' || c == '\r'
	}
	if line == "" {
		return []string{""}
	}
	var fields []string
	for i := 0; i < len(line); {
		j := i
		for j < len(line) && !isSpace(line[j]) {
			j++
		}
		fields = append(fields, line[i:j])
		for j < len(line) && isSpace(line[j]) {
			j++
		}
		i = j
	}
	for len(fields) > 0 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return fields
}

// appendCheckpoint writes the version and count lines, then the entries.
func appendCheckpoint(dst []byte, lines []string) []byte {
	dst = strconv.AppendInt(dst, checkpointVersion, 10)
	dst = append(dst, '\n')
	dst = strconv.AppendInt(dst, int64(len(lines)), 10)
	dst = append(dst, '\n')
	for _, l := range lines {
		dst = append(dst, l...)
		dst = append(dst, '\n')
	}
	return dst
}

// ParseOffsetCheckpoint parses an offset checkpoint file
// (recovery-point-offset-checkpoint, log-start-offset-checkpoint,
// replication-offset-checkpoint, cleaner-offset-checkpoint): lines of
// "topic partition offset".
func ParseOffsetCheckpoint(data []byte) (map[TopicPartition]int64, error) {
	out := make(map[TopicPartition]int64)
	err := parseCheckpoint(data, 3, func(f []string) error {
		p, err := strconv.ParseInt(f[1], 10, 32)
		if err != nil {
			return err
		}
		o, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return err
		}
		out[TopicPartition{Topic: f[0], Partition: int32(p)}] = o
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AppendOffsetCheckpoint appends the file form of offsets, sorted by topic
// and partition (Kafka writes them in hash-map order; readers do not care).
func AppendOffsetCheckpoint(dst []byte, offsets map[TopicPartition]int64) []byte {
	tps := make([]TopicPartition, 0, len(offsets))
	for tp := range offsets {
		tps = append(tps, tp)
	}
	slices.SortFunc(tps, func(a, b TopicPartition) int {
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	lines := make([]string, len(tps))
	for i, tp := range tps {
		lines[i] = tp.Topic + " " + strconv.FormatInt(int64(tp.Partition), 10) + " " + strconv.FormatInt(offsets[tp], 10)
	}
	return appendCheckpoint(dst, lines)
}

// ReadOffsetCheckpoint reads an offset checkpoint file; a missing file holds
// no entries.
func ReadOffsetCheckpoint(fsys FS, path string) (map[TopicPartition]int64, error) {
	data, err := readFile(fsOrDefault(fsys), path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[TopicPartition]int64{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	m, err := ParseOffsetCheckpoint(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return m, nil
}

// WriteOffsetCheckpoint replaces an offset checkpoint file atomically
// (temporary file, fsync, rename, directory fsync).
func WriteOffsetCheckpoint(fsys FS, path string, offsets map[TopicPartition]int64) error {
	return writeFileAtomic(fsOrDefault(fsys), path, AppendOffsetCheckpoint(nil, offsets))
}

// EpochEntry is a leader-epoch-checkpoint line: the first offset written in
// a leader epoch.
type EpochEntry struct {
	Epoch       int32
	StartOffset int64
}

// ParseLeaderEpochCheckpoint parses a leader-epoch-checkpoint file: lines of
// "epoch startOffset".
func ParseLeaderEpochCheckpoint(data []byte) ([]EpochEntry, error) {
	var out []EpochEntry
	err := parseCheckpoint(data, 2, func(f []string) error {
		e, err := strconv.ParseInt(f[0], 10, 32)
		if err != nil {
			return err
		}
		o, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return err
		}
		out = append(out, EpochEntry{Epoch: int32(e), StartOffset: o})
		return nil
	})
	return out, err
}

// AppendLeaderEpochCheckpoint appends the file form of entries.
func AppendLeaderEpochCheckpoint(dst []byte, entries []EpochEntry) []byte {
	lines := make([]string, len(entries))
	for i, e := range entries {
		lines[i] = strconv.FormatInt(int64(e.Epoch), 10) + " " + strconv.FormatInt(e.StartOffset, 10)
	}
	return appendCheckpoint(dst, lines)
}

// MetaProperties is a log dir's meta.properties: version 0 (ZooKeeper mode:
// broker.id) or version 1 (KRaft: node.id). Other keys are kept as read.
type MetaProperties struct {
	Version   int32
	BrokerID  int32 // version 0
	NodeID    int32 // version 1
	ClusterID string
	Extra     map[string]string
}

// ParseMetaProperties parses meta.properties (a Java properties file).
func ParseMetaProperties(data []byte) (MetaProperties, error) {
	props, err := config.ParsePropertiesMap(bytes.NewReader(data))
	if err != nil {
		return MetaProperties{}, fmt.Errorf("%w: %w", ErrMalformedCheckpoint, err)
	}
	var mp MetaProperties
	intProp := func(key string, dst *int32) error {
		v, ok := props[key]
		if !ok {
			return nil
		}
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return fmt.Errorf("%w: failed to parse %s property as an int: %q", ErrMalformedCheckpoint, key, v)
		}
		*dst = int32(n)
		return nil
	}
	if err := intProp("version", &mp.Version); err != nil {
		return MetaProperties{}, err
	}
	switch mp.Version {
	case 0:
		if _, ok := props["broker.id"]; !ok {
			return MetaProperties{}, fmt.Errorf("%w: failed to find required property broker.id", ErrMalformedCheckpoint)
		}
	case 1:
		if _, ok := props["node.id"]; !ok {
			return MetaProperties{}, fmt.Errorf("%w: failed to find required property node.id", ErrMalformedCheckpoint)
		}
	default:
		return MetaProperties{}, fmt.Errorf("%w: unsupported meta.properties version %d", ErrMalformedCheckpoint, mp.Version)
	}
	if err := intProp("broker.id", &mp.BrokerID); err != nil {
		return MetaProperties{}, err
	}
	if err := intProp("node.id", &mp.NodeID); err != nil {
		return MetaProperties{}, err
	}
	mp.ClusterID = props["cluster.id"]
	for k, v := range props {
		switch k {
		case "version", "broker.id", "node.id", "cluster.id":
			continue
		}
		if mp.Extra == nil {
			mp.Extra = make(map[string]string)
		}
		mp.Extra[k] = v
	}
	return mp, nil
}

// AppendMetaProperties appends mp as Java's Properties.store(out, "") writes
// it: an empty comment line, the date line, then key=value lines. The keys
// come in the order a Java 11+ Properties hash map iterates them (for a
// version 0 file: broker.id, version, cluster.id), extra keys sorted after.
func AppendMetaProperties(dst []byte, mp MetaProperties, now time.Time) []byte {
	dst = append(dst, "#\n#"...)
	dst = now.AppendFormat(dst, "Mon Jan 02 15:04:05 MST 2006")
	dst = append(dst, '\n')
	kv := func(k, v string) {
		dst = appendPropertyEscaped(dst, k, true)
		dst = append(dst, '=')
		dst = appendPropertyEscaped(dst, v, false)
		dst = append(dst, '\n')
	}
	version := strconv.FormatInt(int64(mp.Version), 10)
	if mp.Version == 1 {
		kv("node.id", strconv.FormatInt(int64(mp.NodeID), 10))
		kv("version", version)
	} else {
		kv("broker.id", strconv.FormatInt(int64(mp.BrokerID), 10))
		kv("version", version)
	}
	if mp.ClusterID != "" {
		kv("cluster.id", mp.ClusterID)
	}
	keys := make([]string, 0, len(mp.Extra))
	for k := range mp.Extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		kv(k, mp.Extra[k])
	}
	return dst
}

// appendPropertyEscaped is Properties.saveConvert with escUnicode: key
// spaces and leading value spaces, the separators and comment characters,
// control characters and non-ASCII are escaped.
func appendPropertyEscaped(dst []byte, s string, key bool) []byte {
	const hex = "0123456789ABCDEF"
	for i, r := range s {
		switch r {
		case ' ':
			if i == 0 || key {
				dst = append(dst, '\\')
			}
			dst = append(dst, ' ')
		case '\t':
			dst = append(dst, `\t`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\f':
			dst = append(dst, `\f`...)
		case '\\':
			dst = append(dst, `\\`...)
		case '=', ':', '#', '!':
			dst = append(dst, '\\', byte(r))
		default:
			if r < 0x20 || r > 0x7e {
				var units []rune
				if r > 0xffff {
					r -= 0x10000
					units = []rune{0xd800 + r>>10, 0xdc00 + r&0x3ff}
				} else {
					units = []rune{r}
				}
				for _, u := range units {
					dst = append(dst, '\\', 'u', hex[u>>12&0xf], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
				}
				continue
			}
			dst = append(dst, byte(r))
		}
	}
	return dst
}

// ReadMetaProperties reads <dir>/meta.properties; ok is false when there is
// none. Like Kafka it first removes a stale meta.properties.tmp.
func ReadMetaProperties(fsys FS, dir string) (mp MetaProperties, ok bool, err error) {
	fsys = fsOrDefault(fsys)
	path := filepath.Join(dir, MetaPropertiesFile)
	if err := removeIfExists(fsys, path+".tmp"); err != nil {
		return MetaProperties{}, false, fmt.Errorf("remove %s.tmp: %w", path, err)
	}
	data, err := readFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		return MetaProperties{}, false, nil
	}
	if err != nil {
		return MetaProperties{}, false, fmt.Errorf("read %s: %w", path, err)
	}
	mp, err = ParseMetaProperties(data)
	if err != nil {
		return MetaProperties{}, false, fmt.Errorf("read %s: %w", path, err)
	}
	return mp, true, nil
}

// WriteMetaProperties replaces <dir>/meta.properties atomically, dated now.
func WriteMetaProperties(fsys FS, dir string, mp MetaProperties, now time.Time) error {
	return writeFileAtomic(fsOrDefault(fsys), filepath.Join(dir, MetaPropertiesFile), AppendMetaProperties(nil, mp, now))
}
