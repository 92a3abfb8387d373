package log

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

var (
	modelSeed = flag.Uint64("model.seed", 0, "run TestModel's random case with this seed only")
	modelOps  = flag.Int("model.ops", 400, "operations per TestModel case")
)

// model is what the log should hold: its batches (offsets assigned) in
// order, and its offsets.
type model struct {
	batches  []Batch
	logStart int64
	leo      int64
	hw       int64
}

// modelRun drives a Log and a model with the same random operations.
type modelRun struct {
	t     *testing.T
	rng   *rand.Rand
	dir   string
	cfg   Config
	clock *fakeClock
	l     *Log
	m     model
	epoch int32
	ts    int64
	ops   map[string]int
}

func TestModel(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4, 5, uint64(time.Now().UnixNano())}
	if *modelSeed != 0 {
		seeds = []uint64{*modelSeed}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Logf("seed %d (replay with go test -run TestModel ./engine/log/ -model.seed=%d)", seed, seed)
			rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
			r := &modelRun{t: t, rng: rng, dir: filepath.Join(t.TempDir(), "model-0"), clock: newFakeClock(), ts: 1_000_000, epoch: 1, ops: map[string]int{}}
			r.cfg = testConfig(r.clock)
			r.cfg.SegmentBytes = int32(600 + rng.IntN(4000))
			r.cfg.IndexIntervalBytes = int32(rng.IntN(800))
			r.cfg.SegmentIndexBytes = int32(24 + 12*rng.IntN(20))
			r.cfg.Delete = false
			t.Logf("segment.bytes %d index.interval.bytes %d segment.index.bytes %d", r.cfg.SegmentBytes, r.cfg.IndexIntervalBytes, r.cfg.SegmentIndexBytes)
			l, err := Open(r.dir, r.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.l = l
			for i := 0; i < *modelOps; i++ {
				r.step(i)
				if t.Failed() {
					t.Fatalf("failed at op %d", i)
				}
			}
			r.checkAll()
			checkConsistent(t, r.l)
			t.Logf("ops %v, %d segments, log end %d", r.ops, len(r.l.SegmentBaseOffsets()), r.l.LogEndOffset())
			r.l.Close()
		})
	}
}

func (r *modelRun) step(i int) {
	t := r.t
	switch n := r.rng.IntN(100); {
	case n < 40:
		r.ops["append"]++
		r.appendLeader()
	case n < 48:
		r.ops["follower"]++
		r.appendFollower()
	case n < 63:
		r.ops["read"]++
		r.checkRead()
	case n < 68:
		r.ops["timestamp"]++
		r.checkTimestamp()
	case n < 73:
		r.ops["truncate"]++
		r.truncate()
	case n < 75:
		r.ops["truncateFully"]++
		off := r.m.logStart + int64(r.rng.IntN(int(r.m.leo-r.m.logStart)+20))
		if err := r.l.TruncateFullyAndStartAt(off); err != nil {
			t.Fatal(err)
		}
		r.m = model{logStart: off, leo: off, hw: off}
	case n < 81:
		r.ops["deleteRecords"]++
		r.deleteRecords()
	case n < 85:
		r.ops["reopenClean"]++
		r.reopen(true)
	case n < 90:
		r.ops["reopenUnclean"]++
		r.reopen(false)
	case n < 94:
		r.ops["flush"]++
		if err := r.l.Flush(); err != nil {
			t.Fatal(err)
		}
		if r.l.RecoveryPoint() != r.m.leo {
			t.Fatalf("recovery point %d after flush, end %d", r.l.RecoveryPoint(), r.m.leo)
		}
	case n < 96:
		r.ops["newEpoch"]++
		r.epoch += int32(1 + r.rng.IntN(3))
		if err := r.l.AssignEpochStartOffset(r.epoch, r.m.leo); err != nil {
			t.Fatal(err)
		}
	default:
		r.ops["check"]++
		r.checkAll()
	}
	if got := r.l.LogEndOffset(); got != r.m.leo {
		t.Fatalf("op %d: log end %d, model %d", i, got, r.m.leo)
	}
	if got := r.l.LogStartOffset(); got != r.m.logStart {
		t.Fatalf("op %d: log start %d, model %d", i, got, r.m.logStart)
	}
	r.dropDeleted()
}

// randomBatch builds a batch of random records and timestamps.
func (r *modelRun) randomBatch() []byte {
	n := 1 + r.rng.IntN(5)
	rs := make([]testRecord, n)
	for i := range rs {
		r.ts = max(0, r.ts+int64(r.rng.IntN(150))-50)
		v := make([]byte, r.rng.IntN(250))
		for j := range v {
			v[j] = byte(r.rng.IntN(256))
		}
		rs[i] = testRecord{key: []byte(fmt.Sprint(r.rng.IntN(10))), value: v, ts: r.ts}
	}
	spec := batchSpec{records: rs}
	if r.rng.IntN(4) == 0 {
		spec.compression = CompressionGzip
	}
	return buildBatch(r.t, spec)
}

