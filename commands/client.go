package commands

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// hostPortRE is ToolsUtils.validatePortOrDie's pattern for one broker address.
var hostPortRE = regexp.MustCompile(`^.*?\[?([0-9a-zA-Z\-%._:]*)\]?:([0-9]+)$`)

// validHostPorts reports whether every comma-separated item of list looks
// like host:port, as Kafka's console tools check --broker-list/--bootstrap-server
// (ToolsUtils.validatePortOrDie). The list is split as Java's String.split
// does: trailing empty items are dropped, and there must be at least one item.
func validHostPorts(list string) bool {
	items := strings.Split(list, ",")
	for len(items) > 0 && items[len(items)-1] == "" {
		items = items[:len(items)-1]
	}
	if len(items) == 0 {
		return false
	}
	for _, item := range items {
		if !hostPortRE.MatchString(item) {
			return false
		}
	}
	return true
}

// splitServers splits a bootstrap.servers value into addresses.
func splitServers(list string) []string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// commonClientOpts maps the Java client properties that franz-go has an
// equivalent for, shared by producer, consumer and admin clients. Keys with
// no equivalent are left to the caller. Values must already be validated.
func commonClientOpts(props map[string]string) ([]kgo.Opt, error) {
	var opts []kgo.Opt
	if v, ok := props["bootstrap.servers"]; ok {
		opts = append(opts, kgo.SeedBrokers(splitServers(v)...))
	}
	if v, ok := props["client.id"]; ok && v != "" {
		opts = append(opts, kgo.ClientID(v))
	}
	ms := func(key string, set func(time.Duration) kgo.Opt) error {
		v, ok := props[key]
		if !ok {
			return nil
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("Invalid value %s for configuration %s: Not a number of type LONG", v, key)
		}
		opts = append(opts, set(time.Duration(n)*time.Millisecond))
		return nil
	}
	for key, set := range map[string]func(time.Duration) kgo.Opt{
		"request.timeout.ms":  kgo.RequestTimeoutOverhead,
		"metadata.max.age.ms": kgo.MetadataMaxAge,
		"retry.backoff.ms":    func(d time.Duration) kgo.Opt { return kgo.RetryBackoffFn(func(int) time.Duration { return d }) },
		"reconnect.backoff.ms": func(d time.Duration) kgo.Opt {
			return kgo.RetryBackoffFn(func(int) time.Duration { return d })
		},
	} {
		if err := ms(key, set); err != nil {
			return nil, err
		}
	}
	if v, ok := props["security.protocol"]; ok && !strings.EqualFold(strings.TrimSpace(v), "PLAINTEXT") {
		return nil, fmt.Errorf("security.protocol=%s is not supported yet (only PLAINTEXT)", v)
	}
	return opts, nil
}
