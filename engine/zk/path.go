package zk

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The special znodes every ZooKeeper 3.8 tree has. They cannot be deleted
// (DataTree.isSpecialPath).
const (
	rootPath   = "/"
	procPath   = "/zookeeper"
	quotaPath  = "/zookeeper/quota"
	configPath = "/zookeeper/config"
)

// ValidatePath applies ZooKeeper's PathUtils.validatePath: non-empty, starts
// with "/", "/" alone or no trailing "/", no empty, "." or ".." component, no
// NUL and none of U+0001–U+001F, U+007F–U+009F, U+D800–U+F8FF, U+FFF0–U+FFFF.
// Java checks UTF-16 units, so every rune above U+FFFF (a surrogate pair) is
// rejected too, as is an invalid UTF-8 byte (Java decodes it to U+FFFD). The
// error wraps ErrBadArguments with Java's reason text.
func ValidatePath(path string) error {
	reason := pathProblem(path)
	if reason == "" {
		return nil
	}
	return fmt.Errorf("%w: invalid path string %q caused by %s", ErrBadArguments, path, reason)
}

func pathProblem(path string) string {
	switch {
	case path == "":
		return "path length must be > 0"
	case path[0] != '/':
		return "path must start with / character"
	case len(path) == 1:
		return ""
	case path[len(path)-1] == '/':
		return "path must not end with / character"
	}
	// Java walks UTF-16 units; index i below counts them for the message.
	prev := '/'
	unit := 0
	for off := 1; off < len(path); {
		c, size := utf8.DecodeRuneInString(path[off:])
		unit++
		if c == utf8.RuneError && size <= 1 {
			c = 0xFFFD // what Java's decoder makes of a bad byte
		}
		next := byte(0)
		last := off+size == len(path)
		if !last {
			next = path[off+size]
		}
		switch {
		case c == 0:
			return fmt.Sprintf("null character not allowed @%d", unit)
		case c == '/' && prev == '/':
			return fmt.Sprintf("empty node name specified @%d", unit)
		case c == '.' && prev == '.':
			if path[off-2] == '/' && (last || next == '/') {
				return fmt.Sprintf("relative paths not allowed @%d", unit)
			}
		case c == '.':
			if path[off-1] == '/' && (last || next == '/') {
				return fmt.Sprintf("relative paths not allowed @%d", unit)
			}
		case c > 0 && c <= 0x1f,
			c >= 0x7f && c <= 0x9f,
			c >= 0xd800 && c <= 0xf8ff,
			c >= 0xfff0:
			// c > 0xFFFF is a surrogate pair in Java: its first unit
			// (U+D800–U+DBFF) is rejected.
			return fmt.Sprintf("invalid character @%d", unit)
		}
		prev = c
		off += size
	}
	return ""
}

// splitParent returns path's parent as ZooKeeper computes it
// (path.substring(0, lastIndexOf('/'))): "" for a child of the root (the
// root's alias), and ok=false when path has no "/".
func splitParent(path string) (parent, child string, ok bool) {
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		return "", "", false
	}
	return path[:i], path[i+1:], true
}

// sequentialPath appends ZooKeeper's sequence suffix, String.format("%010d",
// n): ten digits, zero padded, a leading '-' for a negative counter.
func sequentialPath(path string, n int32) string {
	return fmt.Sprintf("%s%010d", path, n)
}

// isSpecialPath reports the znodes ZooKeeper refuses to delete.
func isSpecialPath(path string) bool {
	return path == rootPath || path == procPath || path == quotaPath || path == configPath
}

// displayParent maps the root alias "" to "/", as DataTree does for the child
// watch it triggers on the root.
func displayParent(parent string) string {
	if parent == "" {
		return rootPath
	}
	return parent
}
