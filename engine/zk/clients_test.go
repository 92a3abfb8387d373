package zk

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Real clients other than go-zookeeper driving our server: kazoo (Python,
// with its recipes) and Debian's zkCli.sh (the ZooKeeper 3.8 Java client).

// kazooPython returns a python3 that can import kazoo.
func kazooPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if err := exec.Command(py, "-c", "import kazoo").Run(); err == nil {
			return py
		}
	}
	t.Skip("kazoo is missing: apt-get install -y python3-kazoo")
	return ""
}

const kazooScript = `
import sys, threading, time
from kazoo.client import KazooClient
from kazoo.exceptions import NoNodeError, NodeExistsError, BadVersionError
from kazoo.recipe.lock import Lock
from kazoo.recipe.election import Election
from kazoo.recipe.barrier import Barrier
from kazoo.recipe.counter import Counter
from kazoo.recipe.queue import Queue

hosts = sys.argv[1]
zk = KazooClient(hosts=hosts, timeout=10)
zk.start(timeout=10)
zk2 = KazooClient(hosts=hosts, timeout=10)
zk2.start(timeout=10)

# basics
zk.ensure_path("/k/a/b")
zk.create("/k/node", b"v1")
data, st = zk.get("/k/node")
assert data == b"v1" and st.version == 0, (data, st)
zk.set("/k/node", b"v2", version=0)
try:
    zk.set("/k/node", b"v3", version=0)
    raise AssertionError("BadVersion expected")
except BadVersionError:
    pass
try:
    zk.create("/k/node", b"")
    raise AssertionError("NodeExists expected")
except NodeExistsError:
    pass
path, st = zk.create("/k/c2", b"x", include_data=True)  # create2
assert path == "/k/c2" and st.dataLength == 1, (path, st)
assert sorted(zk.get_children("/k")) == ["a", "c2", "node"], zk.get_children("/k")
kids, st = zk.get_children("/k", include_data=True)
assert st.numChildren == 3, st
seq = zk.create("/k/seq-", b"", sequence=True)
assert seq == "/k/seq-0000000003", seq

# watches
events = []
got = threading.Event()
def watch(ev):
    events.append(ev)
    got.set()
zk.get("/k/node", watch=watch)
zk2.set("/k/node", b"v4")
assert got.wait(10), "data watch did not fire"
assert events[0].type == "CHANGED" and events[0].path == "/k/node", events

# ephemeral goes with its session
zk2.create("/k/eph", b"", ephemeral=True)
zk2.stop(); zk2.close()
assert zk.exists("/k/eph") is None, "ephemeral survived"

# transaction (multi)
tx = zk.transaction()
tx.create("/k/t1", b"1")
tx.set_data("/k/t1", b"2")
tx.check("/k/node", 2)
res = tx.commit()
assert res[0] == "/k/t1" and res[1].version == 1 and res[2] is True, res
tx = zk.transaction()
tx.create("/k/t2", b"")
tx.delete("/k/missing")
res = tx.commit()
assert isinstance(res[1], NoNodeError), res
assert zk.exists("/k/t2") is None

# recipes: lock
clients = [KazooClient(hosts=hosts, timeout=10) for _ in range(3)]
for c in clients:
    c.start(timeout=10)
counter = {"n": 0, "max": 0, "in": 0}
mu = threading.Lock()
def worker(c, i):
    lock = Lock(c, "/k/lock", identifier="w%d" % i)
    for _ in range(5):
        with lock:
            with mu:
                counter["in"] += 1
                counter["max"] = max(counter["max"], counter["in"])
            time.sleep(0.005)
            with mu:
                counter["in"] -= 1
                counter["n"] += 1
ts = [threading.Thread(target=worker, args=(c, i)) for i, c in enumerate(clients)]
for t in ts: t.start()
for t in ts: t.join(60)
assert counter["n"] == 15 and counter["max"] == 1, counter

# election
won = []
el = Election(clients[0], "/k/election", "c0")
t = threading.Thread(target=el.run, args=(lambda: won.append("c0"),))
t.start(); t.join(20)
assert won == ["c0"], won

# barrier
b = Barrier(zk, "/k/barrier")
b.create()
released = threading.Event()
def waiter():
    Barrier(clients[1], "/k/barrier").wait(20)
    released.set()
threading.Thread(target=waiter).start()
time.sleep(0.2)
assert not released.is_set()
b.remove()
assert released.wait(10), "barrier did not release"

# counter
cnt = Counter(zk, "/k/counter")
cnt += 5
cnt -= 2
assert cnt.value == 3, cnt.value
Counter(clients[2], "/k/counter").__add__(4)
assert Counter(zk, "/k/counter").value == 7

# queue
q = Queue(zk, "/k/queue")
q.put(b"one"); q.put(b"two"); q.put(b"three", priority=10)
got = [Queue(clients[1], "/k/queue").get() for _ in range(3)]
assert got == [b"three", b"one", b"two"], got  # lower priority value first

for c in clients:
    c.stop(); c.close()
zk.delete("/k", recursive=True)
assert zk.exists("/k") is None
zk.stop(); zk.close()
print("OK")
`

