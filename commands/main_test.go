package commands

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kafkago/kafka/completions"
)

// run runs Main with buffers and returns stdout, stderr and the exit code.
func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return out.String(), errb.String(), code
}

func TestAppletName(t *testing.T) {
	for _, tc := range []struct{ argv0, want string }{
		{"kafka-topics", "kafka-topics"},
		{"kafka-topics.sh", "kafka-topics"},
		{"/opt/kafka/bin/kafka-topics.sh", "kafka-topics"},
		{`C:\kafka\bin\windows\kafka-topics.bat`, "kafka-topics"},
		{"kafka-topics.exe", "kafka-topics"},
		{"KAFKA-TOPICS.BAT", "KAFKA-TOPICS"},
		{"./bin/kafka", "kafka"},
		{"kafka.exe", "kafka"},
	} {
		if got := appletName(tc.argv0); got != tc.want {
			t.Errorf("appletName(%q) = %q, want %q", tc.argv0, got, tc.want)
		}
	}
}

func TestDispatchByEveryName(t *testing.T) {
	want := versionLine() + "\n"
	for _, name := range AppletNames() {
		for _, args := range [][]string{
			{name, "--version"},
			{name + ".sh", "--version"},
			{"/usr/local/bin/" + name + ".bat", "--version"},
			{name + ".exe", "--version"},
			{"kafka", name, "--version"},
			{"kafka", name + ".sh", "--version"},
		} {
			out, errs, code := run(t, "", args...)
			if code != 0 || out != want {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 0 and %q", args, code, out, errs, want)
			}
		}
	}
}

func TestKafkaTopLevel(t *testing.T) {
	out, _, code := run(t, "", "kafka", "--version")
	if code != 0 || !strings.HasPrefix(out, "kafka version "+Version+" (Kafka 2.8.2 compatible") {
		t.Errorf("kafka --version: exit %d, %q", code, out)
	}
	out, _, code = run(t, "", "kafka", "help")
	if code != 0 {
		t.Errorf("kafka help: exit %d", code)
	}
	for _, n := range AppletNames() {
		if !strings.Contains(out, "  "+n+" ") {
			t.Errorf("kafka help does not list %s:\n%s", n, out)
		}
	}
	if strings.Contains(out, "completion") {
		t.Errorf("kafka help lists the hidden completion applet:\n%s", out)
	}
	out, errs, code := run(t, "", "kafka", "kafka-nope")
	if code == 0 || out != "" || !strings.Contains(errs, `unknown applet "kafka-nope"`) {
		t.Errorf("unknown applet: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, n := range AppletNames() {
		if !strings.Contains(errs, n) {
			t.Errorf("unknown-applet error does not list %s", n)
		}
	}
	_, errs, code = run(t, "", "kafka")
	if code == 0 || !strings.Contains(errs, "Applets:") {
		t.Errorf("bare kafka: exit %d, stderr %q", code, errs)
	}
	out, _, code = run(t, "", "kafka", "applets")
	if code != 0 || out != strings.Join(AppletNames(), "\n")+"\n" {
		t.Errorf("kafka applets: exit %d, %q", code, out)
	}
}

// TestCompletionsFresh fails when completions/ is stale: run `make completions`.
func TestCompletionsFresh(t *testing.T) {
	for _, sh := range completions.Shells() {
		out, errs, code := run(t, "", "kafka", "completion", sh)
		if code != 0 {
			t.Fatalf("completion %s: exit %d: %s", sh, code, errs)
		}
		for _, n := range AppletNames() {
			if !strings.Contains(out, n+".sh") {
				t.Errorf("%s completion does not cover %s.sh", sh, n)
			}
		}
		path := filepath.Join("..", "completions", completions.FileName(sh))
		checked, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(checked) != out {
			t.Errorf("%s is stale: run `make completions`", path)
		}
	}
	if _, _, code := run(t, "", "kafka", "completion", "tcsh"); code == 0 {
		t.Error("completion tcsh: want a non-zero exit")
	}
}

// TestGoreleaserListsEveryApplet keeps the nfpm symlinks in step with the table.
func TestGoreleaserListsEveryApplet(t *testing.T) {
	y, err := os.ReadFile(filepath.Join("..", "goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range AppletNames() {
		for _, dst := range []string{"/usr/bin/" + n, "/usr/bin/" + n + ".sh", "/usr/share/bash-completion/completions/" + n} {
			if !strings.Contains(string(y), "dst: "+dst+"\n") {
				t.Errorf("goreleaser.yaml has no symlink %s", dst)
			}
		}
	}
}

// TestBinaryNames builds the real binary and runs it under every name.
func TestBinaryNames(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: building the binary is skipped")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "kafka")
	build := exec.Command("go", "build", "-o", bin, "../cmd/kafka")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	want := versionLine() + "\n"
	for _, n := range AppletNames() {
		for _, alias := range []string{n, n + ".sh", n + ".bat"} {
			link := filepath.Join(dir, alias)
			if err := os.Symlink(bin, link); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(link, "--version").Output()
			if err != nil || string(out) != want {
				t.Errorf("%s --version: %v, %q", alias, err, out)
			}
		}
		out, err := exec.Command(bin, n, "--version").Output()
		if err != nil || string(out) != want {
			t.Errorf("kafka %s --version: %v, %q", n, err, out)
		}
	}
	if runtime.GOOS != "windows" {
		out, err := exec.Command(bin, "nope").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "unknown applet") {
			t.Errorf("kafka nope: %v, %q", err, out)
		}
	}
}
