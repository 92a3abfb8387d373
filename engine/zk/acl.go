package zk

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Permission bits of an ACL entry (ZooDefs.Perms).
const (
	PermRead   int32 = 1 << 0
	PermWrite  int32 = 1 << 1
	PermCreate int32 = 1 << 2
	PermDelete int32 = 1 << 3
	PermAdmin  int32 = 1 << 4
	PermAll    int32 = PermRead | PermWrite | PermCreate | PermDelete | PermAdmin
)

// Authentication schemes a default ZooKeeper 3.8 server knows. Only "ip" and
// "digest" have a provider (ProviderRegistry); "world" is matched literally,
// "auth" is expanded by FixupACL, and "super" is an id a connection holds,
// never a valid ACL scheme.
const (
	SchemeWorld  = "world"
	SchemeAuth   = "auth"
	SchemeDigest = "digest"
	SchemeIP     = "ip"
	SchemeSuper  = "super"
)

// Id is an authenticated identity or the subject of an ACL entry (jute Id).
type Id struct {
	Scheme string
	ID     string
}

// ACL is one access-control entry (jute ACL).
type ACL struct {
	Perms int32
	Id    Id
}

// AnyoneID is world:anyone.
func AnyoneID() Id { return Id{SchemeWorld, "anyone"} }

// OpenACLUnsafe is ZooDefs.Ids.OPEN_ACL_UNSAFE: world:anyone with every
// permission.
func OpenACLUnsafe() []ACL { return []ACL{{PermAll, AnyoneID()}} }

// CreatorAllACL is ZooDefs.Ids.CREATOR_ALL_ACL: all permissions for the
// creator's authenticated ids (the "auth" scheme, expanded by FixupACL).
func CreatorAllACL() []ACL { return []ACL{{PermAll, Id{SchemeAuth, ""}}} }

// ReadACLUnsafe is ZooDefs.Ids.READ_ACL_UNSAFE: world:anyone may read.
func ReadACLUnsafe() []ACL { return []ACL{{PermRead, AnyoneID()}} }

// PermString renders perms as zkCli does ("cdrwa" order, letters present).
func PermString(perms int32) string {
	var b strings.Builder
	for _, p := range []struct {
		bit int32
		c   byte
	}{{PermCreate, 'c'}, {PermDelete, 'd'}, {PermRead, 'r'}, {PermWrite, 'w'}, {PermAdmin, 'a'}} {
		if perms&p.bit != 0 {
			b.WriteByte(p.c)
		}
	}
	return b.String()
}

// ParsePerms reads zkCli's permission letters (any order of c, d, r, w, a).
func ParsePerms(s string) (int32, error) {
	var perms int32
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'c':
			perms |= PermCreate
		case 'd':
			perms |= PermDelete
		case 'r':
			perms |= PermRead
		case 'w':
			perms |= PermWrite
		case 'a':
			perms |= PermAdmin
		default:
			return 0, fmt.Errorf("%w: unknown permission %q", ErrBadArguments, s[i])
		}
	}
	return perms, nil
}

// GenerateDigest is DigestAuthenticationProvider.generateDigest: for
// "user:password" it returns "user:" + base64(sha1("user:password")), the id a
// digest ACL entry names. Everything before the first ':' is the user.
func GenerateDigest(idPassword string) string {
	user, _, _ := strings.Cut(idPassword, ":")
	sum := sha1.Sum([]byte(idPassword))
	return user + ":" + base64.StdEncoding.EncodeToString(sum[:])
}

// DigestID returns the digest ACL id of user and password
// (GenerateDigest(user + ":" + password)).
func DigestID(user, password string) string {
	return GenerateDigest(user + ":" + password)
}

// Authenticate handles an auth packet as the server's providers do and
// returns the ids to add to the connection. digest: auth is "user:password"
// (decoded as Java's new String(bytes)), the id is its digest, and an id equal
// to superDigest (zookeeper.DigestAuthenticationProvider.superDigest) also
// grants super:"" (listed first, as Java adds it first). ip: the connection's
// remote address. Any other scheme fails with ErrAuthFailed.
func Authenticate(scheme string, auth []byte, remoteIP, superDigest string) ([]Id, error) {
	switch scheme {
	case SchemeDigest:
		digest := GenerateDigest(javaString(auth))
		var ids []Id
		if superDigest != "" && digest == superDigest {
			ids = append(ids, Id{SchemeSuper, ""})
		}
		return append(ids, Id{SchemeDigest, digest}), nil
	case SchemeIP:
		return []Id{{SchemeIP, remoteIP}}, nil
	}
	return nil, fmt.Errorf("%w: scheme %q", ErrAuthFailed, scheme)
}

