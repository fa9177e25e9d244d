package dev.voicegate.console;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.voicegate.ledger.CallAttempt;
import dev.voicegate.ledger.CallDetails;
import dev.voicegate.ledger.Ledger;
import dev.voicegate.ledger.StatusEvent;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TwilioCalls;

/** Calls written straight into the ledger for the console's tests, as make_call and the callbacks would write them. */
final class SeededCalls {

    private SeededCalls() {
    }

    /** A call placed by {@code key} at {@code at}, with these callback statuses a second apart; its SID. */
    static String placed(Ledger ledger, String key, String to, String from, String twiml, Instant at, String... statuses) {
        return placedOn(ledger, TestAccounts.ACCOUNT_SID, key, to, from, twiml, at, statuses);
    }

    /** As {@link #placed}, on {@code accountSid}. */
    static String placedOn(Ledger ledger, String accountSid, String key, String to, String from, String twiml, Instant at,
            String... statuses) {
        String id = UUID.randomUUID().toString();
        ledger.attempted(new CallAttempt(id, accountSid, key, "rest", to, from, null, twiml, "idem-" + id,
                null, null, at, false, null));
        String sid = TwilioCalls.newSid();
        ledger.outcome(id, sid, "placed");
        for (int i = 0; i < statuses.length; i++) {
            ledger.event(sid, new StatusEvent(statuses[i], at.plusSeconds(i + 1), i, StatusEvent.Source.CALLBACK, null))
                    .await().indefinitely();
        }
        return sid;
    }

    /** The call's final details, with these recordings. */
    static void recorded(Ledger ledger, String sid, List<String> recordingSids) {
        ledger.details(sid, new CallDetails("31", "-0.013", "USD", "human", recordingSids));
    }

    static String recordingSid() {
        return "RE" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A mono 8 kHz 16-bit PCM WAV of silence. */
    static byte[] wav(int seconds) {
        int data = 8000 * 2 * seconds;
        ByteBuffer wav = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        return wav.array();
    }
}
