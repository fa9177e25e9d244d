package dev.voicegate.callback;

import static dev.voicegate.callback.Callbacks.STATUS;
import static dev.voicegate.callback.Callbacks.counted;
import static dev.voicegate.callback.Callbacks.placed;
import static dev.voicegate.callback.Callbacks.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.voicegate.ledger.Ledger;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Without {@code PUBLIC_URL} callbacks are off: even one signed as Twilio would sign it is refused. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class CallbacksOffTest {

    @Inject
    Ledger ledger;

    @Test
    void everyCallbackIsRefused() {
        String callSid = placed(ledger, null);
        double rejected = counted("ringing", "rejected");
        post(STATUS, Callbacks.status(callSid, "ringing", 1)).then().statusCode(403);
        assertEquals(List.of(), ledger.find(callSid).await().indefinitely().orElseThrow().events());
        await().until(() -> counted("ringing", "rejected") == rejected + 1);
    }
}
