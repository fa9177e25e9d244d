package dev.voicegate.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An address range, {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a range of one. */
record Cidr(byte[] network, int bits) {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** A range written as text; empty when the text is not one (a host name, say). */
    static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        Optional<InetAddress> address = literal(slash < 0 ? text : text.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = address.get().getAddress();
        try {
            int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            return bits < 0 || bits > bytes.length * 8 ? Optional.empty() : Optional.of(new Cidr(bytes, bits));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Cidr of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a range: " + text));
    }

    /**
     * An IP address written as such: dotted IPv4 or IPv6, brackets allowed. Only text of those shapes reaches
     * {@link InetAddress#getByName}, which then parses it without any DNS lookup.
     */
    static Optional<InetAddress> literal(String host) {
        String text = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v6 = IPV6.matcher(text).matches();
        if (!v6 && !IPV4.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // In brackets an IPv6 literal that does not parse fails at once instead of being looked up as a name.
            return Optional.of(InetAddress.getByName(v6 ? "[" + text + "]" : text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] bytes) {
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