// javaString decodes bytes as Java's UTF-8 decoder does, one U+FFFD per
// malformed byte.
func javaString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		sb.WriteRune(r)
		b = b[size:]
	}
	return sb.String()
}

// providerKnown reports whether a default 3.8 server has an authentication
// provider for scheme (ProviderRegistry: ip and digest).
func providerKnown(scheme string) bool {
	return scheme == SchemeIP || scheme == SchemeDigest
}

// providerAuthenticated is AuthenticationProvider.isAuthenticated: digest ids
// count as authenticated for the "auth" scheme, ip ids do not.
func providerAuthenticated(scheme string) bool {
	return scheme == SchemeDigest
}

// providerValid is AuthenticationProvider.isValid for an ACL id.
func providerValid(scheme, id string) bool {
	switch scheme {
	case SchemeDigest:
		// id.split(":").length == 2, Java's split dropping trailing
		// empty strings.
		return len(javaSplit(id, ':')) == 2
	case SchemeIP:
		addr, bitsText, hasBits := strings.Cut(id, "/")
		b := ipv4Bytes(addr)
		if b == nil {
			return false
		}
		if hasBits {
			bits, ok := javaParseInt(bitsText)
			if !ok || bits < 0 || bits > 32 {
				return false
			}
		}
		return true
	}
	return false
}

// providerMatches is AuthenticationProvider.matches(id, aclExpr).
func providerMatches(scheme, id, aclExpr string) bool {
	switch scheme {
	case SchemeDigest:
		return id == aclExpr
	case SchemeIP:
		addr, bitsText, hasBits := strings.Cut(aclExpr, "/")
		aclAddr := ipv4Bytes(addr)
		if aclAddr == nil {
			return false
		}
		bits := 32
		if hasBits {
			n, ok := javaParseInt(bitsText)
			if !ok || n < 0 || n > 32 {
				return false
			}
			bits = n
		}
		remote := ipv4Bytes(id)
		if remote == nil {
			return false
		}
		maskBits(aclAddr, bits)
		maskBits(remote, bits)
		return string(aclAddr) == string(remote)
	}
	return false
}

// ipv4Bytes is IPAuthenticationProvider.v4addr2Bytes: exactly four
// dot-separated Java ints in 0..255; nil otherwise (3.8 has no IPv6 here).
func ipv4Bytes(addr string) []byte {
	parts := strings.Split(addr, ".")
	if len(parts) != 4 {
		return nil
	}
	b := make([]byte, 4)
	for i, p := range parts {
		v, ok := javaParseInt(p)
		if !ok || v < 0 || v > 255 {
			return nil
		}
		b[i] = byte(v)
	}
	return b
}

func maskBits(b []byte, bits int) {
	start := bits / 8
	mask := byte(^((1 << (8 - bits%8)) - 1))
	for ; start < len(b); start++ {
		b[start] &= mask
		mask = 0
	}
}

// javaParseInt is Integer.parseInt for ASCII input: optional sign, decimal
// digits, int32 range.
func javaParseInt(s string) (int, bool) {
	if s == "" || s == "+" || s == "-" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && !(i == 0 && (c == '+' || c == '-')) {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, false
	}
	return int(v), true
}

