package cluster

// Byte-exact JSON as Kafka 2.8.2 writes it.
//
// Kafka builds every znode payload as a Scala or Java map and hands it to
// Jackson 2.10 (kafka.utils.Json.encodeAsBytes, a default ObjectMapper), so
// the bytes are compact and the key order is the iteration order of the map
// Kafka built. That order is deterministic for a given JVM build of Kafka;
// the official binary is kafka_2.13 (Scala 2.13.5) and runs on Java 9+.
// This file reproduces the three iteration orders that reach the wire:
//
//   - scala.collection.mutable.HashMap (Scala 2.13): buckets of a power-of-two
//     table indexed by improveHash(h) = h ^ (h >>> 16), each bucket sorted by
//     that hash; used for the topic znode and the broker registration.
//   - scala.collection.immutable.HashMap (Scala 2.13 CHAMP trie) for maps of
//     more than four entries (Map1..Map4 keep insertion order).
//   - java.util.concurrent.ConcurrentHashMap, which backs java.util.Properties
//     since Java 9; used for entity configs (see props.go).
//
// Every order here was checked against the real encoders of
// kafka_2.13-2.8.2.jar (testdata/kafka-2.8.2-vectors.jsonl).

import (
	"sort"
	"strconv"
	"unicode/utf16"
)

// javaStringHash is java.lang.String.hashCode: 31*h + c over UTF-16 code units.
func javaStringHash(s string) int32 {
	var h int32
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			h = 31*h + int32(r1)
			h = 31*h + int32(r2)
			continue
		}
		h = 31*h + int32(r)
	}
	return h
}

// utf16Len is java.lang.String.length().
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// scalaImproveHash is scala.collection.mutable.HashMap.improveHash (2.13).
func scalaImproveHash(h int32) int32 {
	return h ^ int32(uint32(h)>>16)
}

// scalaMutableHashMapOrder returns keys in the iteration order of a Scala 2.13
// mutable.HashMap[String, _] whose table has tableLen buckets.
func scalaMutableHashMapOrder(keys []string, tableLen int) []string {
	type kh struct {
		key string
		h   int32
	}
	items := make([]kh, len(keys))
	for i, k := range keys {
		items[i] = kh{k, scalaImproveHash(javaStringHash(k))}
	}
	mask := int32(tableLen - 1)
	sort.SliceStable(items, func(i, j int) bool {
		bi, bj := items[i].h&mask, items[j].h&mask
		if bi != bj {
			return bi < bj
		}
		return items[i].h < items[j].h
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.key
	}
	return out
}

// scalaDefaultHashMapLen is the table length of a Scala 2.13 mutable.HashMap
// created empty (16 buckets, load factor 0.75) after n distinct insertions:
// it doubles before an insertion that would reach the threshold.
func scalaDefaultHashMapLen(n int) int {
	l := 16
	for n >= l*3/4 {
		l *= 2
	}
	return l
}

// scalaImmutableImprove is scala.collection.Hashing.improve (2.13), used by
// the CHAMP immutable.HashMap.
func scalaImmutableImprove(hcode int32) int32 {
	h := hcode + ^(hcode << 9)
	h ^= int32(uint32(h) >> 14)
	h += h << 4
	return h ^ int32(uint32(h)>>10)
}

// champOrder returns the indexes of entries (given by their Scala ## hash, in
// insertion order) in the iteration order of a Scala 2.13 immutable.HashMap:
// a pre-order walk of the trie, each node's inline entries (by 5-bit mask)
// before its sub-nodes (by mask).
func champOrder(hashes []int32) []int {
	idx := make([]int, len(hashes))
	imp := make([]uint32, len(hashes))
	for i, h := range hashes {
		idx[i] = i
		imp[i] = uint32(scalaImmutableImprove(h))
	}
	return champWalk(idx, imp, 0)
}

func champWalk(idx []int, imp []uint32, shift uint) []int {
	if len(idx) <= 1 {
		return idx
	}
	if shift >= 32 { // full hash collision: insertion order
		return idx
	}
	groups := make(map[uint32][]int)
	var masks []uint32
	for _, i := range idx {
		m := (imp[i] >> shift) & 31
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
			out = append(out, champWalk(groups[m], imp, shift+5)...)
		}
	}
	return out
}