func TestZkKazoo(t *testing.T) {
	py := kazooPython(t)
	s := startServer(t, zkConfig(t))
	script := filepath.Join(t.TempDir(), "kazoo_test.py")
	if err := os.WriteFile(script, []byte(kazooScript), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, script, s.addr).CombinedOutput()
	if err != nil || !strings.HasSuffix(string(out), "OK\n") {
		t.Fatalf("kazoo: %v\n%s", err, out)
	}
}

const zkCli = "/usr/share/zookeeper/bin/zkCli.sh"

func runZkCli(t *testing.T, addr string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, zkCli, append([]string{"-server", addr}, args...)...)
	cmd.Env = append(os.Environ(), "ZOO_LOG_DIR="+t.TempDir(), "ZOO_LOG4J_PROP=WARN,CONSOLE")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("zkCli %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func TestZkCli(t *testing.T) {
	if _, err := os.Stat(zkCli); err != nil {
		t.Skipf("Debian's zkCli.sh is missing (%s): apt-get install -y zookeeper", zkCli)
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java is missing: zkCli.sh needs it")
	}
	s := startServer(t, zkConfig(t))
	if out := runZkCli(t, s.addr, "ls", "/"); !strings.Contains(out, "[zookeeper]") {
		t.Fatalf("ls /: %s", out)
	}
	runZkCli(t, s.addr, "create", "/cli", "hello")
	if out := runZkCli(t, s.addr, "get", "/cli"); !strings.Contains(out, "hello") {
		t.Fatalf("get: %s", out)
	}
	out := runZkCli(t, s.addr, "stat", "/cli")
	if !strings.Contains(out, "dataLength = 5") || !strings.Contains(out, "numChildren = 0") {
		t.Fatalf("stat: %s", out)
	}
	// zkCli exits without closing its session (as with Apache ZooKeeper):
	// the ephemeral stays until the session expires.
	runZkCli(t, s.addr, "create", "-e", "/cli/e", "")
	if out := runZkCli(t, s.addr, "ls", "/cli"); !strings.Contains(out, "[e]") {
		t.Fatalf("ls /cli: %s", out)
	}
	if out := runZkCli(t, s.addr, "getAllChildrenNumber", "/"); !strings.Contains(out, "4") {
		t.Fatalf("getAllChildrenNumber: %s", out)
	}
	if out := runZkCli(t, s.addr, "whoami"); !strings.Contains(out, "ip: 127.0.0.1") {
		t.Fatalf("whoami: %s", out)
	}
	runZkCli(t, s.addr, "deleteall", "/cli")
	if out := runZkCli(t, s.addr, "ls", "/"); !strings.Contains(out, "[zookeeper]") || strings.Contains(out, "cli") {
		t.Fatalf("after deleteall: %s", out)
	}
}
