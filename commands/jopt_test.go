package commands

import (
	"errors"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func testOptions() options {
	return append(options{
		{name: "topic", desc: "The topic.", arg: requiredArg, argDesc: "topic"},
		{name: "partitions", desc: "Partitions.", arg: requiredArg, typ: "Integer", argDesc: "# of partitions"},
		{name: "config", desc: "A config.", arg: requiredArg, argDesc: "name=value"},
		{name: "compression-codec", desc: "Codec.", arg: optionalArg, argDesc: "compression-codec"},
		{name: "sync", desc: "Sync."},
		{name: "bootstrap-server", desc: "Servers.", arg: requiredArg, required: true, unless: []string{"broker-list"}},
		{name: "broker-list", desc: "Brokers.", arg: requiredArg},
	}, defaultOptions()...)
}

func TestJoptParse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		values  map[string][]string
		present []string
		non     []string
		err     string
	}{
		{name: "space and equals", args: []string{"--broker-list", "b:1", "--topic=t", "--config", "a=b", "--config=c=d"},
			values: map[string][]string{"broker-list": {"b:1"}, "topic": {"t"}, "config": {"a=b", "c=d"}}},
		{name: "single dash whole word", args: []string{"-topic", "t", "-bootstrap-server", "x:1"},
			values: map[string][]string{"topic": {"t"}, "bootstrap-server": {"x:1"}}},
		{name: "required argument takes an option-looking word", args: []string{"--bootstrap-server", "x:1", "--topic", "--sync"},
			values: map[string][]string{"topic": {"--sync"}, "bootstrap-server": {"x:1"}}},
		{name: "optional argument absent", args: []string{"--broker-list", "b:1", "--compression-codec", "--sync"},
			values: map[string][]string{"broker-list": {"b:1"}}, present: []string{"compression-codec", "sync"}},
		{name: "optional argument present", args: []string{"--broker-list", "b:1", "--compression-codec", "lz4"},
			values: map[string][]string{"broker-list": {"b:1"}, "compression-codec": {"lz4"}}},
		{name: "positional words kept aside", args: []string{"word", "--broker-list", "b:1", "other", "--", "--topic"},
			values: map[string][]string{"broker-list": {"b:1"}}, non: []string{"word", "other", "--topic"}},
		{name: "unknown long", args: []string{"--boot", "x"}, err: "boot is not a recognized option"},
		{name: "unknown long with value", args: []string{"--nope=1"}, err: "nope is not a recognized option"},
		{name: "short cluster", args: []string{"-xyz"}, err: "x is not a recognized option"},
		{name: "missing argument", args: []string{"--broker-list", "b:1", "--topic"}, err: "Option topic requires an argument"},
		{name: "missing required", args: []string{"--topic", "t"}, err: "Missing required option(s) [bootstrap-server]"},
		{name: "help suppresses required", args: []string{"--help"}, present: []string{"help"}},
		{name: "version suppresses required", args: []string{"--version"}, present: []string{"version"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := testOptions().parse(tc.args)
			if tc.err != "" {
				var je *joptError
				if !errors.As(err, &je) || je.msg != tc.err {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.values == nil {
				tc.values = map[string][]string{}
			}
			if !reflect.DeepEqual(p.values, tc.values) {
				t.Errorf("values = %v, want %v", p.values, tc.values)
			}
			for _, n := range tc.present {
				if !p.has(n) {
					t.Errorf("%s not present", n)
				}
			}
			if !reflect.DeepEqual(p.nonOptions, tc.non) {
				t.Errorf("nonOptions = %q, want %q", p.nonOptions, tc.non)
			}
		})
	}
}

func TestJoptValues(t *testing.T) {
	o := testOptions()
	o[0].deflt = []string{"dflt"}
	p, err := o.parse([]string{"--broker-list", "b:1", "--partitions", "x", "--config", "a", "--config", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, err := p.valueOf("topic"); v != "dflt" || !ok || err != nil {
		t.Errorf("default: %q %v %v", v, ok, err)
	}
	if _, _, err := p.intOf("partitions"); err == nil || err.Error() != "Cannot parse argument 'x' of option partitions" {
		t.Errorf("intOf: %v", err)
	}
	if _, _, err := p.valueOf("config"); err == nil || err.Error() != "Found multiple arguments for option config, but you asked for only one" {
		t.Errorf("multiple: %v", err)
	}
	if got := p.valuesOf("config"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("valuesOf = %q", got)
	}
	if _, ok, err := p.intOf("nope"); ok || err != nil {
		t.Errorf("absent int: %v %v", ok, err)
	}
	p, _ = o.parse([]string{"--broker-list", "b:1", "--partitions", "2147483647"})
	if n, ok, err := p.intOf("partitions"); n != 2147483647 || !ok || err != nil {
		t.Errorf("max int: %d %v %v", n, ok, err)
	}
	p, _ = o.parse([]string{"--broker-list", "b:1", "--partitions", "2147483648"})
	if _, _, err := p.intOf("partitions"); err == nil {
		t.Error("int overflow accepted")
	}
}

func TestJoptHelpLayout(t *testing.T) {
	got := options{
		{name: "topic", desc: "The topic to be create, alter or describe. Can also accept a regular expression except for --create option. Put topic name in double quotes and use the '\\' prefix to escape regular expression symbols; e.g. \"test\\.topic\".", arg: requiredArg, argDesc: "topic"},
		{name: "partitions", desc: "The number of partitions.", arg: requiredArg, typ: "Integer", argDesc: "# of partitions"},
		{name: "compression-codec", desc: "Codec.", arg: optionalArg, argDesc: "compression-codec", deflt: []string{"gzip"}},
		{name: "bootstrap-server", desc: "REQUIRED.", arg: requiredArg, argDesc: "server to connect to", required: true},
	}.help()
	want := "" +
		"Option (* = required)                    Description                            \n" +
		"---------------------                    -----------                            \n" +
		"* --bootstrap-server <String: server     REQUIRED.                              \n" +
		"  to connect to>                                                                \n" +
		"--compression-codec [String:             Codec. (default: gzip)                 \n" +
		"  compression-codec]                                                            \n" +
		"--partitions <Integer: # of partitions>  The number of partitions.              \n" +
		"--topic <String: topic>                  The topic to be create, alter or       \n" +
		"                                           describe. Can also accept a regular  \n" +
		"                                           expression except for --create       \n" +
		"                                           option. Put topic name in double     \n" +
		"                                           quotes and use the '\\' prefix to     \n" +
		"                                           escape regular expression symbols; e.\n" +
		"                                           g. \"test\\.topic\".                    \n"
	// Java's line BreakIterator breaks after "e." (checked against JDK 17).
	if got != want {
		t.Errorf("help layout:\n%s\nwant:\n%s", got, want)
	}
}

// TestCompletionScriptsParse checks the checked-in scripts with each shell's
// own syntax check, where that shell is installed.
func TestCompletionScriptsParse(t *testing.T) {
	for sh, args := range map[string][]string{"bash": {"-n"}, "zsh": {"-n"}, "fish": {"--no-execute"}} {
		path, err := exec.LookPath(sh)
		if err != nil {
			t.Logf("%s not installed: its completion script is not syntax-checked", sh)
			continue
		}
		file := filepath.Join("..", "completions", "kafka."+sh)
		out, err := exec.Command(path, append(args, file)...).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "" {
			t.Errorf("%s %v %s: %v\n%s", sh, args, file, err, out)
		}
	}
}
