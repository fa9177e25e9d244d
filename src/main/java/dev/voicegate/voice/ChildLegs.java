package dev.voicegate.voice;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.voicegate.Sid;
import dev.voicegate.twilio.PageCursor;
import dev.voicegate.twilio.TwilioCall;
import dev.voicegate.twilio.TwilioRecordingPage;

/**
 * What the recordings list's first page, read beside the calls page ({@link RecordingJoin#head}), says of child legs.
 * <p>
 * A child leg's recordings cannot be joined: the account list files them under the parent's SID (TWILIO.md §6). But
 * they are in that list, created at or after the leg itself. So when the page reaches back past a leg's creation (or
 * the list ends on it), and holds no recording of its parent created since then and none filed under the leg's own
 * SID, the leg has no recordings, and needs no lookup of its own. Any doubt (a recording in the same second, an
 * undated one, a page that stops short) leaves the leg to its lookup.
 */
final class ChildLegs {

    private ChildLegs() {
    }

    /** The SIDs of the child legs among {@code calls} that {@code head} shows to have no recordings. */
    static Set<String> withoutRecordings(RecordingJoin.Head head, List<TwilioCall> calls) {
        List<TwilioCall> legs = calls.stream().filter(ChildLegs::dated).toList();
        if (head == null || legs.isEmpty()) {
            return Set.of();
        }
        Set<String> asked = new HashSet<>();
        legs.forEach(leg -> {
            asked.add(leg.sid());
            asked.add(leg.parentCallSid());
        });
        // The newest recording filed under each SID asked about (an undated one counts as the newest possible), and
        // how far back the page reaches.
        Map<String, OffsetDateTime> newest = new HashMap<>();
        OffsetDateTime reachedBack = null;
        for (TwilioRecordingPage.Entry recording : head.page().recordingsOrEmpty()) {
            OffsetDateTime at = WireValues.instant(recording.dateCreated());
            if (at != null && (reachedBack == null || at.isBefore(reachedBack))) {
                reachedBack = at;
            }
            if (recording.callSid() != null && asked.contains(recording.callSid())) {
                newest.merge(recording.callSid(), at == null ? OffsetDateTime.MAX : at, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        boolean listEnded = PageCursor.fromNextPageUri(head.page().nextPageUri()) == null;
        Set<String> none = new HashSet<>();
        for (TwilioCall leg : legs) {
            OffsetDateTime created = WireValues.instant(leg.dateCreated());
            OffsetDateTime parents = newest.get(leg.parentCallSid());
            boolean seenSinceCreated = listEnded || (reachedBack != null && reachedBack.isBefore(created));
            if (seenSinceCreated && !newest.containsKey(leg.sid()) && (parents == null || parents.isBefore(created))) {
                none.add(leg.sid());
            }
        }
        return none;
    }

    /** A child leg whose SID, parent's SID and creation time are all readable. */
    private static boolean dated(TwilioCall call) {
        return Sid.CALL.matches(call.sid()) && call.parentCallSid() != null && Sid.CALL.matches(call.parentCallSid())
                && WireValues.instant(call.dateCreated()) != null;
    }
}
