package cluster

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestValidateTopicName(t *testing.T) {
	long := strings.Repeat("a", 250)
	tests := []struct {
		name, want string
	}{
		{"test", ""},
		{"a.b_c-D9", ""},
		{strings.Repeat("a", 249), ""},
		{"", "Topic name is illegal, it can't be empty"},
		{".", `Topic name cannot be "." or ".."`},
		{"..", `Topic name cannot be "." or ".."`},
		{"...", ""},
		{long, "Topic name is illegal, it can't be longer than 249 characters, topic name: " + long},
		{"a b", `Topic name "a b" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`},
		{"é", `Topic name "é" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`},
		{"a/b", `Topic name "a/b" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`},
		// length counts UTF-16 units and is checked before the characters
		{strings.Repeat("😀", 125), "Topic name is illegal, it can't be longer than 249 characters, topic name: " + strings.Repeat("😀", 125)},
		{strings.Repeat("é", 249), `Topic name "` + strings.Repeat("é", 249) + `" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`},
	}
	for _, tt := range tests {
		err := ValidateTopicName(tt.name)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.name, err)
			}
			continue
		}
		msg, ok := KafkaMessage(err)
		if !ok || msg != tt.want {
			t.Errorf("%q: got %q want %q", tt.name, msg, tt.want)
		}
		if !errors.Is(err, ErrInvalidTopic) {
			t.Errorf("%q: not ErrInvalidTopic: %v", tt.name, err)
		}
		if !strings.HasPrefix(err.Error(), "cluster: invalid topic: ") {
			t.Errorf("%q: Error() = %q", tt.name, err.Error())
		}
	}
}

func TestCollisions(t *testing.T) {
	if !HasCollisionChars("a.b") || !HasCollisionChars("a_b") || HasCollisionChars("a-b") {
		t.Error("HasCollisionChars")
	}
	if UnifyCollisionChars("a.b_c") != "a_b_c" {
		t.Error("UnifyCollisionChars")
	}
	if !HasCollision("a.b", "a_b") || HasCollision("a.b", "a-b") || !HasCollision("x", "x") {
		t.Error("HasCollision")
	}
	got := CollidingTopics("a_b.c", []string{"a.b.c", "a_b.c", "a_b_c", "zz", "a-b-c"})
	if strings.Join(got, ",") != "a.b.c,a_b_c" {
		t.Errorf("CollidingTopics = %v", got)
	}
	msg, _ := KafkaMessage(CollisionError("a_b", []string{"a.b"}))
	if msg != "Topic 'a_b' collides with existing topics: a.b" {
		t.Errorf("collision message %q", msg)
	}
	msg, _ = KafkaMessage(CollisionError("a_b", []string{"a.b", "a_b"}))
	if msg != "Topic 'a_b' collides with existing topics: a.b, a_b" {
		t.Errorf("collision message %q", msg)
	}
}

func TestInternalTopics(t *testing.T) {
	for _, n := range InternalTopics() {
		if !IsInternalTopic(n) {
			t.Errorf("%s not internal", n)
		}
	}
	if IsInternalTopic("__consumer_offsets2") || IsInternalTopic("test") {
		t.Error("false positive")
	}
	if strings.Join(InternalTopics(), ",") != "__consumer_offsets,__transaction_state" {
		t.Error(InternalTopics())
	}
}

func TestUuid(t *testing.T) {
	u := UuidFromBits(1, 2)
	if u.String() != "AAAAAAAAAAEAAAAAAAAAAg" || len(u.String()) != 22 {
		t.Errorf("String = %s", u)
	}
	if !(Uuid{}).IsZero() || u.IsZero() {
		t.Error("IsZero")
	}
	// Random: version 4 / variant bits set from the reader's bytes.
	src := bytes.Repeat([]byte{0xff}, 16)
	r, err := RandomUuid(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if r[6]>>4 != 4 || r[8]>>6 != 2 {
		t.Errorf("version/variant bits: %x", r)
	}
	if r.String() != "________T_-__________w" {
		t.Errorf("random uuid = %s", r)
	}
	// All-zero input gives a version-4 id, never the zero id.
	z, err := RandomUuid(bytes.NewReader(make([]byte, 16)))
	if err != nil || z.IsZero() || z == sentinelUuid() {
		t.Errorf("zero input: %v %v", z, err)
	}
	// A short reader is an error.
	if _, err := RandomUuid(bytes.NewReader(make([]byte, 3))); err == nil {
		t.Error("short reader: no error")
	}
	for _, bad := range []string{"", "A", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAA!A", "AAAAAAAAAAAAAAAAAAAAAé"} {
		if _, err := ParseUuid(bad); !errors.Is(err, ErrInvalidUUID) {
			t.Errorf("ParseUuid(%q) = %v", bad, err)
		}
	}
	msg, _ := KafkaMessage(func() error { _, err := ParseUuid("AAAAAAAAAAAAAAAAAAAAA!"); return err }())
	if msg != "Illegal base64 character 21" {
		t.Errorf("message %q", msg)
	}
}
