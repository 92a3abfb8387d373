package zk

import (
	"errors"
	"slices"
	"testing"
)

// Values printed by ZooKeeper's own DigestAuthenticationProvider.main.
func TestGenerateDigest(t *testing.T) {
	cases := map[string]string{
		"super:admin":  "super:xQJmxLMiHGwaqBvst5y6rkB6HQs=",
		"alice:secret": "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=",
		"user:pa:ss":   "user:eGYxmOtrfaj/35Fq9lW7ol9psVU=",
		"nocolon":      "nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g=",
	}
	for in, want := range cases {
		if got := GenerateDigest(in); got != want {
			t.Errorf("GenerateDigest(%q) = %q, want %q", in, got, want)
		}
	}
	if DigestID("alice", "secret") != cases["alice:secret"] {
		t.Error("DigestID")
	}
}

func TestAuthenticate(t *testing.T) {
	ids, err := Authenticate("digest", []byte("super:admin"), "", "super:xQJmxLMiHGwaqBvst5y6rkB6HQs=")
	if err != nil || !slices.Equal(ids, []Id{{"super", ""}, {"digest", "super:xQJmxLMiHGwaqBvst5y6rkB6HQs="}}) {
		t.Errorf("super digest: %v %v", ids, err)
	}
	ids, _ = Authenticate("digest", []byte("alice:secret"), "", "")
	if !slices.Equal(ids, []Id{{"digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="}}) {
		t.Errorf("digest: %v", ids)
	}
	ids, _ = Authenticate("ip", nil, "127.0.0.1", "")
	if !slices.Equal(ids, []Id{{"ip", "127.0.0.1"}}) {
		t.Errorf("ip: %v", ids)
	}
	if _, err := Authenticate("sasl", nil, "", ""); !errors.Is(err, ErrAuthFailed) {
		t.Errorf("sasl: %v", err)
	}
	// A malformed byte decodes to U+FFFD before hashing, as in Java.
	a, _ := Authenticate("digest", []byte("u:\xff"), "", "")
	b, _ := Authenticate("digest", []byte("u:\uFFFD"), "", "")
	if !slices.Equal(a, b) {
		t.Errorf("malformed input: %v vs %v", a, b)
	}
}

func TestPerms(t *testing.T) {
	if PermString(PermAll) != "cdrwa" || PermString(PermRead|PermAdmin) != "ra" || PermString(0) != "" {
		t.Error("PermString")
	}
	if p, err := ParsePerms("awrdc"); err != nil || p != PermAll {
		t.Errorf("ParsePerms = %d %v", p, err)
	}
	if _, err := ParsePerms("rx"); err == nil {
		t.Error("ParsePerms accepted x")
	}
	if PermAll != 31 || PermRead != 1 || PermWrite != 2 || PermCreate != 4 || PermDelete != 8 || PermAdmin != 16 {
		t.Error("perm bits")
	}
}

func TestProviders(t *testing.T) {
	valid := map[[2]string]bool{
		{"digest", "a:b"}: true, {"digest", ":b"}: true, {"digest", "a:b:"}: true,
		{"digest", "a:"}: false, {"digest", "a"}: false, {"digest", "a:b:c"}: false, {"digest", ""}: false,
		{"digest", "::"}:   false,
		{"ip", "10.0.0.1"}: true, {"ip", "10.0.0.0/8"}: true, {"ip", "10.0.0.0/0"}: true, {"ip", "10.0.0.0/32"}: true,
		{"ip", "+10.0.0.1"}: true, {"ip", "10.0.0.0/33"}: false, {"ip", "10.0.0.0/-1"}: false,
		{"ip", "10.0.0"}: false, {"ip", "10.0.0.256"}: false, {"ip", "::1"}: false, {"ip", "a.b.c.d"}: false,
		{"ip", "10.0.0.1/"}: false, {"ip", "10..0.1"}: false,
		{"world", "anyone"}: false, {"sasl", "x"}: false,
	}
	for k, want := range valid {
		if got := providerValid(k[0], k[1]); got != want {
			t.Errorf("valid(%s:%s) = %v", k[0], k[1], got)
		}
	}
	matches := []struct {
		id, expr string
		want     bool
	}{
		{"10.1.2.3", "10.1.2.3", true},
		{"10.1.2.3", "10.1.2.4", false},
		{"10.1.2.3", "10.0.0.0/8", true},
		{"11.1.2.3", "10.0.0.0/8", false},
		{"10.1.2.3", "10.1.2.0/24", true},
		{"10.1.3.3", "10.1.2.0/23", true},
		{"10.1.4.3", "10.1.2.0/23", false},
		{"1.2.3.4", "9.9.9.9/0", true},
		{"10.1.2.3", "10.1.2.2/31", true},
		{"10.1.2.3", "10.1.2.3/33", false},
		{"not-an-ip", "10.0.0.0/8", false},
	}
	for _, m := range matches {
		if got := providerMatches("ip", m.id, m.expr); got != m.want {
			t.Errorf("ip %s vs %s = %v", m.id, m.expr, got)
		}
	}
}

