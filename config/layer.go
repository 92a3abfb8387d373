package config

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// Layer is one source of entries applied over a registry's defaults: a file,
// or the k=v arguments of one command-line flag. Name is how messages place
// its entries ("server.properties:12", "--override:2").
type Layer struct {
	Name    string
	Entries []Entry
	file    bool
}

// IsTOML reports whether a file name is read as TOML (its extension is .toml,
// in any case); every other file is read as .properties.
func IsTOML(name string) bool {
	return strings.EqualFold(path.Ext(name), ".toml")
}

// ReadLayer reads a .properties or .toml file. A file that cannot be read
// gives an error wrapping the os error (fs.ErrNotExist when missing), with
// the path in its text. Syntax errors come back as Errors placed at
// path:line, together with a layer holding the entries that could be read.
func ReadLayer(path string) (Layer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Layer{Name: path, file: true}, fmt.Errorf("config: %w", err)
	}
	return ParseLayer(path, data)
}

// ReadLayerFS is ReadLayer on a file system (e.g. DistFiles).
func ReadLayerFS(fsys fs.FS, name string) (Layer, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Layer{Name: name, file: true}, fmt.Errorf("config: %w", err)
	}
	return ParseLayer(name, data)
}

// ParseLayer reads file content, as TOML when IsTOML(name), else as
// .properties. Syntax errors are placed at name:line.
func ParseLayer(name string, data []byte) (Layer, error) {
	var (
		entries []Entry
		err     error
	)
	if IsTOML(name) {
		entries, err = ParseTOML(bytes.NewReader(data))
	} else {
		entries, err = ParseProperties(bytes.NewReader(data))
	}
	l := Layer{Name: name, Entries: entries, file: true}
	if es, ok := err.(Errors); ok {
		for _, e := range es {
			e.File = name
		}
	}
	return l, err
}

// ArgsLayer reads k=v command-line arguments (ParseKeyValueArgs). name is
// the flag they came from, e.g. "--override" or "--producer-property"; an
// entry's Line is its argument's 1-based position among them.
func ArgsLayer(name string, args []string) Layer {
	return Layer{Name: name, Entries: ParseKeyValueArgs(args)}
}

// MapLayer turns a map into a layer, keys in sorted order, all at line 0.
func MapLayer(name string, m map[string]string) Layer {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	l := Layer{Name: name, Entries: make([]Entry, 0, len(keys))}
	for _, k := range keys {
		l.Entries = append(l.Entries, Entry{Key: k, Value: m[k]})
	}
	return l
}

// EntriesLayer wraps entries read elsewhere; file tells whether name is a
// file (messages about keys that were not set are placed at the last file).
func EntriesLayer(name string, entries []Entry, file bool) Layer {
	return Layer{Name: name, Entries: slices.Clone(entries), file: file}
}
