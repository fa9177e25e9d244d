package dev.voicegate.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.core.http.RequestOptions;

/** The relay's address guard: every address family it refuses, names that resolve inside, and the allow list. */
class AddressGuardTest {

    /** A DNS of our own: no lookup leaves the test. */
    static final Map<String, List<String>> DNS = Map.of(
            "internal.example", List.of("10.0.0.7"),
            "metadata.example", List.of("169.254.169.254"),
            "mixed.example", List.of("93.184.216.34", "10.0.0.7"),
            "v6inside.example", List.of("fd00::7"),
            "public.example", List.of("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"),
            "dev.internal", List.of("192.168.1.20"));

    static List<InetAddress> resolve(String host) throws UnknownHostException {
        List<String> addresses = DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses.stream().map(a -> Cidr.literal(a).orElseThrow()).toList();
    }

    final AddressGuard guard = new AddressGuard(List.of(), AddressGuardTest::resolve);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://example.com/x | must be an http or https URL",
            "javascript:alert(1) | must be an http or https URL",
            "/relative/path | must be an http or https URL",
            "http://exa mple.com/ | must be a valid URL",
            "http:///no-host | must be an absolute URL with a host name",
            "http://localhost:8080/hook | points to a loopback address: relay targets must be public",
            "http://api.localhost/hook | points to a loopback address: relay targets must be public",
            "http://127.0.0.1/ | points to a loopback address: relay targets must be public",
            "http://127.8.9.10/ | points to a loopback address: relay targets must be public",
            "http://[::1]/ | points to a loopback address: relay targets must be public",
            "http://10.1.2.3/ | points to a private address: relay targets must be public",
            "http://172.16.0.1/ | points to a private address: relay targets must be public",
            "http://172.31.255.255/ | points to a private address: relay targets must be public",
            "http://192.168.1.1/ | points to a private address: relay targets must be public",
            "http://100.64.0.1/ | points to a private (shared, CGNAT) address: relay targets must be public",
            "http://169.254.169.254/latest/meta-data/ | points to a link-local address: relay targets must be public",
            "http://0.0.0.0:8080/ | points to an unspecified address: relay targets must be public",
            "http://[::]/ | points to an unspecified address: relay targets must be public",
            "http://255.255.255.255/ | points to a broadcast address: relay targets must be public",
            "http://224.0.0.1/ | points to a multicast address: relay targets must be public",
            "http://[ff02::1]/ | points to a multicast address: relay targets must be public",
            "http://[fe80::1]/ | points to a link-local address: relay targets must be public",
            "http://[fc00::1]/ | points to a unique-local address: relay targets must be public",
            "http://[fd12:3456::1]/ | points to a unique-local address: relay targets must be public",
            "http://[::ffff:10.0.0.1]/ | points to a private address: relay targets must be public",
            "http://[::ffff:127.0.0.1]/ | points to a loopback address: relay targets must be public",
            "http://[::ffff:a9fe:a9fe]/ | points to a link-local address: relay targets must be public",
            "http://[::10.0.0.1]/ | points to a private address: relay targets must be public",
            "http://[64:ff9b::a00:1]/ | points to a private address: relay targets must be public",
            "http://[64:ff9b::7f00:1]/ | points to a loopback address: relay targets must be public",
            "http://[2002:a9fe:a9fe::1]/ | points to a link-local address: relay targets must be public",
            "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/ | points to a private address: relay targets must be public",
            "http://240.0.0.1/ | points to a reserved address: relay targets must be public",
    })
    void refusedWithoutDns(String url, String reason) {
        assertEquals(Optional.of(reason), guard.refusal(url), url);
        assertEquals(reason, refusedAtDelivery(url).getMessage(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/hook", "http://8.8.8.8/x", "http://172.32.0.1/", "http://100.128.0.1/",
        "https://[2606:4700:4700::1111]/x", "http://[::ffff:8.8.8.8]/", "http://[64:ff9b::808:808]/",
        "https://internal.example/hook"})
    void publicOrNotYetKnown(String url) {
        assertEquals(Optional.empty(), guard.refusal(url), "a name's addresses are only known at delivery: " + url);
    }

    @Test
    void aNameThatResolvesInsideIsRefusedAtDelivery() {
        assertEquals("resolves to a private address: relay targets must be public",
                refusedAtDelivery("https://internal.example/hook").getMessage());
        assertEquals("resolves to a link-local address: relay targets must be public",
                refusedAtDelivery("http://metadata.example/latest/meta-data/").getMessage());
        assertEquals("resolves to a unique-local address: relay targets must be public",
                refusedAtDelivery("http://v6inside.example/").getMessage());
        assertEquals("resolves to a private address: relay targets must be public",
                refusedAtDelivery("https://mixed.example/hook").getMessage(), "one inside address is enough");
    }

    @Test
    void anIpv4MappedAddressFromAResolverIsJudgedByItsIpv4Address() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertInstanceOf(Inet6Address.class, address, "kept as IPv6, as a resolver might hand it over");
        AddressGuard mapping = new AddressGuard(List.of(), host -> List.of(address));
        Throwable failure = mapping.check("http://mapped.example/").subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitFailure().getFailure();
        assertEquals("resolves to a private address: relay targets must be public", failure.getMessage());
    }

    @Test
    void aPublicNameIsConnectedToAtTheCheckedAddressUnderItsName() {
        CheckedTarget target = guard.check("https://user:pw@public.example/hook?a=1&b=2#rc=3").subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitItem().getItem();
        assertEquals("https://public.example/hook?a=1&b=2", target.url(), "no credentials, no fragment");
        assertEquals("user:pw", target.userInfo());
        assertEquals("93.184.216.34", target.address().getHostAddress());
        RequestOptions options = target.requestOptions();
        assertEquals("93.184.216.34", options.getServer().host(), "connects to the checked address");
        assertEquals(443, options.getServer().port());
        assertEquals("public.example", options.getHost(), "Host and SNI stay the name");
        assertEquals(443, options.getPort());
        assertTrue(options.isSsl());
        assertEquals("/hook?a=1&b=2", options.getURI());
        assertEquals(false, options.getFollowRedirects());
        assertTrue(!target.toString().contains("pw"), "toString shows no credentials");
    }

    @Test
    void aNameThatDoesNotResolveFailsAsAnIoError() {
        Throwable failure = guard.check("https://nowhere.example/").subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitFailure().getFailure();
        assertInstanceOf(UncheckedIOException.class, failure);
    }

    @Test
    void theAllowListLetsNamedHostsAndRangesThrough() {
        AddressGuard allowing = new AddressGuard(List.of("127.0.0.1", " 10.0.0.0/8", "dev.internal", "LocalHost", "fd00::/8"),
                AddressGuardTest::resolve);
        assertEquals(Optional.empty(), allowing.refusal("http://127.0.0.1:8089/hook"));
        assertEquals(Optional.empty(), allowing.refusal("http://localhost:8089/hook"));
        assertEquals(Optional.empty(), allowing.refusal("http://10.9.8.7/"));
        assertEquals(Optional.of("points to a loopback address: relay targets must be public"),
                allowing.refusal("http://127.0.0.2/"), "a single address allows that address only");
        assertEquals(Optional.of("points to a private address: relay targets must be public"),
                allowing.refusal("http://192.168.1.20/"), "the name is allowed, not its address");
        assertEquals("192.168.1.20", allowing.check("http://dev.internal:8080/").subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitItem().getItem().address().getHostAddress());
        assertEquals("10.0.0.7", allowing.check("http://internal.example/").subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitItem().getItem().address().getHostAddress());
        assertEquals("fd00:0:0:0:0:0:0:7", allowing.check("http://v6inside.example/").subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitItem().getItem().address().getHostAddress());
    }

    @Test
    void malformedLiteralsAreNeverLookedUp() {
        AddressGuard failing = new AddressGuard(List.of(), host -> {
            throw new AssertionError("no DNS for " + host);
        });
        assertEquals(Optional.of("must be an absolute URL with a host name"), failing.refusal("http://1.2.3.4.5/"));
        assertEquals(Optional.empty(), failing.refusal("http://1.2.3.4.example/"), "a name: known later");
        assertTrue(Cidr.literal("1::zz").isEmpty());
        assertTrue(Cidr.literal("999.1.1.1").isEmpty());
        assertTrue(Cidr.parse("example.com").isEmpty());
        assertTrue(Cidr.parse("10.0.0.0/33").isEmpty());
    }

    private RefusedTargetException refusedAtDelivery(String url) {
        Throwable failure = guard.check(url).subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure()
                .getFailure();
        return assertInstanceOf(RefusedTargetException.class, failure, url);
    }
}