func TestFixupACL(t *testing.T) {
	alice := Id{"digest", "alice:h"}
	cases := []struct {
		name string
		in   []ACL
		auth []Id
		want []ACL
		err  error
	}{
		{"open", OpenACLUnsafe(), nil, OpenACLUnsafe(), nil},
		{"empty", nil, nil, nil, ErrInvalidACL},
		{"creator no auth", CreatorAllACL(), []Id{{"ip", "1.2.3.4"}}, nil, ErrInvalidACL},
		{"creator", CreatorAllACL(), []Id{{"ip", "1.2.3.4"}, alice, {"super", ""}}, []ACL{{PermAll, alice}}, nil},
		{"creator two", CreatorAllACL(), []Id{alice, {"digest", "bob:h"}}, []ACL{{PermAll, alice}, {PermAll, Id{"digest", "bob:h"}}}, nil},
		{"dedupe first", []ACL{{1, AnyoneID()}, {1, AnyoneID()}}, nil, []ACL{{1, AnyoneID()}}, nil},
		{"expansion not deduped", []ACL{{PermAll, Id{"auth", ""}}, {PermAll, alice}}, []Id{alice}, []ACL{{PermAll, alice}, {PermAll, alice}}, nil},
		{"auth id ignored", []ACL{{PermRead, Id{"auth", "whatever"}}}, []Id{alice}, []ACL{{PermRead, alice}}, nil},
		{"world other", []ACL{{1, Id{"world", "x"}}}, nil, nil, ErrInvalidACL},
		{"unknown scheme", []ACL{{1, Id{"x509", "CN=a"}}}, nil, nil, ErrInvalidACL},
		{"empty scheme", []ACL{{1, Id{}}}, nil, nil, ErrInvalidACL},
		{"perms kept as sent", []ACL{{0, AnyoneID()}, {99, AnyoneID()}}, nil, []ACL{{0, AnyoneID()}, {99, AnyoneID()}}, nil},
	}
	for _, c := range cases {
		got, err := FixupACL(c.in, c.auth)
		if !errors.Is(err, c.err) || (c.err == nil && err != nil) || !slices.Equal(got, c.want) {
			t.Errorf("%s: FixupACL = %v, %v; want %v, %v", c.name, got, err, c.want, c.err)
		}
	}
}

func TestCheckACL(t *testing.T) {
	alice := Id{"digest", "alice:h"}
	acl := []ACL{{PermRead, AnyoneID()}, {PermAll, alice}, {PermWrite, Id{"ip", "10.0.0.0/8"}}}
	cases := []struct {
		perm  int32
		auth  []Id
		super bool
		ok    bool
	}{
		{PermRead, nil, false, true},
		{PermWrite, nil, false, false},
		{PermWrite, []Id{{"ip", "10.9.9.9"}}, false, true},
		{PermWrite, []Id{{"ip", "11.9.9.9"}}, false, false},
		{PermAdmin, []Id{{"ip", "10.9.9.9"}}, false, false},
		{PermAdmin, []Id{alice}, false, true},
		{PermAdmin, []Id{{"digest", "alice:other"}}, false, false},
		{PermAdmin, []Id{{"super", ""}}, false, true},
		{PermAdmin, nil, true, true},
		{PermRead | PermAdmin, nil, false, true}, // either bit
	}
	for i, c := range cases {
		err := CheckACL(acl, c.perm, c.auth, c.super)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrNoAuth)) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	if CheckACL(nil, PermAll, nil, false) != nil {
		t.Error("empty ACL must allow")
	}
	// An ACL entry of an unregistered scheme never matches.
	if CheckACL([]ACL{{PermAll, Id{"sasl", "bob"}}}, PermRead, []Id{{"sasl", "bob"}}, false) == nil {
		t.Error("sasl matched without a provider")
	}
}

func TestACLCache(t *testing.T) {
	c := aclCache{m: map[string]*aclEntry{}}
	a := c.intern(OpenACLUnsafe())
	b := c.intern(OpenACLUnsafe())
	if a != b || a.refs != 2 || len(c.m) != 1 {
		t.Fatalf("intern: %p %p %d", a, b, a.refs)
	}
	// Lists whose fields would collide under naive joining stay apart.
	x := c.intern([]ACL{{1, Id{"ab", "c"}}})
	y := c.intern([]ACL{{1, Id{"a", "bc"}}})
	if x == y {
		t.Error("collision")
	}
	c.release(a)
	c.release(b)
	if len(c.m) != 2 {
		t.Errorf("after release: %d entries", len(c.m))
	}
}