func (r *modelRun) appendLeader() {
	var data []byte
	for k := 1 + r.rng.IntN(3); k > 0; k-- {
		data = append(data, r.randomBatch()...)
	}
	if len(data) > int(r.cfg.SegmentBytes) {
		if _, err := r.l.Append(data, r.epoch); !errors.Is(err, ErrBatchTooLarge) {
			r.t.Fatalf("append of %d bytes: %v", len(data), err)
		}
		return
	}
	info, err := r.l.Append(data, r.epoch)
	if err != nil {
		r.t.Fatal(err)
	}
	if info.FirstOffset != r.m.leo {
		r.t.Fatalf("first offset %d, model %d", info.FirstOffset, r.m.leo)
	}
	r.addBatches(data)
	if info.LastOffset != r.m.leo-1 {
		r.t.Fatalf("last offset %d, model %d", info.LastOffset, r.m.leo-1)
	}
}

func (r *modelRun) appendFollower() {
	next := r.m.leo
	if r.rng.IntN(3) == 0 {
		next += int64(r.rng.IntN(100)) // a gap
	}
	var data []byte
	for k := 1 + r.rng.IntN(3); k > 0; k-- {
		b := Batch(r.randomBatch())
		b.SetBaseOffset(next)
		b.SetPartitionLeaderEpoch(r.epoch)
		next = b.NextOffset()
		data = append(data, b...)
	}
	if len(data) > int(r.cfg.SegmentBytes) {
		return
	}
	if _, err := r.l.AppendAsFollower(data); err != nil {
		r.t.Fatal(err)
	}
	r.addBatches(data)
}

func (r *modelRun) addBatches(data []byte) {
	for it := IterBatches(data); it.Next(); {
		b := Batch(bytes.Clone(it.Batch()))
		r.m.batches = append(r.m.batches, b)
		r.m.leo = b.NextOffset()
	}
}

// dropDeleted forgets batches in segments the log deleted.
func (r *modelRun) dropDeleted() {
	bases := r.l.SegmentBaseOffsets()
	i := 0
	for i < len(r.m.batches) && r.m.batches[i].BaseOffset() < bases[0] {
		i++
	}
	r.m.batches = r.m.batches[i:]
}

// firstBatchAtOrAfter is the index of the first model batch whose last
// offset is >= offset.
func (r *modelRun) firstBatchAtOrAfter(offset int64) int {
	for i, b := range r.m.batches {
		if b.LastOffset() >= offset {
			return i
		}
	}
	return len(r.m.batches)
}

