package config

import (
	"io/fs"
	"strings"
	"testing"
)

// TestDistFiles loads every embedded config file through its registry:
// no errors and no unknown keys.
func TestDistFiles(t *testing.T) {
	names, err := fs.Glob(DistFiles, "dist/*.properties")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"consumer", "log4j", "producer", "server", "tools-log4j", "zookeeper"}
	if len(names) != len(want) {
		t.Fatalf("embedded %v, want %v", names, want)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			layer, err := ReadLayerFS(DistFiles, name)
			if err != nil {
				t.Fatal(err)
			}
			if len(layer.Entries) == 0 {
				t.Fatal("no entries")
			}
			var warns []Warning
			switch strings.TrimSuffix(strings.TrimPrefix(name, "dist/"), ".properties") {
			case "server":
				_, warns, err = BrokerRegistry().Build(layer)
			case "zookeeper":
				_, warns, err = ZooKeeperRegistry().Build(layer)
			case "producer":
				_, warns, err = ProducerRegistry().Build(layer)
			case "consumer":
				_, warns, err = ConsumerRegistry().Build(layer)
			case "log4j", "tools-log4j":
				// log4j files have no registry: they only need to parse.
				for _, e := range layer.Entries {
					if !strings.HasPrefix(e.Key, "log4j.") {
						t.Errorf("line %d: unexpected key %q", e.Line, e.Key)
					}
				}
			default:
				t.Fatalf("no check for %s", name)
			}
			if err != nil {
				t.Errorf("errors: %v", err)
			}
			if len(warns) != 0 {
				t.Errorf("warnings: %v", warns)
			}
		})
	}
}

func TestDistToolsLog4j(t *testing.T) {
	layer, err := ReadLayerFS(DistFiles, "dist/tools-log4j.properties")
	if err != nil {
		t.Fatal(err)
	}
	m := PropertiesMap(layer.Entries)
	if m["log4j.rootLogger"] != "WARN, stderr" || m["log4j.appender.stderr.Target"] != "System.err" ||
		m["log4j.appender.stderr.layout.ConversionPattern"] != "[%d] %p %m (%c)%n" {
		t.Errorf("%v", m)
	}
}
