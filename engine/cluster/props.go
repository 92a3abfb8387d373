package cluster

import "sort"

// Props models a java.util.Properties holding string keys and values, the
// type Kafka 2.8 uses for an entity config (/config/topics/<t> and friends).
//
// It exists for one reason: Kafka serialises a Properties with Jackson, so
// the key order of {"version":1,"config":{…}} is the iteration order of the
// ConcurrentHashMap behind Properties (Java 9+), and that order depends on
// the table size and on the history of insertions, removals and putAll
// calls. Props replays that history: a table of bins indexed by
// spread(String.hashCode) & (n-1), new keys appended to their bin, the table
// doubled (with ConcurrentHashMap's split that reverses the part of each bin
// before its last run) when the count reaches 3/4 of its length, and putAll
// pre-sizing the table as tryPresize does. Not modelled: a bin of eight or
// more colliding keys, which Java would resize or treeify.
//
// The zero value is an empty Properties ready to use. Props is not safe for
// concurrent use.
type Props struct {
	table   [][]propEntry
	sizeCtl int // before the table exists: its initial length; after: resize threshold
	count   int
}

type propEntry struct {
	hash int32 // spread hash, non-negative
	key  string
	val  string
}

// chmInitialCapacity is the table length of new Properties(): the
// ConcurrentHashMap(8) it creates sizes its first table to 16.
const chmInitialCapacity = 16

// NewProps returns an empty Props.
func NewProps() *Props { return &Props{} }

// PropsFromMap returns Props holding m, inserted in sorted key order.
func PropsFromMap(m map[string]string) *Props {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	p := &Props{}
	for _, k := range keys {
		p.Set(k, m[k])
	}
	return p
}

func chmSpread(h int32) int32 {
	return (h ^ int32(uint32(h)>>16)) & 0x7fffffff
}

func chmTableSizeFor(c int) int {
	n := 1
	for n < c {
		n <<= 1
	}
	return n
}

func (p *Props) initTable(n int) {
	p.table = make([][]propEntry, n)
	p.sizeCtl = n - n>>2
}

// Set is Properties.setProperty (ConcurrentHashMap.put): a new key goes to
// the tail of its bin; an existing key keeps its place.
func (p *Props) Set(key, value string) {
	if p.table == nil {
		n := p.sizeCtl
		if n <= 0 {
			n = chmInitialCapacity
		}
		p.initTable(n)
	}
	h := chmSpread(javaStringHash(key))
	i := int(h) & (len(p.table) - 1)
	for j := range p.table[i] {
		if p.table[i][j].key == key {
			p.table[i][j].val = value
			return
		}
	}
	p.table[i] = append(p.table[i], propEntry{h, key, value})
	p.count++
	if p.count >= p.sizeCtl {
		p.transfer()
	}
}

// transfer doubles the table the way ConcurrentHashMap.transfer splits each
// bin: the trailing run of entries that go to the same half keeps its order,
// the entries before it are prepended (so reversed) to their half.
func (p *Props) transfer() {
	n := len(p.table)
	next := make([][]propEntry, 2*n)
	for i := n - 1; i >= 0; i-- {
		bin := p.table[i]
		if len(bin) == 0 {
			continue
		}
		runBit := bin[0].hash & int32(n)
		lastRun := 0
		for j := 1; j < len(bin); j++ {
			if b := bin[j].hash & int32(n); b != runBit {
				runBit = b
				lastRun = j
			}
		}
		var lo, hi []propEntry
		if runBit == 0 {
			lo = append(lo, bin[lastRun:]...)
		} else {
			hi = append(hi, bin[lastRun:]...)
		}
		for j := 0; j < lastRun; j++ {
			e := bin[j]
			if e.hash&int32(n) == 0 {
				lo = append([]propEntry{e}, lo...)
			} else {
				hi = append([]propEntry{e}, hi...)
			}
		}
		next[i] = lo
		next[i+n] = hi
	}
	p.table = next
	p.sizeCtl = 2*n - n>>1
}

// presize is ConcurrentHashMap.tryPresize, which putAll runs first.
func (p *Props) presize(size int) {
	c := chmTableSizeFor(size + size>>1 + 1)
	for {
		if p.table == nil {
			n := p.sizeCtl
			if n <= 0 {
				n = chmInitialCapacity
			}
			if c > n {
				n = c
			}
			p.initTable(n)
			continue
		}
		if c <= p.sizeCtl {
			return
		}
		p.transfer()
	}
}

// PutAll is Properties.putAll(other): pre-size, then put other's entries in
// other's iteration order.
func (p *Props) PutAll(other *Props) {
	if other == nil {
		return
	}
	p.presize(other.Len())
	for _, e := range other.entries() {
		p.Set(e.key, e.val)
	}
}

// Get returns the value of key.
func (p *Props) Get(key string) (string, bool) {
	if p == nil || p.table == nil {
		return "", false
	}
	i := int(chmSpread(javaStringHash(key))) & (len(p.table) - 1)
	for _, e := range p.table[i] {
		if e.key == key {
			return e.val, true
		}
	}
	return "", false
}

// Remove deletes key and reports whether it was present.
func (p *Props) Remove(key string) bool {
	if p == nil || p.table == nil {
		return false
	}
	i := int(chmSpread(javaStringHash(key))) & (len(p.table) - 1)
	for j, e := range p.table[i] {
		if e.key == key {
			p.table[i] = append(p.table[i][:j:j], p.table[i][j+1:]...)
			p.count--
			return true
		}
	}
	return false
}

// Len returns the number of entries.
func (p *Props) Len() int {
	if p == nil {
		return 0
	}
	return p.count
}

func (p *Props) entries() []propEntry {
	if p == nil {
		return nil
	}
	out := make([]propEntry, 0, p.count)
	for _, bin := range p.table {
		out = append(out, bin...)
	}
	return out
}

// Keys returns the keys in Java's iteration order (the order Kafka writes).
func (p *Props) Keys() []string {
	es := p.entries()
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.key
	}
	return out
}

// Map returns a copy of the entries as a Go map.
func (p *Props) Map() map[string]string {
	out := make(map[string]string, p.Len())
	for _, e := range p.entries() {
		out[e.key] = e.val
	}
	return out
}

// Clone returns an independent copy with the same layout (and so the same
// future iteration order).
func (p *Props) Clone() *Props {
	if p == nil {
		return &Props{}
	}
	c := &Props{sizeCtl: p.sizeCtl, count: p.count}
	if p.table != nil {
		c.table = make([][]propEntry, len(p.table))
		for i, bin := range p.table {
			c.table[i] = append([]propEntry(nil), bin...)
		}
	}
	return c
}
