package dev.voicegate.outbound;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which addresses a relay may not reach: every range that is not the public internet, IPv4 and IPv6. IPv6 forms
 * that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are judged by the IPv4 address inside.
 */
final class Addresses {

    /** Range to what it is, as said in a refusal; checked in order, so the narrower ranges come first. */
    private static final Map<Cidr, String> V4 = new LinkedHashMap<>();
    private static final Map<Cidr, String> V6 = new LinkedHashMap<>();

    static {
        V4.put(Cidr.of("255.255.255.255/32"), "a broadcast");
        V4.put(Cidr.of("0.0.0.0/8"), "an unspecified");
        V4.put(Cidr.of("10.0.0.0/8"), "a private");
        V4.put(Cidr.of("100.64.0.0/10"), "a private (shared, CGNAT)");
        V4.put(Cidr.of("127.0.0.0/8"), "a loopback");
        V4.put(Cidr.of("169.254.0.0/16"), "a link-local");
        V4.put(Cidr.of("172.16.0.0/12"), "a private");
        V4.put(Cidr.of("192.0.0.0/24"), "a reserved");
        V4.put(Cidr.of("192.0.2.0/24"), "a reserved");
        V4.put(Cidr.of("192.168.0.0/16"), "a private");
        V4.put(Cidr.of("198.18.0.0/15"), "a reserved");
        V4.put(Cidr.of("198.51.100.0/24"), "a reserved");
        V4.put(Cidr.of("203.0.113.0/24"), "a reserved");
        V4.put(Cidr.of("224.0.0.0/4"), "a multicast");
        V4.put(Cidr.of("240.0.0.0/4"), "a reserved");

        V6.put(Cidr.of("::/128"), "an unspecified");
        V6.put(Cidr.of("::1/128"), "a loopback");
        V6.put(Cidr.of("64:ff9b:1::/48"), "a private (local NAT64)");
        V6.put(Cidr.of("100::/64"), "a reserved");
        V6.put(Cidr.of("2001:db8::/32"), "a reserved");
        V6.put(Cidr.of("fc00::/7"), "a unique-local");
        V6.put(Cidr.of("fe80::/10"), "a link-local");
        V6.put(Cidr.of("fec0::/10"), "a site-local");
        V6.put(Cidr.of("ff00::/8"), "a multicast");
    }

    /** Built from bytes: Java reads {@code ::ffff:a.b.c.d} text as the IPv4 address itself. */
    private static final Cidr MAPPED = new Cidr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0}, 96);
    private static final Cidr COMPATIBLE = Cidr.of("::/96");
    private static final Cidr NAT64 = Cidr.of("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.of("2002::/16");
    private static final Cidr TEREDO = Cidr.of("2001::/32");

    private Addresses() {
    }

    /** What kind of non-public address this is ("a private", "a loopback"…); empty for a public one. */
    static Optional<String> refused(InetAddress address) {
        return refused(address.getAddress());
    }

    private static Optional<String> refused(byte[] bytes) {
        if (bytes.length == 4) {
            return lookUp(V4, bytes);
        }
        Optional<String> v6 = lookUp(V6, bytes);
        if (v6.isPresent()) {
            return v6;
        }
        if (MAPPED.contains(bytes) || COMPATIBLE.contains(bytes) || NAT64.contains(bytes)) {
            return refused(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return refused(Arrays.copyOfRange(bytes, 2, 6));
        }
        if (TEREDO.contains(bytes)) {
            // The client's IPv4 address is the last 32 bits, inverted.
            byte[] client = Arrays.copyOfRange(bytes, 12, 16);
            for (int i = 0; i < client.length; i++) {
                client[i] = (byte) ~client[i];
            }
            return refused(client);
        }
        return Optional.empty();
    }

    private static Optional<String> lookUp(Map<Cidr, String> ranges, byte[] bytes) {
        return ranges.entrySet().stream().filter(range -> range.getKey().contains(bytes)).map(Map.Entry::getValue)
                .findFirst();
    }
}