// javaSplit is String.split on a single literal character: trailing empty
// strings are removed (and "" splits to [""]).
func javaSplit(s string, sep byte) []string {
	parts := strings.Split(s, string(sep))
	if s == "" {
		return parts
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// FixupACL is PrepRequestProcessor.fixupACL, run on every create and setACL:
// duplicates are dropped (first occurrence kept), an empty list is
// InvalidACL, world:anyone passes, "auth" entries become one entry per
// authenticated id of the caller (InvalidACL when the caller has none; ip ids
// do not count), and any other scheme must have a provider that accepts the
// id. Entries added by "auth" expansion are not deduplicated, as in Java.
func FixupACL(acl []ACL, auth []Id) ([]ACL, error) {
	uniq := make([]ACL, 0, len(acl))
	for _, a := range acl {
		dup := false
		for _, u := range uniq {
			if u == a {
				dup = true
				break
			}
		}
		if !dup {
			uniq = append(uniq, a)
		}
	}
	if len(uniq) == 0 {
		return nil, fmt.Errorf("%w: empty ACL", ErrInvalidACL)
	}
	out := make([]ACL, 0, len(uniq))
	for _, a := range uniq {
		switch {
		case a.Id.Scheme == SchemeWorld && a.Id.ID == "anyone":
			out = append(out, a)
		case a.Id.Scheme == SchemeAuth:
			valid := false
			for _, id := range auth {
				if providerKnown(id.Scheme) && providerAuthenticated(id.Scheme) {
					valid = true
					out = append(out, ACL{a.Perms, id})
				}
			}
			if !valid {
				return nil, fmt.Errorf("%w: auth scheme without an authenticated id", ErrInvalidACL)
			}
		default:
			if !providerKnown(a.Id.Scheme) || !providerValid(a.Id.Scheme, a.Id.ID) {
				return nil, fmt.Errorf("%w: %s:%s", ErrInvalidACL, a.Id.Scheme, a.Id.ID)
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// CheckACL is ZooKeeperServer.checkACL: nil when the caller may perform perm
// on a node with acl, ErrNoAuth otherwise. An empty ACL allows everything; a
// super id (or super=true) allows everything; otherwise an entry must carry
// the bit and be world:anyone or match one of the caller's ids of its scheme.
func CheckACL(acl []ACL, perm int32, auth []Id, super bool) error {
	if len(acl) == 0 || super {
		return nil
	}
	for _, id := range auth {
		if id.Scheme == SchemeSuper {
			return nil
		}
	}
	for _, a := range acl {
		if a.Perms&perm == 0 {
			continue
		}
		if a.Id.Scheme == SchemeWorld && a.Id.ID == "anyone" {
			return nil
		}
		if !providerKnown(a.Id.Scheme) {
			continue
		}
		for _, id := range auth {
			if id.Scheme == a.Id.Scheme && providerMatches(a.Id.Scheme, id.ID, a.Id.ID) {
				return nil
			}
		}
	}
	return ErrNoAuth
}

// maskDigests is what getACL shows a caller without ADMIN: every digest id
// "user:hash" becomes "user:x" (Java's replaceAll(":.*", ":x")).
func maskDigests(acl []ACL) []ACL {
	out := make([]ACL, len(acl))
	for i, a := range acl {
		if a.Id.Scheme == SchemeDigest {
			if j := strings.IndexByte(a.Id.ID, ':'); j >= 0 {
				a.Id.ID = a.Id.ID[:j] + ":x"
			}
		}
		out[i] = a
	}
	return out
}

// aclCache interns ACL lists so that nodes sharing a list share one copy,
// with reference counts, as ZooKeeper's ReferenceCountedACLCache does.
type aclCache struct {
	m map[string]*aclEntry
}

type aclEntry struct {
	acl  []ACL
	refs int
}

func aclKey(acl []ACL) string {
	var b strings.Builder
	for _, a := range acl {
		b.WriteString(strconv.Itoa(int(a.Perms)))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(len(a.Id.Scheme)))
		b.WriteByte(' ')
		b.WriteString(a.Id.Scheme)
		b.WriteString(strconv.Itoa(len(a.Id.ID)))
		b.WriteByte(' ')
		b.WriteString(a.Id.ID)
	}
	return b.String()
}

// intern returns the shared entry for acl with one more reference.
func (c *aclCache) intern(acl []ACL) *aclEntry {
	k := aclKey(acl)
	e := c.m[k]
	if e == nil {
		e = &aclEntry{acl: append([]ACL(nil), acl...)}
		c.m[k] = e
	}
	e.refs++
	return e
}

// release drops one reference and forgets the list when none remain.
func (c *aclCache) release(e *aclEntry) {
	if e == nil {
		return
	}
	e.refs--
	if e.refs <= 0 {
		delete(c.m, aclKey(e.acl))
	}
}
