package dev.voicegate.outbound;

import java.net.InetAddress;

import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * A URL that {@link AddressGuard} let through, with the address it checked: a request must go to that address and
 * nowhere else ({@link #requestOptions()}), so a second DNS answer cannot send it elsewhere.
 *
 * @param url the URL without credentials or fragment: what the server will see as its request URL
 * @param requestUri the raw path and query, as sent on the request line
 * @param userInfo the URL's {@code user:password}, or null
 */
public record CheckedTarget(String url, boolean ssl, String host, int port, String requestUri, String userInfo,
        InetAddress address) {

    /**
     * Options for a request to this target: the connection goes to the checked address, while the {@code Host}
     * header, TLS SNI and certificate check use the name. Redirects are never followed: their target is unchecked.
     */
    public RequestOptions requestOptions() {
        return new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(requestUri)
                .setFollowRedirects(false);
    }

    @Override
    public String toString() {
        return "CheckedTarget[" + (ssl ? "https://" : "http://") + host + ":" + port + "]";
    }
}
