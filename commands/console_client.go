package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// What the console tools share about their Kafka client: the stderr they log
// to, bootstrap address checks, and the kgo options every Java client config
// maps onto.

// consoleSyncWriter serialises writes from the client's goroutines (callbacks,
// hooks) with the tool's own.
type consoleSyncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *consoleSyncWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// consoleHostPortRE is Utils.HOST_PORT_PATTERN, matched against a whole address.
func consoleHostPortRE() *regexp.Regexp {
	return regexp.MustCompile(`^.*?\[?([0-9a-zA-Z\-%._:]*)\]?:([0-9]+)$`)
}

// consoleSplitComma is String.split(","): trailing empty strings are dropped.
func consoleSplitComma(s string) []string {
	parts := strings.Split(s, ",")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// consolePortOverflow reports the NumberFormatException ToolsUtils.validatePortOrDie
// runs into when an address matches the host:port pattern but its port does
// not fit an int (Utils.getPort calls Integer.parseInt).
func consolePortOverflow(list string) *throwable {
	items := []string{list}
	if strings.Contains(list, ",") {
		items = consoleSplitComma(list)
	}
	re := consoleHostPortRE()
	for _, item := range items {
		m := re.FindStringSubmatch(item)
		if m == nil {
			continue
		}
		if _, err := strconv.ParseInt(m[2], 10, 32); err != nil {
			return newThrowable("java.lang.NumberFormatException", `For input string: "`+m[2]+`"`)
		}
	}
	return nil
}

// consoleResolveBootstrap is ClientUtils.parseAndValidateAddresses: every non-empty
// address must be host:port with a port in range and at least one must
// resolve. Unresolvable hosts are warned about. The error is the
// ConfigException Kafka raises (the caller wraps it).
func consoleResolveBootstrap(ctx context.Context, env *Env, urls []string) ([]string, *throwable) {
	re := consoleHostPortRE()
	var out []string
	for _, url := range urls {
		if url == "" {
			continue
		}
		m := re.FindStringSubmatch(url)
		if m == nil {
			return nil, configThrowable("Invalid url in bootstrap.servers: " + url)
		}
		host := m[1]
		port, err := strconv.ParseInt(m[2], 10, 32)
		if err != nil || port > 65535 {
			return nil, configThrowable("Invalid port in bootstrap.servers: " + url)
		}
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err = net.DefaultResolver.LookupHost(rctx, host)
		cancel()
		if err != nil {
			env.log4j("WARN", "Couldn't resolve server "+url+" from bootstrap.servers as DNS resolution failed for "+host, "org.apache.kafka.clients.ClientUtils")
			continue
		}
		out = append(out, net.JoinHostPort(host, strconv.FormatInt(port, 10)))
	}
	if len(out) == 0 {
		return nil, configThrowable("No resolvable bootstrap urls given in bootstrap.servers")
	}
	return out, nil
}

// consoleConnWarner logs NetworkClient's WARN when a connection cannot be made,
// backing off per node as Java's reconnect.backoff.ms/max.ms do so that an
// absent broker is reported about once a second, not once per dial.
type consoleConnWarner struct {
	env       *Env
	prefix    string
	base, max time.Duration
	mu        sync.Mutex
	next      map[int32]time.Time
	backoff   map[int32]time.Duration
}

func newConsoleConnWarner(env *Env, prefix string, base, max time.Duration) *consoleConnWarner {
	return &consoleConnWarner{env: env, prefix: prefix, base: base, max: max,
		next: map[int32]time.Time{}, backoff: map[int32]time.Duration{}}
}

// OnBrokerConnect implements kgo.HookBrokerConnect.
func (w *consoleConnWarner) OnBrokerConnect(meta kgo.BrokerMetadata, _ time.Duration, _ net.Conn, err error) {
	if err == nil {
		w.mu.Lock()
		delete(w.next, meta.NodeID)
		delete(w.backoff, meta.NodeID)
		w.mu.Unlock()
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	node := meta.NodeID
	if node < -10 {
		// kgo numbers seed brokers from math.MinInt32; Java numbers its
		// bootstrap nodes -1, -2, ...
		node = -1 - (node - math.MinInt32)
	}
	now := time.Now() // the backoff is measured on the real clock; env.Now only stamps log lines
	w.mu.Lock()
	if next, ok := w.next[meta.NodeID]; ok && now.Before(next) {
		w.mu.Unlock()
		return
	}
	b := w.backoff[meta.NodeID]
	if b == 0 {
		b = w.base
	} else {
		b = min(2*b, w.max)
	}
	w.backoff[meta.NodeID] = b
	w.next[meta.NodeID] = now.Add(b)
	w.mu.Unlock()
	lines := fmt.Sprintf("[%s] WARN %sConnection to node %d (%s) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)\n",
		log4jTime(w.env.Now()), w.prefix, node, consoleSocketAddress(meta.Host, meta.Port, err))
	if node < 0 {
		lines += fmt.Sprintf("[%s] WARN %sBootstrap broker %s:%d (id: %d rack: null) disconnected (org.apache.kafka.clients.NetworkClient)\n",
			log4jTime(w.env.Now()), w.prefix, meta.Host, meta.Port, node)
	}
	_, _ = io.WriteString(w.env.Err, lines)
}

// consoleSocketAddress renders an address as InetSocketAddress.toString does:
// "host/ip:port", or "/ip:port" when the host is an IP literal.
func consoleSocketAddress(host string, port int32, err error) string {
	ip := ""
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Addr != nil {
		if h, _, e := net.SplitHostPort(oe.Addr.String()); e == nil {
			ip = h
		}
	}
	if net.ParseIP(host) != nil {
		return "/" + host + ":" + strconv.Itoa(int(port))
	}
	if ip == "" {
		return host + ":" + strconv.Itoa(int(port))
	}
	return host + "/" + ip + ":" + strconv.Itoa(int(port))
}

// consoleDialer applies send.buffer.bytes and receive.buffer.bytes (-1 keeps
// the OS default) and socket.connection.setup.timeout.ms.
func consoleDialer(sendBuf, recvBuf int64, timeout time.Duration) func(ctx context.Context, network, host string) (net.Conn, error) {
	return func(ctx context.Context, network, host string) (net.Conn, error) {
		d := net.Dialer{Timeout: timeout}
		c, err := d.DialContext(ctx, network, host)
		if err != nil {
			return nil, err
		}
		if tc, ok := c.(*net.TCPConn); ok {
			if sendBuf > 0 {
				_ = tc.SetWriteBuffer(int(sendBuf))
			}
			if recvBuf > 0 {
				_ = tc.SetReadBuffer(int(recvBuf))
			}
		}
		return c, nil
	}
}

// consoleClientOpts are the kgo options every console client gets from its
// parsed Java config: seeds, client id, timeouts, backoffs, sockets.
func consoleClientOpts(env *Env, cc *ccConfig, seeds []string, clientID, prefix string) ([]kgo.Opt, *throwable) {
	props := map[string]string{
		"bootstrap.servers":   strings.Join(seeds, ","),
		"client.id":           clientID,
		"request.timeout.ms":  strconv.FormatInt(cc.num("request.timeout.ms"), 10),
		"metadata.max.age.ms": strconv.FormatInt(cc.num("metadata.max.age.ms"), 10),
		"retry.backoff.ms":    strconv.FormatInt(cc.num("retry.backoff.ms"), 10),
		"security.protocol":   cc.str("security.protocol"),
	}
	opts, err := commonClientOpts(props)
	if err != nil {
		return nil, newThrowable("org.apache.kafka.common.KafkaException", err.Error())
	}
	ms := func(key string) time.Duration { return time.Duration(cc.num(key)) * time.Millisecond }
	minAge := max(ms("retry.backoff.ms"), 10*time.Millisecond)
	if maxAge := ms("metadata.max.age.ms"); maxAge < minAge {
		minAge = max(maxAge, 10*time.Millisecond)
	}
	backoff := ms("reconnect.backoff.ms")
	backoffMax := max(ms("reconnect.backoff.max.ms"), backoff)
	opts = append(opts,
		kgo.MetadataMinAge(minAge),
		kgo.Dialer(consoleDialer(cc.num("send.buffer.bytes"), cc.num("receive.buffer.bytes"), ms("socket.connection.setup.timeout.ms"))),
		kgo.WithHooks(newConsoleConnWarner(env, prefix, max(backoff, 50*time.Millisecond), max(backoffMax, time.Second))),
	)
	if idle := ms("connections.max.idle.ms"); idle >= time.Second {
		opts = append(opts, kgo.ConnIdleTimeout(idle))
	}
	return opts, nil
}
