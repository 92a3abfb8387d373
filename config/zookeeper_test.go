package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestLoadZooKeeperDist(t *testing.T) {
	data, err := DistFiles.ReadFile("dist/zookeeper.properties")
	if err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, "zookeeper.properties", string(data))
	z, w, err := LoadZooKeeper(p, nil)
	if err != nil || len(w) != 0 {
		t.Fatalf("err %v warnings %v", err, w)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"dataDir", z.DataDir, "/tmp/zookeeper"},
		{"dataLogDir", z.DataLogDir, "/tmp/zookeeper"},
		{"clientPort", z.ClientPort, 2181},
		{"maxClientCnxns", z.MaxClientCnxns, 0},
		{"admin.enableServer", z.AdminEnableServer, false},
		{"admin.serverPort", z.AdminServerPort, 8080},
		{"tickTime", z.TickTime, 3000},
		{"minSessionTimeout", z.MinSessionTimeout, 6000},
		{"maxSessionTimeout", z.MaxSessionTimeout, 60000},
		{"snapCount", z.SnapCount, 100000},
		{"preAllocSize", z.PreAllocSizeKB, int64(65536)},
		{"autopurge.snapRetainCount", z.SnapRetainCount, 3},
		{"autopurge.purgeInterval", z.PurgeInterval, 0},
		{"forceSync", z.ForceSync, true},
		{"4lw", z.FourLetterWords(), []string{"srvr"}},
		{"globalOutstandingLimit", z.GlobalOutstandingLimit, 1000},
		{"standalone", z.Distributed(), false},
		{"servers", len(z.Servers()), 0},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if !z.FourLetterWordAllowed("srvr") || z.FourLetterWordAllowed("ruok") {
		t.Error("4lw defaults")
	}
}

func TestZooKeeperSettings(t *testing.T) {
	z, w, err := LoadZooKeeper("", []string{
		"dataDir=/d", "dataLogDir=/l", "tickTime=2000", "minSessionTimeout=1000", "clientPortAddress=127.0.0.1", "clientPort=2182",
		"4lw.commands.whitelist=ruok, stat", "forceSync=no", "skipACL=yes",
		"DigestAuthenticationProvider.superDigest=super:abc=", "autopurge.snapRetainCount=1", "admin.enableServer=true",
	})
	if err != nil {
		t.Fatal(err)
	}
	if z.DataLogDir != "/l" || z.MinSessionTimeout != 1000 || z.MaxSessionTimeout != 40000 || z.ClientPortAddress != "127.0.0.1" ||
		z.ForceSync || !z.SkipACL || z.SuperDigest != "super:abc=" || z.SnapRetainCount != 3 || !z.AdminEnableServer {
		t.Errorf("%+v", z)
	}
	if !z.FourLetterWordAllowed("ruok") || !z.FourLetterWordAllowed("stat") || !z.FourLetterWordAllowed("srvr") || z.FourLetterWordAllowed("mntr") {
		t.Error("4lw whitelist")
	}
	if len(w) != 1 || w[0].String() != "--override:11: autopurge.snapRetainCount: Invalid autopurge.snapRetainCount: 1. Defaulting to 3" {
		t.Errorf("warnings %v", w)
	}
	z, _, err = LoadZooKeeper("", []string{"dataDir=/d", "zookeeper.DigestAuthenticationProvider.superDigest=super:x", "4lw.commands.whitelist=*"})
	if err != nil || z.SuperDigest != "super:x" || !z.FourLetterWordAllowed("mntr") {
		t.Errorf("alias/star: %v %+v", err, z)
	}
}

