package dev.voicegate.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;

/** A stored outcome keeps its failure as data: category, message and status, whatever the output says. */
class KeyRecordTest {

    final ObjectMapper json = new ObjectMapper();
    final KeyRecord claim = KeyRecord.inFlight("f", 1_000, 60_000);

    @Test
    void aFailureIsReplayedAsItWasStoredWithoutReadingTheOutput() throws Exception {
        ActionFailure refused = new ActionFailure(ErrorCategory.TWILIO_ERROR, "Twilio error 21211: Invalid 'To': "
                + "the number is not valid. Retrying will not help.", 502, null);
        // An output whose error says something else entirely: the failure does not depend on its wording.
        KeyRecord done = claim.done(JsonNodeFactory.instance.objectNode().put("error", "x"), 502, refused);
        String stored = json.writeValueAsString(done);

        assertEquals(refused, json.readValue(stored, KeyRecord.class).failure());
        assertFalse(stored.contains("\"failure\""), stored);
    }

    @Test
    void aSuccessHasNoFailure() throws Exception {
        KeyRecord done = claim.done(JsonNodeFactory.instance.objectNode().put("success", true), 201, null);
        assertNull(json.readValue(json.writeValueAsString(done), KeyRecord.class).failure());
    }

    @Test
    void aRecordStoredByThePreviousVersionStillReplays() throws Exception {
        String previous = "{\"fingerprint\":\"f\",\"state\":\"DONE\",\"startedAt\":1000,\"leaseUntil\":0,"
                + "\"output\":{\"success\":false,\"error\":\"twilio_error: Twilio error 21211\"},\"httpStatus\":502,"
                + "\"category\":\"TWILIO_ERROR\"}";
        ActionFailure failure = json.readValue(previous, KeyRecord.class).failure();
        assertEquals(ErrorCategory.TWILIO_ERROR, failure.category());
        assertEquals(502, failure.httpStatus());
        assertEquals(KeyRecord.MESSAGE_NOT_KEPT, failure.message());
    }
}
