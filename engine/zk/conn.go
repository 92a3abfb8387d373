package zk

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafkago/kafka/wire"
)

// A client connection (NIOServerCnxn). Two goroutines serve it:
//
//   - the reader reads frames, decodes them and hands each to the owner
//     goroutine in arrival order (the first four bytes of a fresh connection
//     may be a four-letter word, answered here and the connection closed);
//   - the writer drains the connection's outbound queue to the socket,
//     several frames per write.
//
// The owner goroutine never blocks on a connection: it appends frames to the
// outbound queue. A client that does not read its replies makes its queue
// grow; its reader then stops reading its requests (maxOutbound), which
// throttles that client alone.

// maxOutbound is the outbound backlog above which a connection's reader stops
// reading requests until the writer catches up.
const maxOutbound = 4 << 20

// readBufSize is the buffered reader of a connection.
const readBufSize = 64 << 10

type conn struct {
	s      *Server
	nc     net.Conn
	id     uint64
	remote string // "/127.0.0.1:51234", as Java prints a socket address
	ip     string // "127.0.0.1"

	mu         sync.Mutex
	out        [][]byte
	outLen     int
	closeAfter bool // close once out is written
	dead       bool // socket closed
	wake       chan struct{}
	drained    chan struct{}

	recved      atomic.Int64
	sent        atomic.Int64
	outstanding atomic.Int64 // requests read, not yet answered
	fourLetter  atomic.Bool  // a four-letter-word connection (interest ops 0)

	// Owner-goroutine state.
	sid         int64 // 0 until the connect request is processed
	timeout     int32
	auth        []Id
	queued      int  // entries of this connection in the commit queue
	gone        bool // closed by the owner
	refused     bool // no more requests taken (closing after a reply)
	established time.Time
	oldClient   bool // no readOnly byte in the connect request
	stats       cnxnStats
}

// cnxnStats is what ServerCnxn keeps for cons.
type cnxnStats struct {
	lastOp   string
	lastCxid int64
	lastZxid int64
	lastResp int64 // ms
	lastLat  int64
	minLat   int64
	maxLat   int64
	totalLat int64
	count    int64
}

func (st *cnxnStats) reset() {
	*st = cnxnStats{lastOp: "NA", lastCxid: -1, lastZxid: -1, minLat: -1}
}

func newConn(s *Server, nc net.Conn, id uint64) *conn {
	c := &conn{s: s, nc: nc, id: id, wake: make(chan struct{}, 1), drained: make(chan struct{}, 1)}
	c.remote, c.ip = javaSocketAddr(nc.RemoteAddr())
	c.stats.reset()
	return c
}

// javaSocketAddr renders an address as Java's InetSocketAddress.toString
// does for an unresolved-name socket ("/127.0.0.1:51234") and returns the IP.
func javaSocketAddr(a net.Addr) (string, string) {
	if a == nil {
		return "/0.0.0.0:0", "0.0.0.0"
	}
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "/" + a.String(), a.String()
	}
	return "/" + host + ":" + port, host
}