// scalaImmutableMapOrder returns the iteration order of a Scala 2.13
// immutable.Map[String, _] built by inserting keys (distinct) in the given
// order: insertion order up to four entries (Map1..Map4), CHAMP beyond.
func scalaImmutableMapOrder(keys []string) []string {
	if len(keys) <= 4 {
		return append([]string(nil), keys...)
	}
	hs := make([]int32, len(keys))
	for i, k := range keys {
		hs[i] = javaStringHash(k)
	}
	order := champOrder(hs)
	out := make([]string, len(order))
	for i, j := range order {
		out[i] = keys[j]
	}
	return out
}

// jsonWriter appends compact JSON the way Jackson's UTF8JsonGenerator does.
type jsonWriter struct {
	b        []byte
	comma    []bool // per open container: an element was written
	afterKey bool   // a field name was just written
}

const hexUpper = "0123456789ABCDEF"

// pre writes the separator a value or field name needs.
func (w *jsonWriter) pre() {
	if w.afterKey {
		w.afterKey = false
		return
	}
	if n := len(w.comma); n > 0 {
		if w.comma[n-1] {
			w.b = append(w.b, ',')
		}
		w.comma[n-1] = true
	}
}

func (w *jsonWriter) beginObject() { w.pre(); w.b = append(w.b, '{'); w.comma = append(w.comma, false) }
func (w *jsonWriter) endObject()   { w.b = append(w.b, '}'); w.comma = w.comma[:len(w.comma)-1] }
func (w *jsonWriter) beginArray()  { w.pre(); w.b = append(w.b, '['); w.comma = append(w.comma, false) }
func (w *jsonWriter) endArray()    { w.b = append(w.b, ']'); w.comma = w.comma[:len(w.comma)-1] }

// key writes an object field name.
func (w *jsonWriter) key(k string) {
	w.pre()
	w.quoted(k)
	w.b = append(w.b, ':')
	w.afterKey = true
}

func (w *jsonWriter) str(s string) { w.pre(); w.quoted(s) }
func (w *jsonWriter) null()        { w.pre(); w.b = append(w.b, "null"...) }
func (w *jsonWriter) int(v int64)  { w.pre(); w.b = strconv.AppendInt(w.b, v, 10) }

// optStr writes s, or null when s is nil (a Java null String).
func (w *jsonWriter) optStr(s *string) {
	if s == nil {
		w.null()
		return
	}
	w.str(*s)
}

func (w *jsonWriter) ints(vs []int32) {
	w.beginArray()
	for _, v := range vs {
		w.int(int64(v))
	}
	w.endArray()
}

// quoted writes s as a JSON string with Jackson's default escaping: '"' and
// '\\' escaped, \b \t \n \f \r short forms, other C0 controls as \u00XX,
// UTF-16 surrogates (characters beyond the BMP) as \uXXXX pairs, upper-case
// hex; everything else (DEL, '/', '<', U+2028, non-ASCII) raw UTF-8.
func (w *jsonWriter) quoted(s string) {
	w.b = append(w.b, '"')
	for _, r := range s {
		switch {
		case r == '"':
			w.b = append(w.b, '\\', '"')
		case r == '\\':
			w.b = append(w.b, '\\', '\\')
		case r == '\b':
			w.b = append(w.b, '\\', 'b')
		case r == '\t':
			w.b = append(w.b, '\\', 't')
		case r == '\n':
			w.b = append(w.b, '\\', 'n')
		case r == '\f':
			w.b = append(w.b, '\\', 'f')
		case r == '\r':
			w.b = append(w.b, '\\', 'r')
		case r < 0x20:
			w.b = append(w.b, '\\', 'u', '0', '0', hexUpper[r>>4], hexUpper[r&0xF])
		case r >= 0x10000:
			r1, r2 := utf16.EncodeRune(r)
			w.u4(r1)
			w.u4(r2)
		default:
			w.b = append(w.b, string(r)...)
		}
	}
	w.b = append(w.b, '"')
}

func (w *jsonWriter) u4(r rune) {
	w.b = append(w.b, '\\', 'u', hexUpper[(r>>12)&0xF], hexUpper[(r>>8)&0xF], hexUpper[(r>>4)&0xF], hexUpper[r&0xF])
}
