package zk

import (
	"slices"
)

// Sessions as ZooKeeper's SessionTrackerImpl keeps them: an id and a
// negotiated timeout each, in an ExpiryQueue of tickTime-wide buckets. Every
// packet a session's connection sends moves it to the bucket of
// roundUp(now + timeout); a tick that reaches a bucket expires everything in
// it. The tracker is owned by the server's owner goroutine.

// sessionSecret is ZooKeeperServer.superSecret: passwords are
// java.util.Random(sessionId ^ superSecret).nextBytes(16), deterministic
// from the id, so they stay valid across restarts.
const sessionSecret int64 = 0xB3415C00

// tracked is one session (SessionImpl).
type tracked struct {
	id       int64
	timeout  int32 // ms, negotiated by the last connection
	expireAt int64 // ms, the bucket it is filed under
	closing  bool  // closeSession prepped (by the client or by expiry)
	conn     *conn // the connection serving it, nil while disconnected
}

// sessionTracker is SessionTrackerImpl with its ExpiryQueue.
type sessionTracker struct {
	interval int64 // tickTime, ms
	byID     map[int64]*tracked
	buckets  map[int64]map[int64]*tracked
	nextID   int64
}

func newSessionTracker(tickMs, nowMs, serverID int64) *sessionTracker {
	if tickMs <= 0 {
		tickMs = 1
	}
	return &sessionTracker{
		interval: tickMs,
		byID:     make(map[int64]*tracked),
		buckets:  make(map[int64]map[int64]*tracked),
		nextID:   initialSessionID(nowMs, serverID),
	}
}

// initialSessionID is SessionTrackerImpl.initializeNextSessionId: the time in
// ms shifted into bits 16..55 (<< 24 then >>> 8) and the server id in the top
// byte. Our time is the wall clock rather than Java's monotonic clock, so
// ids keep growing across restarts.
func initialSessionID(nowMs, serverID int64) int64 {
	id := int64(uint64(nowMs<<24) >> 8)
	id |= serverID << 56
	if id == ContainerOwner {
		id++
	}
	return id
}

// newID returns the next session id: incremented per session, skipping 0,
// the container marker and ids still in use (sessions restored from disk).
func (t *sessionTracker) newID() int64 {
	for {
		id := t.nextID
		t.nextID++
		if id == 0 || id == ContainerOwner {
			continue
		}
		if _, used := t.byID[id]; !used {
			return id
		}
	}
}

// roundToNextInterval is ExpiryQueue.roundToNextInterval.
func (t *sessionTracker) roundToNextInterval(ms int64) int64 {
	return (ms/t.interval + 1) * t.interval
}

// add tracks a session (createSession, or one restored at startup) and
// touches it.
func (t *sessionTracker) add(id int64, timeout int32, nowMs int64) *tracked {
	s := t.byID[id]
	if s == nil {
		s = &tracked{id: id}
		t.byID[id] = s
	}
	s.timeout = timeout
	t.touch(s, nowMs)
	return s
}

// touch moves s to the bucket of now + its timeout (touchSession). It
// reports false for a closing session, which is not touched.
func (t *sessionTracker) touch(s *tracked, nowMs int64) bool {
	if s.closing {
		return false
	}
	at := t.roundToNextInterval(nowMs + int64(s.timeout))
	if at == s.expireAt {
		return true
	}
	t.unfile(s)
	s.expireAt = at
	b := t.buckets[at]
	if b == nil {
		b = make(map[int64]*tracked)
		t.buckets[at] = b
	}
	b[s.id] = s
	return true
}

func (t *sessionTracker) unfile(s *tracked) {
	if b := t.buckets[s.expireAt]; b != nil {
		delete(b, s.id)
		if len(b) == 0 {
			delete(t.buckets, s.expireAt)
		}
	}
}

// remove forgets a session (its closeSession was applied).
func (t *sessionTracker) remove(id int64) {
	if s := t.byID[id]; s != nil {
		t.unfile(s)
		delete(t.byID, id)
	}
}

// expired takes the sessions of every bucket due at now out of the queue,
// bucket by bucket, ids ascending within one; they are marked closing.
func (t *sessionTracker) expired(nowMs int64) []*tracked {
	var due []int64
	for at := range t.buckets {
		if at <= nowMs {
			due = append(due, at)
		}
	}
	slices.Sort(due)
	var out []*tracked
	for _, at := range due {
		b := t.buckets[at]
		delete(t.buckets, at)
		ids := make([]int64, 0, len(b))
		for id := range b {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			s := b[id]
			s.closing = true
			out = append(out, s)
		}
	}
	return out
}

// bucketsSorted returns the expiry buckets in time order with their sessions
// sorted, for the dump four-letter word.
func (t *sessionTracker) bucketsSorted() ([]int64, map[int64][]int64) {
	times := make([]int64, 0, len(t.buckets))
	ids := make(map[int64][]int64, len(t.buckets))
	for at, b := range t.buckets {
		times = append(times, at)
		for id := range b {
			ids[at] = append(ids[at], id)
		}
		slices.Sort(ids[at])
	}
	slices.Sort(times)
	return times, ids
}

// sessionPassword is ZooKeeperServer.generatePasswd: 16 bytes of
// java.util.Random seeded with id ^ superSecret.
func sessionPassword(id int64) []byte {
	r := newJavaRandom(id ^ sessionSecret)
	out := make([]byte, 16)
	r.nextBytes(out)
	return out
}

// javaRandom is java.util.Random's linear congruential generator.
type javaRandom struct{ seed int64 }

const (
	javaRandMultiplier = 0x5DEECE66D
	javaRandAddend     = 0xB
	javaRandMask       = (1 << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaRandMultiplier) & javaRandMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaRandMultiplier + javaRandAddend) & javaRandMask
	return int32(uint64(r.seed) >> (48 - bits))
}

// nextBytes is Random.nextBytes: each int fills up to four bytes, low byte
// first.
func (r *javaRandom) nextBytes(b []byte) {
	for i := 0; i < len(b); {
		rnd := r.next(32)
		for n := min(len(b)-i, 4); n > 0; n-- {
			b[i] = byte(rnd)
			i++
			rnd >>= 8
		}
	}
}