// enqueue appends a frame for the writer. It never blocks.
func (c *conn) enqueue(frame []byte) {
	c.mu.Lock()
	if c.dead || c.closeAfter {
		c.mu.Unlock()
		return
	}
	c.out = append(c.out, frame)
	c.outLen += len(frame)
	c.mu.Unlock()
	c.sent.Add(1)
	c.s.stats.sent.Add(1)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// closeWhenFlushed lets the writer write what is queued, then closes.
func (c *conn) closeWhenFlushed() {
	c.mu.Lock()
	c.closeAfter = true
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// abort closes the socket at once; queued frames are dropped.
func (c *conn) abort() {
	c.mu.Lock()
	if !c.dead {
		c.dead = true
		c.out = nil
		c.outLen = 0
		_ = c.nc.Close()
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *conn) outbound() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.outLen
}

// writeLoop is the writer goroutine.
func (c *conn) writeLoop() {
	defer c.s.wg.Done()
	for range c.wake {
		for {
			c.mu.Lock()
			if c.dead {
				c.mu.Unlock()
				return
			}
			bufs := c.out
			c.out = nil
			c.outLen = 0
			closeAfter := c.closeAfter
			c.mu.Unlock()
			if len(bufs) == 0 {
				if closeAfter {
					c.abort()
					return
				}
				break
			}
			if closeAfter {
				_ = c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
			}
			nb := net.Buffers(bufs)
			if _, err := nb.WriteTo(c.nc); err != nil {
				c.abort()
				return
			}
			select {
			case c.drained <- struct{}{}:
			default:
			}
		}
	}
}

// errClosedByServer ends a reader whose connection the server closed.
var errClosedByServer = errors.New("zk: connection closed by the server")

// readLoop is the reader goroutine: four-letter word or handshake, then
// requests until the connection ends.
func (c *conn) readLoop() {
	defer c.s.wg.Done()
	err := c.read()
	c.s.post(item{kind: itemClosed, c: c, err: err})
}

func (c *conn) read() error {
	s := c.s
	max := s.maxBuffer
	br := bufio.NewReaderSize(c.nc, readBufSize)
	if t := s.cfg.SessionlessCnxnTimeout; t > 0 {
		_ = c.nc.SetReadDeadline(time.Now().Add(time.Duration(t) * time.Millisecond))
	}
	var first [wire.FrameHeaderSize]byte
	if _, err := io.ReadFull(br, first[:]); err != nil {
		return err
	}
	if cmd, ok := wire.IsFourLetterWord(first); ok {
		c.fourLetter.Store(true)
		s.fourLetterWord(c, cmd, br)
		return nil
	}
	if n := int32(binary.BigEndian.Uint32(first[:])); n < 0 || int(n) > max {
		return errLen{remote: c.remote, n: n, max: max}
	}
	body, err := wire.ReadFrameBody(br, first, nil, max)
	if err != nil {
		return err
	}
	req, err := wire.DecodeConnectRequest(body, max)
	if err != nil {
		return err
	}
	c.recved.Add(1)
	s.stats.received.Add(1)
	if !s.post(item{kind: itemConnect, c: c, connReq: req, recv: time.Now()}) {
		return errClosedByServer
	}
	_ = c.nc.SetReadDeadline(time.Time{})
	buf := make([]byte, 0, 4096)
	for {
		for c.outbound() > maxOutbound {
			select {
			case <-c.drained:
			case <-s.quit:
				return errClosedByServer
			case <-time.After(100 * time.Millisecond):
			}
		}
		var prefix [wire.FrameHeaderSize]byte
		if _, err := io.ReadFull(br, prefix[:]); err != nil {
			return err
		}
		if n := int32(binary.BigEndian.Uint32(prefix[:])); n < 0 || int(n) > max {
			return errLen{remote: c.remote, n: n, max: max}
		}
		frame, err := wire.ReadFrameBody(br, prefix, buf, max)
		if err != nil {
			return err
		}
		if cap(frame) > cap(buf) && cap(frame) <= 64<<10 {
			buf = frame[:0]
		}
		recv := time.Now()
		if len(frame) < wire.RequestHeaderSize {
			return errShortRequest(len(frame))
		}
		hdr, rec, perr := wire.ParseRequest(frame, max)
		c.recved.Add(1)
		c.outstanding.Add(1)
		s.stats.received.Add(1)
		if !s.post(item{kind: itemRequest, c: c, hdr: hdr, rec: rec, err: perr, recv: recv}) {
			return errClosedByServer
		}
	}
}

type errShortRequest int

func (e errShortRequest) Error() string {
	return "request of " + strconv.Itoa(int(e)) + " bytes is shorter than a request header"
}

// errLen is NIOServerCnxn's "Len error": a frame over jute.maxbuffer (or
// negative) closes the connection.
type errLen struct {
	remote string
	n      int32
	max    int
}

func (e errLen) Error() string {
	return "Len error. A message from " + e.remote + " with advertised length of " + strconv.Itoa(int(e.n)) +
		" is either a malformed message or too large to process (length is greater than jute.maxbuffer=" + strconv.Itoa(e.max) + ")"
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}
