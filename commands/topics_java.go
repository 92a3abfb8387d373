package commands

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf16"
)

// Where kafka-topics' output order or its choice between two messages falls
// out of a JVM collection's iteration order, these helpers reproduce that
// order (Kafka 2.8.2 is built with Scala 2.13 and runs on Java 9+).

// javaHash is java.lang.String.hashCode: h = 31*h + c over UTF-16 code units.
func javaHash(s string) int32 {
	var h int32
	for _, c := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(c)
	}
	return h
}

// javaSpread is java.util.HashMap.hash: h ^ (h >>> 16).
func javaSpread(h int32) uint32 {
	u := uint32(h)
	return u ^ u>>16
}

// javaTableSizeFor is HashMap.tableSizeFor: the smallest power of two >= c
// (1 for c <= 1).
func javaTableSizeFor(c int) int {
	n := 1
	for n < c {
		n <<= 1
	}
	return n
}

// javaHashMapLen is the table length a java.util.HashMap ends with after n
// distinct puts when it started with table length initial: it doubles
// whenever the size exceeds 3/4 of the length.
func javaHashMapLen(initial, n int) int {
	c := initial
	for 4*n > 3*c {
		c <<= 1
	}
	return c
}

// javaHashMapOrder returns keys (distinct, in insertion order) in the
// iteration order of a java.util.HashMap with table length tableLen: by
// bucket, and within a bucket in insertion order (resizes keep that order).
// Buckets of eight or more keys, which Java may turn into trees, are not
// modelled.
func javaHashMapOrder(keys []string, tableLen int) []string {
	out := append([]string(nil), keys...)
	mask := uint32(tableLen - 1)
	sort.SliceStable(out, func(i, j int) bool {
		return javaSpread(javaHash(out[i]))&mask < javaSpread(javaHash(out[j]))&mask
	})
	return out
}

// describeTopicsOrder is the order in which kafka-topics --describe (admin
// mode) prints topics: the iteration order of the HashMap returned by
// DescribeTopicsResult.all(). That map is filled, n = len(sorted) entries,
// from a copy (new HashMap<>(futures)) of the futures map, itself a
// HashMap(n) filled in sorted name order; so three HashMap orders are
// chained: HashMap(n) ← copy sized for n/0.75+1 ← HashMap(n).
func describeTopicsOrder(sorted []string) []string {
	n := len(sorted)
	if n <= 1 {
		return append([]string(nil), sorted...)
	}
	sized := javaHashMapLen(javaTableSizeFor(n), n)
	futures := javaHashMapOrder(sorted, sized)
	copyLen := javaTableSizeFor(int(float32(n)/0.75 + 1))
	copied := javaHashMapOrder(futures, javaHashMapLen(copyLen, n))
	return javaHashMapOrder(copied, sized)
}

// configEntriesOrder is the iteration order of org.apache.kafka.clients.admin.Config's
// entries: a default HashMap (16 buckets, growing) filled in the given order.
func configEntriesOrder(names []string) []string {
	return javaHashMapOrder(names, javaHashMapLen(16, len(names)))
}

// scalaImprove is scala.collection.Hashing.improve, the hash spreading of
// Scala 2.13's immutable HashSet/HashMap (CHAMP tries).
func scalaImprove(h int32) uint32 {
	u := uint32(h)
	u += ^(u << 9)
	u ^= u >> 14
	u += u << 4
	u ^= u >> 10
	return u
}

// champOrder returns the indexes 0..len(hashes)-1 (elements given by their
// Scala ## hash) in the iteration order of a Scala 2.13 immutable.HashSet or
// HashMap holding them: a pre-order walk of the trie in which each node
// yields its inline elements (by 5-bit mask) before descending into its
// sub-nodes (by mask). The trie is canonical, so insertion order does not
// matter (except for full 32-bit collisions, kept in the given order).
func champOrder(hashes []int32) []int {
	idx := make([]int, len(hashes))
	imp := make([]uint32, len(hashes))
	for i, h := range hashes {
		idx[i] = i
		imp[i] = scalaImprove(h)
	}
	return champLevel(idx, imp, 0)
}