func TestZooKeeperQuorum(t *testing.T) {
	z, _, err := LoadZooKeeper("", []string{
		"dataDir=/d", "initLimit=5", "syncLimit=2",
		"server.3=zk3:2888:3888:observer", "server.1=zk1:2888:3888", "server.2=[::1]:2888:3888;127.0.0.1:2181",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []QuorumServer{
		{ID: 1, Host: "zk1", QuorumPort: 2888, ElectionPort: 3888, Type: "participant"},
		{ID: 2, Host: "::1", QuorumPort: 2888, ElectionPort: 3888, Type: "participant", ClientHost: "127.0.0.1", ClientPort: 2181},
		{ID: 3, Host: "zk3", QuorumPort: 2888, ElectionPort: 3888, Type: "observer"},
	}
	if !reflect.DeepEqual(z.Servers(), want) || !z.Distributed() {
		t.Errorf("servers %+v", z.Servers())
	}
	if v, ok := z.Get("server.2"); !ok || v.Text() != "[::1]:2888:3888;127.0.0.1:2181" {
		t.Errorf("Get(server.2) = %v %v", v, ok)
	}
}

func TestZooKeeperErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "dataDir: dataDir is not set"},
		{[]string{"dataDir=/d", "tickTime=0"}, "--override:2: tickTime: tickTime is not set"},
		{[]string{"dataDir=/d", "tickTime=abc"}, "--override:2: tickTime: Invalid value abc for configuration tickTime: Not a number of type INT"},
		{[]string{"dataDir=/d", "clientPortAddress=0.0.0.0"}, "--override:2: clientPortAddress: clientPortAddress is set but clientPort is not set"},
		{[]string{"dataDir=/d", "minSessionTimeout=9", "maxSessionTimeout=8"}, "--override:2: minSessionTimeout: minSessionTimeout must not be larger than maxSessionTimeout"},
		{[]string{"dataDir=/d", "peerType=boss"}, "--override:2: peerType: Unrecognised peertype: boss"},
		{[]string{"dataDir=/d", "server.1=a:1:2", "server.2=b:1:2"}, "initLimit: initLimit is not set\nsyncLimit: syncLimit is not set"},
		{[]string{"dataDir=/d", "server.1=a:1"}, "--override:2: server.1: a:1 does not have the form server_config or server_config;client_config where server_config is host:port:port or host:port:port:type and client_config is port or host:port"},
		{[]string{"dataDir=/d", "server.1=a:1:1"}, "--override:2: server.1: Client and election port must be different! Please update the configuration file on server.1"},
		{[]string{"dataDir=/d", "server.1=a:x:2"}, "--override:2: server.1: Address unresolved: a:x"},
		{[]string{"dataDir=/d", "server.1=a:1:2:boss"}, "--override:2: server.1: Unrecognised peertype: boss"},
		{[]string{"dataDir=/d", "server.x=a:1:2"}, "--override:2: server.x: For input string: \"x\""},
		{[]string{"dataDir=/d", "admin.enableServer=yes"}, "--override:2: admin.enableServer: Invalid value yes for configuration admin.enableServer: Expected value to be either true or false"},
		{[]string{"dataDir=/d", "standaloneEnabled=false"}, "--override:2: standaloneEnabled: standaloneEnabled = false then number of participants should be >0"},
		{[]string{"dataDir=/d", "quorum.auth.serverRequireSasl=true"}, "--override:2: quorum.auth.serverRequireSasl: quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.serverRequireSasl\n" +
			"--override:2: quorum.auth.serverRequireSasl: quorum.auth.learnerRequireSasl is disabled, so cannot enable quorum.auth.serverRequireSasl"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, _, err := LoadZooKeeper("", tt.args)
			if tt.args == nil {
				_, _, err = ZooKeeperRegistry().Build()
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant  %s", err, tt.want)
			}
		})
	}
	_, _, err := ZooKeeperRegistry().Build()
	if !errors.Is(err, ErrMissing) {
		t.Error("dataDir missing is not ErrMissing")
	}
}

func TestZooKeeperUnknownKeyWarns(t *testing.T) {
	_, w, err := LoadZooKeeper("", []string{"dataDir=/d", "tickTim=1"})
	if err != nil || len(w) != 1 || w[0].Key != "tickTim" {
		t.Errorf("err %v warnings %v", err, w)
	}
}
