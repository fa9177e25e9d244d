package dev.voicegate.twilio.media;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.twilio.RetryAfterBackoff;
import dev.voicegate.twilio.RetryPolicy;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioException;
import dev.voicegate.twilio.TwilioFailures;
import dev.voicegate.twilio.limit.AccountLimiter;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;

/**
 * Recording audio from Twilio, streamed: the REST client cannot do it (it decodes whole bodies, its timeout would
 * cut a long download, a retry could resend after bytes went out, and it follows no redirects). This one runs on
 * the Vert.x HTTP client with a connect and an idle timeout but no total timeout, and follows redirects itself.
 * <p>
 * Fault tolerance covers the part up to the headers only: retries of what may be transient and a breaker, as for
 * {@link TwilioClient} (overridable as {@code quarkus.fault-tolerance."dev.voicegate.twilio.media.TwilioMediaClient/open".*}),
 * and a timeout to the headers per attempt ({@code voicegate.media.headers-timeout}, kept by {@link MediaAttempt}).
 * Once the headers are in, nothing is retried.
 */
@ApplicationScoped
public class TwilioMediaClient {

    private final Vertx vertx;
    private final LoopClients http;
    private final AccountLimiter limiter;
    private final String baseUrl;
    private final VoicegateConfig.Media config;

    TwilioMediaClient(Vertx vertx, AccountLimiter limiter, VoicegateConfig config,
            @ConfigProperty(name = "quarkus.rest-client.twilio.url") String baseUrl) {
        VoicegateConfig.Media media = config.media();
        this.vertx = vertx;
        this.config = media;
        this.http = new LoopClients(vertx, new HttpClientOptions()
                .setConnectTimeout((int) media.connectTimeout().toMillis())
                .setIdleTimeout((int) media.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxPoolSize(media.maxConnections())
                // 8 KB by default: every piece of body is a write and a flush to the caller, so pieces as large as
                // a socket read (up to 1 MiB, LoopClients.readLargeChunks) cost far fewer calls.
                .setMaxChunkSize(LoopClients.MAX_READ_BYTES)
                .setVerifyHost(true));
        this.limiter = limiter;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * {@code GET /2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.wav|.mp3}, with Basic auth. Completes once the
     * audio's headers (200, or 206 for a range) are in; a missing recording fails with {@link TwilioException.Rejected}
     * (404), which never trips the breaker.
     */
    @Retry(maxRetries = 3, delay = 200, jitter = 0, maxDuration = 60, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = RetryPolicy.Reads.class)
    @CustomBackoff(RetryAfterBackoff.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000,
            skipOn = { TwilioException.Rejected.class, TwilioException.RateLimited.class,
                    TwilioException.Throttled.class })
    @CircuitBreakerName("twilio-recording-media")
    public Uni<MediaDownload> open(TwilioCredentials credentials, MediaRequest request) {
        URI uri = URI.create(baseUrl + "/2010-04-01/Accounts/" + credentials.accountSid() + "/Recordings/"
                + request.recordingSid() + "." + request.extension()
                + (request.channels() == null ? "" : "?RequestedChannels=" + request.channels()));
        MediaAttempt.Target target = new MediaAttempt.Target(uri, credentials.accountSid(),
                credentials.basicAuthorization(), request.range());
        return Uni.createFrom().<MediaDownload> emitter(emitter -> new MediaAttempt(vertx, http, limiter, target,
                config.headersTimeout(), config.idleTimeout(), emitter).start())
                .onFailure().transform(TwilioFailures::classify);
    }
}
