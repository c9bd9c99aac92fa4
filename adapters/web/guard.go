package web

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
)

// errBlocked marks a connection refused because of the address it would
// reach; the client turns it into the user-facing reason.
var errBlocked = errors.New("not a public address")

// blockedPrefixes are the ranges beyond what netip's predicates cover that
// must not be reachable from a user-supplied URL.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),     // "this network"; 0.0.0.0 reaches the local host on Linux
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT, used for internal services in clouds
	netip.MustParsePrefix("192.0.0.0/24"),  // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking, sometimes used for internal networks
	netip.MustParsePrefix("240.0.0.0/4"),   // reserved, and 255.255.255.255 broadcast
	netip.MustParsePrefix("fec0::/10"),     // deprecated site-local, still routed by some networks
}

// nat64 holds IPv4 addresses in its low 32 bits (RFC 6052); a NAT64
// gateway would carry a connection on to that IPv4 address.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// isBlocked reports whether a connection to a must be refused when private
// addresses are not allowed: private, loopback, link-local, unspecified,
// multicast, CGNAT and unique-local addresses, including IPv4 ones written
// as IPv4-mapped or NAT64 IPv6. An invalid address is refused too.
func isBlocked(a netip.Addr) bool {
	if !a.IsValid() {
		return true
	}
	a = a.WithZone("").Unmap()
	if a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() ||
		a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	if nat64.Contains(a) {
		b := a.As16()
		return isBlocked(netip.AddrFrom4([4]byte(b[12:])))
	}
	return false
}

// hostAddr is the address a URL host denotes when it is written as one:
// an IPv4 or IPv6 literal, or one of the inet_aton forms ("2130706433",
// "0177.0.0.1", "0x7f.1") that Go's parsers reject but C resolvers, curl
// and browsers accept. ok is false for a name.
func hostAddr(host string) (a netip.Addr, ok bool) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a, true
	}
	return parseInetAton(host)
}

// parseInetAton parses the forms inet_aton(3) accepts: one to four parts
// separated by dots, each decimal, octal (leading 0) or hex (leading 0x);
// the last part fills all remaining bytes (a, a.b with b 24 bits, a.b.c
// with c 16 bits, a.b.c.d). A single trailing dot, as in a fully qualified
// name, is allowed.
func parseInetAton(s string) (netip.Addr, bool) {
	s = strings.TrimSuffix(s, ".")
	parts := strings.Split(s, ".")
	if s == "" || len(parts) > 4 {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		v, ok := parseInetPart(p)
		if !ok {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	last := len(vals) - 1
	for _, v := range vals[:last] {
		if v > 0xff {
			return netip.Addr{}, false
		}
	}
	if vals[last] >= 1<<(8*(4-last)) {
		return netip.Addr{}, false
	}
	n := vals[last]
	for i, v := range vals[:last] {
		n |= v << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

func parseInetPart(p string) (uint64, bool) {
	base, digits := 10, p
	switch {
	case len(p) > 2 && (p[:2] == "0x" || p[:2] == "0X"):
		base, digits = 16, p[2:]
	case len(p) > 1 && p[0] == '0':
		base, digits = 8, p[1:]
	}
	if digits == "" {
		return 0, false
	}
	v, err := strconv.ParseUint(digits, base, 32)
	return v, err == nil
}

// defaultPort is the port a URL without one reaches.
func defaultPort(u *url.URL) uint16 {
	if p, err := strconv.ParseUint(u.Port(), 10, 16); err == nil {
		return uint16(p)
	}
	if u.Scheme == "https" {
		return 443
	}
	return 80
}

// checkHost refuses a URL whose host is written as a blocked address before
// any connection is tried; names are left to control, which sees the
// address actually dialed.
func (c *Client) checkHost(u *url.URL) error {
	if c.blocked == nil {
		return nil
	}
	a, ok := hostAddr(u.Hostname())
	if ok && c.blocked(netip.AddrPortFrom(a, defaultPort(u))) {
		return fmt.Errorf("%s: %w", a, errBlocked)
	}
	return nil
}

// control runs on every connection just before it is made, with the
// resolved address. Checking here, not after a DNS lookup of our own, is
// what covers redirects, every address a name resolves to, and DNS
// rebinding (a name that answers public first and private later).
func (c *Client) control(network, address string, _ syscall.RawConn) error {
	if c.blocked == nil {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%s: %w", address, errBlocked) // not an IP we can judge: refuse
	}
	if c.blocked(ap) {
		return fmt.Errorf("%s: %w", ap.Addr(), errBlocked)
	}
	return nil
}

// dialAddr rewrites a host in inet_aton form to the address it denotes, so
// that "http://0x7f.1/" reaches the same place here as in a browser instead
// of depending on the resolver.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return addr
	}
	if a, ok := parseInetAton(host); ok {
		return net.JoinHostPort(a.String(), port)
	}
	return addr
}