func champLevel(idx []int, imp []uint32, shift uint) []int {
	if len(idx) <= 1 || shift >= 32 {
		return idx
	}
	groups := map[uint32][]int{}
	var masks []uint32
	for _, i := range idx {
		m := imp[i] >> shift & 31
		if _, ok := groups[m]; !ok {
			masks = append(masks, m)
		}
		groups[m] = append(groups[m], i)
	}
	sort.Slice(masks, func(a, b int) bool { return masks[a] < masks[b] })
	var out []int
	for _, m := range masks {
		if len(groups[m]) == 1 {
			out = append(out, groups[m][0])
		}
	}
	for _, m := range masks {
		if len(groups[m]) > 1 {
			out = append(out, champLevel(groups[m], imp, shift+5)...)
		}
	}
	return out
}

// optionSpecHash is the hashCode of a jopt-simple OptionSpec with a single
// name (AbstractOptionSpec: its options list's hashCode, 31 + name.hashCode;
// ArgumentAcceptingOptionSpec xors in 0 for a required argument).
func optionSpecHash(name string) int32 {
	return 31 + javaHash(name)
}

// scalaOptionSetOrder returns option names in the iteration order of a Scala
// 2.13 immutable Set of OptionSpecs: insertion order up to four elements
// (Set1..Set4), CHAMP order beyond. hashSet forces the CHAMP order for sets
// that became HashSets (sets derived from a HashSet stay HashSets even when
// they shrink).
func scalaOptionSetOrder(names []string, hashSet bool) []string {
	if !hashSet && len(names) <= 4 {
		return append([]string(nil), names...)
	}
	hs := make([]int32, len(names))
	for i, n := range names {
		hs[i] = optionSpecHash(n)
	}
	var out []string
	for _, i := range champOrder(hs) {
		out = append(out, names[i])
	}
	return out
}

// javaTrim is String.trim: strips chars <= ' ' at both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// topicFilter is kafka.utils.IncludeList: --topic as a regular expression
// that must match a whole topic name. The raw value is rewritten as
// TopicFilter does: trimmed, commas become '|', spaces are removed, and
// leading or trailing quotes are stripped.
type topicFilter struct {
	regex string
	re    *regexp.Regexp
}

var (
	leadingQuotes  = regexp.MustCompile(`^["']+`)
	trailingQuotes = regexp.MustCompile(`["']+$`)
)

// newTopicFilter compiles raw, or fails as Kafka does with
// java.lang.RuntimeException: "<regex> is an invalid regex.". Go's RE2
// rejects a few constructs Java accepts (look-around, back-references,
// possessive quantifiers); those are reported as invalid too.
func newTopicFilter(raw string) (*topicFilter, error) {
	regex := javaTrim(raw)
	regex = strings.ReplaceAll(regex, ",", "|")
	regex = strings.ReplaceAll(regex, " ", "")
	regex = leadingQuotes.ReplaceAllString(regex, "")
	regex = trailingQuotes.ReplaceAllString(regex, "")
	re, err := regexp.Compile(`^(?:` + regex + `)$`)
	if err != nil {
		return nil, newJavaException(jRuntime, regex+" is an invalid regex.")
	}
	return &topicFilter{regex: regex, re: re}, nil
}

func (f *topicFilter) allowed(topic string, excludeInternal bool) bool {
	return f.re.MatchString(topic) && !(isInternalTopic(topic) && excludeInternal)
}

// isInternalTopic is org.apache.kafka.common.internals.Topic.isInternal.
func isInternalTopic(topic string) bool {
	return topic == "__consumer_offsets" || topic == "__transaction_state"
}

// hasCollisionChars is Topic.hasCollisionChars.
func hasCollisionChars(topic string) bool {
	return strings.ContainsAny(topic, "._")
}

// filterTopics is TopicCommand.doGetTopics over names already sorted.
func filterTopics(all []string, topic string, hasTopic, excludeInternal bool) ([]string, error) {
	var out []string
	if !hasTopic {
		for _, t := range all {
			if !(isInternalTopic(t) && excludeInternal) {
				out = append(out, t)
			}
		}
		return out, nil
	}
	f, err := newTopicFilter(topic)
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		if f.allowed(t, excludeInternal) {
			out = append(out, t)
		}
	}
	return out, nil
}