func (r *modelRun) checkRead() {
	t := r.t
	span := int(r.m.leo-r.m.logStart) + 5
	offset := r.m.logStart - 2 + int64(r.rng.IntN(span))
	maxBytes := int32(r.rng.IntN(3000))
	maxOffset := offset + int64(r.rng.IntN(span))
	if r.rng.IntN(3) == 0 {
		maxOffset = r.m.leo
	}
	d, err := r.l.Read(offset, maxBytes, maxOffset)
	if offset < r.m.logStart || offset > r.m.leo {
		if !errors.Is(err, ErrOffsetOutOfRange) {
			t.Fatalf("Read(%d) outside [%d, %d]: %v", offset, r.m.logStart, r.m.leo, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("Read(%d, %d, %d): %v", offset, maxBytes, maxOffset, err)
	}
	data, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	bound := min(maxOffset, r.m.leo)
	i := r.firstBatchAtOrAfter(offset)
	if offset >= bound || i == len(r.m.batches) || r.m.batches[i].LastOffset() >= bound {
		if len(data) != 0 {
			t.Fatalf("Read(%d, %d, %d) returned %d bytes, want none", offset, maxBytes, maxOffset, len(data))
		}
		return
	}
	first := r.m.batches[i]
	if len(data) < len(first) || !bytes.Equal(data[:len(first)], first) {
		t.Fatalf("Read(%d, %d, %d): first batch differs (got %d bytes, want batch %d..%d of %d)", offset, maxBytes, maxOffset, len(data), first.BaseOffset(), first.LastOffset(), len(first))
	}
	if len(data) > max(int(maxBytes), len(first)) {
		t.Fatalf("Read(%d, %d): %d bytes", offset, maxBytes, len(data))
	}
	// The rest is a prefix of the following batches, none reaching the bound.
	rest := data[len(first):]
	for _, b := range r.m.batches[i+1:] {
		if len(rest) == 0 {
			break
		}
		k := min(len(rest), len(b))
		if !bytes.Equal(rest[:k], b[:k]) {
			t.Fatalf("Read(%d): batch %d differs", offset, b.BaseOffset())
		}
		if b.LastOffset() >= bound {
			t.Fatalf("Read(%d, %d, %d) returned batch %d..%d past the bound", offset, maxBytes, maxOffset, b.BaseOffset(), b.LastOffset())
		}
		rest = rest[k:]
	}
	if len(rest) != 0 {
		t.Fatalf("Read(%d): %d bytes beyond the model", offset, len(rest))
	}
}

func (r *modelRun) checkTimestamp() {
	t := r.t
	target := r.ts - int64(r.rng.IntN(3000)) + 100
	got, found, err := r.l.ReadByTimestamp(target)
	if err != nil {
		t.Fatal(err)
	}
	// Expected: in the first segment whose largest timestamp reaches the
	// target, the first record at or after it and the log start offset.
	bases := r.l.SegmentBaseOffsets()
	var want OffsetForTime
	wantFound := false
	for si, base := range bases {
		end := int64(1 << 62)
		if si+1 < len(bases) {
			end = bases[si+1]
		}
		var inSeg []Batch
		largest := NoTimestamp
		for _, b := range r.m.batches {
			if b.BaseOffset() >= base && b.BaseOffset() < end {
				inSeg = append(inSeg, b)
				largest = max(largest, b.MaxTimestamp())
			}
		}
		if len(inSeg) == 0 || largest < target {
			continue
		}
		for _, b := range inSeg {
			forEachRecordTime(b, func(off, ts int64) bool {
				if ts >= target && off >= r.m.logStart {
					want, wantFound = OffsetForTime{Timestamp: ts, Offset: off, LeaderEpoch: b.PartitionLeaderEpoch()}, true
					return false
				}
				return true
			})
			if wantFound {
				break
			}
		}
		break
	}
	if found != wantFound || got != want {
		t.Fatalf("ReadByTimestamp(%d) = %+v %v, want %+v %v", target, got, found, want, wantFound)
	}
}

func (r *modelRun) truncate() {
	t := r.t
	off := r.m.logStart + int64(r.rng.IntN(int(r.m.leo-r.m.logStart)+3))
	bases := r.l.SegmentBaseOffsets()
	ok, err := r.l.TruncateTo(off)
	if err != nil {
		t.Fatal(err)
	}
	if off >= r.m.leo {
		if ok {
			t.Fatalf("TruncateTo(%d) past the end reported a change", off)
		}
		return
	}
	if bases[0] > off {
		r.m = model{logStart: off, leo: off, hw: off}
		return
	}
	keep := r.firstBatchAtOrAfter(off)
	r.m.batches = r.m.batches[:keep]
	after := r.l.SegmentBaseOffsets()
	leo := after[len(after)-1]
	if keep > 0 {
		leo = max(leo, r.m.batches[keep-1].NextOffset())
	}
	r.m.leo = leo
	r.m.logStart = min(r.m.logStart, leo)
	r.m.hw = min(r.m.hw, leo)
}

func (r *modelRun) deleteRecords() {
	t := r.t
	hw := r.m.logStart + int64(r.rng.IntN(int(r.m.leo-r.m.logStart)+1))
	if got := r.l.SetHighWatermark(hw); got != hw {
		t.Fatalf("SetHighWatermark(%d) = %d", hw, got)
	}
	r.m.hw = hw
	start := r.m.logStart + int64(r.rng.IntN(int(hw-r.m.logStart)+1))
	if err := r.l.IncrementLogStartOffset(start); err != nil {
		t.Fatal(err)
	}
	r.m.logStart = start
	if _, err := r.l.DeleteOldSegments(); err != nil {
		t.Fatal(err)
	}
	if bases := r.l.SegmentBaseOffsets(); len(bases) > 1 && bases[1] <= start {
		t.Fatalf("segment %d below log start %d survived retention (%v)", bases[0], start, bases)
	}
}

func (r *modelRun) reopen(clean bool) {
	t := r.t
	rec := Recovery{
		CleanShutdown:  clean,
		RecoveryPoint:  r.l.RecoveryPoint(),
		LogStartOffset: r.l.LogStartOffset(),
		HighWatermark:  r.l.HighWatermark(),
	}
	if clean {
		if err := r.l.Close(); err != nil {
			t.Fatal(err)
		}
	} else {
		abandon(r.l)
	}
	cfg := r.cfg
	cfg.Recovery = rec
	l, err := Open(r.dir, cfg, nil)
	if err != nil {
		t.Fatalf("reopen (clean %v): %v", clean, err)
	}
	r.l = l
	if l.HighWatermark() != min(max(rec.HighWatermark, r.m.logStart), r.m.leo) {
		t.Fatalf("reopened hw %d, was %d", l.HighWatermark(), rec.HighWatermark)
	}
}

// checkAll reads the whole log and compares it with the model.
func (r *modelRun) checkAll() {
	t := r.t
	got := readAll(t, r.l, r.m.logStart)
	want := r.m.batches[r.firstBatchAtOrAfter(r.m.logStart):]
	if len(got) != len(want) {
		t.Fatalf("log holds %d batches from %d, model %d", len(got), r.m.logStart, len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("batch %d (offset %d) differs", i, want[i].BaseOffset())
		}
	}
	eps := r.l.LeaderEpochs()
	if !slices.IsSortedFunc(eps, func(a, b EpochEntry) int { return int(a.StartOffset - b.StartOffset) }) {
		t.Fatalf("epochs not ascending: %v", eps)
	}
	for _, e := range eps {
		if e.StartOffset > r.m.leo {
			t.Fatalf("epoch %v past the end %d", e, r.m.leo)
		}
	}
}
