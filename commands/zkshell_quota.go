package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kafkago/kafka/wire"
)

// Quotas as zkCli 3.6 keeps them: /zookeeper/quota<path>/zookeeper_limits
// and zookeeper_stats, each holding a StatsTrack string "count=N,bytes=M".

const (
	zkQuotaRoot   = "/zookeeper/quota"
	zkQuotaLimits = "zookeeper_limits"
	zkQuotaStats  = "zookeeper_stats"
)

type zkStatsTrack struct{ count, bytes int64 }

func parseStatsTrack(s string) zkStatsTrack {
	st := zkStatsTrack{count: -1, bytes: -1}
	for _, kv := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "count":
			st.count = n
		case "bytes":
			st.bytes = n
		}
	}
	return st
}

func (t zkStatsTrack) String() string { return fmt.Sprintf("count=%d,bytes=%d", t.count, t.bytes) }

func (sh *zkShell) setQuota(opts map[string]string, args []string) error {
	_, hasN := opts["n"]
	_, hasB := opts["b"]
	if !hasN && !hasB {
		return zkMalformed("org.apache.commons.cli.MissingOptionException: Missing required option: [-b bytes quota, -n num quota]")
	}
	if len(args) < 2 {
		return sh.usageOf("setquota")
	}
	path := args[1]
	if err := zkValidatePath(path, false); err != nil {
		return err
	}
	if strings.HasPrefix(path, zkQuotaRoot) {
		return zkMalformed("cannot set a quota under the path " + zkQuotaRoot)
	}
	var limit zkStatsTrack
	limit.count, limit.bytes = -1, -1
	val := opts["n"]
	if hasB {
		val = opts["b"]
	}
	n, err := strconv.ParseInt(val, 10, 64)
	if err != nil {
		return zkMalformed("\"" + val + "\" is not a valid value for quota")
	}
	if hasB {
		limit.bytes = n
	} else {
		limit.count = n
	}
	if _, err := sh.zk.exists(path, false); err != nil {
		if isNoNode(err) {
			return zkMalformed(path + " does not exist.")
		}
		return zkWrap(err)
	}
	// Create the quota node's ancestors.
	quotaPath := zkQuotaRoot + path
	cur := zkQuotaRoot
	for _, part := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		cur += "/" + part
		if _, err := sh.zk.create(cur, nil, zkOpenACL, zkModePersistent, 0); err != nil {
			if ke, ok := err.(*zkcError); !ok || ke.code != wire.CodeNodeExists {
				return zkWrap(err)
			}
		}
	}
	limitsPath := quotaPath + "/" + zkQuotaLimits
	data, _, err := sh.zk.get(limitsPath, false)
	switch {
	case err == nil:
		old := parseStatsTrack(string(data))
		if hasB {
			old.bytes = limit.bytes
		} else {
			old.count = limit.count
		}
		if _, err := sh.zk.set(limitsPath, []byte(old.String()), -1); err != nil {
			return zkWrap(err)
		}
	case isNoNode(err):
		if _, err := sh.zk.create(limitsPath, []byte(limit.String()), zkOpenACL, zkModePersistent, 0); err != nil {
			return zkWrap(err)
		}
		stats := zkStatsTrack{}
		if _, err := sh.zk.create(quotaPath+"/"+zkQuotaStats, []byte(stats.String()), zkOpenACL, zkModePersistent, 0); err != nil {
			if ke, ok := err.(*zkcError); !ok || ke.code != wire.CodeNodeExists {
				return zkWrap(err)
			}
		}
	default:
		return zkWrap(err)
	}
	return nil
}

func (sh *zkShell) listQuota(args []string) error {
	if len(args) < 2 {
		return sh.usageOf("listquota")
	}
	path := args[1]
	if err := zkValidatePath(path, false); err != nil {
		return err
	}
	limitsPath := zkQuotaRoot + path + "/" + zkQuotaLimits
	fmt.Fprintln(sh.env.Err, "absolute path is "+limitsPath)
	data, _, err := sh.zk.get(limitsPath, false)
	if err != nil {
		if isNoNode(err) {
			fmt.Fprintln(sh.env.Err, "quota for "+path+" does not exist.")
			return nil
		}
		return zkWrap(err)
	}
	fmt.Fprintln(sh.out, "Output quota for "+path+" "+parseStatsTrack(string(data)).String())
	data, _, err = sh.zk.get(zkQuotaRoot+path+"/"+zkQuotaStats, false)
	if err != nil {
		if isNoNode(err) {
			return nil
		}
		return zkWrap(err)
	}
	fmt.Fprintln(sh.out, "Output stat for "+path+" "+parseStatsTrack(string(data)).String())
	return nil
}

func (sh *zkShell) delQuota(opts map[string]string, args []string) error {
	if len(args) < 2 {
		return sh.usageOf("delquota")
	}
	path := args[1]
	if err := zkValidatePath(path, false); err != nil {
		return err
	}
	_, bytes := opts["b"]
	_, count := opts["n"]
	quotaPath := zkQuotaRoot + path
	limitsPath := quotaPath + "/" + zkQuotaLimits
	data, _, err := sh.zk.get(limitsPath, false)
	if err != nil {
		if isNoNode(err) {
			fmt.Fprintln(sh.out, "Quota does not exist for "+path)
			return nil
		}
		return zkWrap(err)
	}
	if bytes != count { // exactly one of -b, -n
		st := parseStatsTrack(string(data))
		if bytes {
			st.bytes = -1
		} else {
			st.count = -1
		}
		if _, err := sh.zk.set(limitsPath, []byte(st.String()), -1); err != nil {
			return zkWrap(err)
		}
		return nil
	}
	if err := sh.deleteAll(quotaPath); err != nil {
		return zkWrap(err)
	}
	// Trim quota parents left without children.
	for p := quotaPath[:strings.LastIndex(quotaPath, "/")]; p != zkQuotaRoot && strings.HasPrefix(p, zkQuotaRoot); p = p[:strings.LastIndex(p, "/")] {
		children, _, err := sh.zk.children(p, false)
		if err != nil || len(children) > 0 {
			break
		}
		if err := sh.zk.delete(p, -1); err != nil {
			break
		}
	}
	return nil
}
