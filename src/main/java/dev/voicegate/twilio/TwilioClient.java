package dev.voicegate.twilio;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;

/**
 * The only way into Twilio. Each operation is guarded (outermost first) by a retry, a circuit breaker
 * and a per-attempt timeout; values are defaults here and overridable in {@code application.properties}
 * as {@code quarkus.fault-tolerance."dev.voicegate.twilio.TwilioClient/<method>".*}.
 * Breakers count 5xx, I/O failures and timeouts; a 4xx or 429 never opens them.
 */
@ApplicationScoped
public class TwilioClient {

    /** Largest page Twilio serves; used for recording lists so one request usually covers a call. */
    public static final int MAX_PAGE_SIZE = 1000;

    private final TwilioRestClient rest;

    TwilioClient(@RestClient TwilioRestClient rest) {
        this.rest = rest;
    }

    /** Places a call. Resent only when Twilio provably did not act on it (see {@link RetryPolicy.CreateCall}). */
    @Retry(maxRetries = 3, delay = 200, jitter = 0, maxDuration = 60, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = RetryPolicy.CreateCall.class)
    @CustomBackoff(RetryAfterBackoff.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000,
            skipOn = { TwilioException.Rejected.class, TwilioException.RateLimited.class })
    @CircuitBreakerName("twilio-create-call")
    @Timeout(10_000)
    public Uni<TwilioCall> createCall(TwilioCredentials credentials, NewCall call) {
        return rest.createCall(credentials.accountSid(), credentials.basicAuthorization(),
                call.to(), call.from(), call.url(), call.twiml(), call.statusCallback(),
                call.statusCallbackMethod(), call.record(), call.recordingStatusCallback(),
                call.timeout(), call.machineDetection())
                .onFailure().transform(TwilioFailures::classify);
    }

    /** One page of the call log. */
    @Retry(maxRetries = 3, delay = 200, jitter = 0, maxDuration = 60, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = RetryPolicy.Reads.class)
    @CustomBackoff(RetryAfterBackoff.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000,
            skipOn = { TwilioException.Rejected.class, TwilioException.RateLimited.class })
    @CircuitBreakerName("twilio-list-calls")
    @Timeout(10_000)
    public Uni<TwilioCallPage> listCalls(TwilioCredentials credentials, CallQuery query) {
        return rest.listCalls(credentials.accountSid(), credentials.basicAuthorization(),
                query.to(), query.from(), query.status(), query.startTimeOnOrAfter(), query.startTimeBefore(),
                query.pageSize(), query.page(), query.pageToken())
                .onFailure().transform(TwilioFailures::classify);
    }

    /** One page of a call's recordings. */
    @Retry(maxRetries = 3, delay = 200, jitter = 0, maxDuration = 60, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = RetryPolicy.Reads.class)
    @CustomBackoff(RetryAfterBackoff.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000,
            skipOn = { TwilioException.Rejected.class, TwilioException.RateLimited.class })
    @CircuitBreakerName("twilio-list-call-recordings")
    @Timeout(10_000)
    public Uni<TwilioRecordingPage> listCallRecordings(TwilioCredentials credentials, String callSid,
            PageCursor cursor) {
        return rest.listCallRecordings(credentials.accountSid(), credentials.basicAuthorization(), callSid,
                MAX_PAGE_SIZE, cursor == null ? null : cursor.page(), cursor == null ? null : cursor.pageToken())
                .onFailure().transform(TwilioFailures::classify);
    }

    /** One recording. A missing one fails with {@link TwilioException.Rejected} (404), which never trips the breaker. */
    @Retry(maxRetries = 3, delay = 200, jitter = 0, maxDuration = 60, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = RetryPolicy.Reads.class)
    @CustomBackoff(RetryAfterBackoff.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000,
            skipOn = { TwilioException.Rejected.class, TwilioException.RateLimited.class })
    @CircuitBreakerName("twilio-fetch-recording")
    @Timeout(10_000)
    public Uni<TwilioRecording> fetchRecording(TwilioCredentials credentials, String recordingSid) {
        return rest.fetchRecording(credentials.accountSid(), credentials.basicAuthorization(), recordingSid)
                .onFailure().transform(TwilioFailures::classify);
    }

    /** The first page (up to 1000) of a recording's transcriptions: in practice there is one. */
    @Retry(maxRetries = 3, delay = 200, jitter = 0, maxDuration = 60, durationUnit = ChronoUnit.SECONDS)
    @RetryWhen(exception = RetryPolicy.Reads.class)
    @CustomBackoff(RetryAfterBackoff.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000,
            skipOn = { TwilioException.Rejected.class, TwilioException.RateLimited.class })
    @CircuitBreakerName("twilio-list-transcriptions")
    @Timeout(10_000)
    public Uni<TwilioTranscriptionPage> listTranscriptions(TwilioCredentials credentials, String recordingSid) {
        return rest.listTranscriptions(credentials.accountSid(), credentials.basicAuthorization(), recordingSid,
                MAX_PAGE_SIZE)
                .onFailure().transform(TwilioFailures::classify);
    }
}
