package dev.voicegate.twilio.media;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.twilio.TwilioClient;
import dev.voicegate.twilio.TwilioCredentials;
import dev.voicegate.twilio.TwilioException;
import dev.voicegate.twilio.TwilioFailures;
import dev.voicegate.twilio.TwilioGuards;
import dev.voicegate.twilio.limit.AccountLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;

/**
 * Recording audio from Twilio, streamed: the REST client cannot do it (it decodes whole bodies, its timeout would
 * cut a long download, a retry could resend after bytes went out, and it follows no redirects). This one runs on
 * the Vert.x HTTP client with a connect and an idle timeout but no total timeout, and follows redirects itself.
 * <p>
 * Fault tolerance covers the part up to the headers only: retries of what may be transient and a breaker, from the
 * same settings and in the same programmatic style as {@link TwilioClient}'s operations ({@link TwilioGuards}, guard
 * {@value TwilioGuards#RECORDING_MEDIA}), and a timeout to the headers per attempt
 * ({@code voicegate.media.headers-timeout}, kept by {@link MediaAttempt}). Once the headers are in, nothing is
 * retried.
 */
@ApplicationScoped
public class TwilioMediaClient {

    private final Vertx vertx;
    private final LoopClients http;
    private final AccountLimiter limiter;
    private final String baseUrl;
    private final VoicegateConfig.Media config;
    private final TwilioGuards guards;

    TwilioMediaClient(Vertx vertx, AccountLimiter limiter, VoicegateConfig config, TwilioGuards guards,
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
                // a socket read (up to 256 KiB, LoopClients.readLargeChunks) cost far fewer calls.
                .setMaxChunkSize(LoopClients.MAX_READ_BYTES)
                .setVerifyHost(true));
        this.limiter = limiter;
        this.guards = guards;
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
    public Uni<MediaDownload> open(TwilioCredentials credentials, MediaRequest request) {
        URI uri = URI.create(baseUrl + "/2010-04-01/Accounts/" + credentials.accountSid() + "/Recordings/"
                + request.recordingSid() + "." + request.extension()
                + (request.channels() == null ? "" : "?RequestedChannels=" + request.channels()));
        MediaAttempt.Target target = new MediaAttempt.Target(uri, credentials.accountSid(),
                credentials.basicAuthorization(), request.range());
        Context caller = Vertx.currentContext();
        Uni<MediaDownload> guarded = guards.run(TwilioGuards.RECORDING_MEDIA, () -> Uni.createFrom()
                .<MediaDownload> emitter(emitter -> new MediaAttempt(vertx, http, limiter, target,
                        config.headersTimeout(), config.idleTimeout(), emitter).start())
                .onFailure().transform(TwilioFailures::classify));
        // Called directly, a guard may complete off the caller's Vert.x context (the annotations stayed on it). The
        // download must reach its caller there, or a caller that hangs up is not told apart from a Twilio failure
        // (RecordingMediaTest's abort case).
        return caller == null ? guarded : guarded.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }
}
