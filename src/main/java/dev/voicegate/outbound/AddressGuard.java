package dev.voicegate.outbound;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.voicegate.config.VoicegateConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The one guard through which Voicegate reaches a URL that a caller chose. Such a URL must be http or https and
 * lead to a public address: loopback, private, link-local, unique-local, multicast, unspecified and reserved
 * addresses are refused (see {@code Addresses}), unless {@code voicegate.callbacks.relay-allow} names the host or a
 * range holding the address. {@link #check} resolves the name off the event loop, checks every address it gets,
 * and hands back the one to connect to ({@link CheckedTarget#requestOptions()}).
 */
@ApplicationScoped
public class AddressGuard {

    /** Names to addresses; blocking, so {@link AddressGuard} calls it on a worker thread. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private final Set<String> allowedHosts = new HashSet<>();
    private final List<Cidr> allowedRanges = new ArrayList<>();
    private final Resolver resolver;

    @Inject
    AddressGuard(VoicegateConfig config) {
        this(config.callbacks().relayAllow().orElse(List.of()), host -> List.of(InetAddress.getAllByName(host)));
    }

    /** {@code allow}: host names and address ranges ({@code 127.0.0.1}, {@code 10.0.0.0/8}) let through anyway. */
    public AddressGuard(List<String> allow, Resolver resolver) {
        for (String entry : allow) {
            String item = entry.trim().toLowerCase(Locale.ROOT);
            if (!item.isEmpty()) {
                Cidr.parse(item).ifPresentOrElse(allowedRanges::add, () -> allowedHosts.add(item));
            }
        }
        this.resolver = resolver;
    }

    /**
     * Why this URL would be refused, as far as can be told without DNS (the scheme, a literal address,
     * {@code localhost}); empty when nothing is known against it. For make_call's validation.
     */
    public Optional<String> refusal(String url) {
        try {
            withoutDns(parse(url));
            return Optional.empty();
        } catch (RefusedTargetException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Resolves the URL's host (on a worker thread) and checks every address. Fails with
     * {@link RefusedTargetException} for a URL or address the guard refuses, with an {@link UncheckedIOException}
     * for a name that does not resolve (perhaps for now).
     */
    public Uni<CheckedTarget> check(String url) {
        Parsed parsed;
        Optional<InetAddress> literal;
        try {
            parsed = parse(url);
            literal = withoutDns(parsed);
        } catch (RefusedTargetException e) {
            return Uni.createFrom().failure(e);
        }
        if (literal.isPresent()) {
            return Uni.createFrom().item(parsed.target(literal.get()));
        }
        return Uni.createFrom().item(() -> resolve(parsed.host))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(addresses -> parsed.target(verdict(parsed.host, addresses, "resolves to")));
    }

    /** Checks what needs no DNS; the checked address when the host is one. */
    private Optional<InetAddress> withoutDns(Parsed parsed) {
        Optional<InetAddress> literal = Cidr.literal(parsed.host);
        if (literal.isPresent()) {
            verdict(parsed.host, List.of(literal.get()), "points to");
        } else if (localhost(parsed.host) && !allowedHosts.contains(parsed.host)) {
            throw new RefusedTargetException("points to a loopback address: relay targets must be public");
        }
        return literal;
    }

    private List<InetAddress> resolve(String host) {
        try {
            List<InetAddress> addresses = resolver.resolve(host);
            if (addresses.isEmpty()) {
                throw new UnknownHostException("no address");
            }
            return addresses;
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address to connect to: the first, once every one has passed (or the name is allowed as such). */
    private InetAddress verdict(String host, List<InetAddress> addresses, String verb) {
        if (!allowedHosts.contains(host)) {
            for (InetAddress address : addresses) {
                if (allowedRanges.stream().noneMatch(range -> range.contains(address))) {
                    Optional<String> kind = Addresses.refused(address);
                    if (kind.isPresent()) {
                        throw new RefusedTargetException(
                                verb + " " + kind.get() + " address: relay targets must be public");
                    }
                }
            }
        }
        return addresses.get(0);
    }

    /** {@code localhost} and its subdomains are loopback by definition (RFC 6761), whatever DNS says. */
    private static boolean localhost(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("localhost.");
    }

    private static Parsed parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new RefusedTargetException("must be a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedTargetException("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedTargetException("must be an absolute URL with a host name");
        }
        return new Parsed(uri, scheme.equals("https"), uri.getHost().toLowerCase(Locale.ROOT));
    }

    private record Parsed(URI uri, boolean ssl, String host) {

        CheckedTarget target(InetAddress address) {
            int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String requestUri = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String authority = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
            String url = (ssl ? "https" : "http") + "://" + authority + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return new CheckedTarget(url, ssl, name, port, requestUri, uri.getRawUserInfo(), address);
        }
    }
}
