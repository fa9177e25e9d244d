package dev.voicegate.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.voicegate.voice.RecordingFanOut.Lookup;

/** list_calls' partial error: which calls' recording_sids are not the whole list, and why. */
class PartialErrorTest {

    static Lookup complete(String call) {
        return new Lookup(call, List.of("RE1"), Lookup.Outcome.COMPLETE);
    }

    static Lookup cutShort(String call) {
        return new Lookup(call, List.of("RE1"), Lookup.Outcome.CUT_SHORT);
    }

    @Test
    void noneWhenEveryListIsComplete() {
        assertNull(ListCallsAction.partialError(List.of(complete("CA1"), complete("CA2"))));
        assertNull(ListCallsAction.partialError(List.of()));
    }

    @Test
    void failedLookupsKeepTheirWording() {
        assertEquals("partial: the recordings of 1 of 2 calls could not be looked up (CA2); their recording_sids are "
                + "empty because they are unknown, not because there are none. Retrying may help.",
                ListCallsAction.partialError(List.of(complete("CA1"), Lookup.failed("CA2"))));
    }

    @Test
    void bothKindsAreReportedOneSentenceEach() {
        assertEquals("partial: the recordings of 1 of 3 calls could not be looked up (CA3); their recording_sids are "
                + "empty because they are unknown, not because there are none. Retrying may help. The recordings of "
                + "2 of 3 calls run past the 10 pages read per call (CA1, CA2); their recording_sids hold only those "
                + "pages. Retrying will not help.",
                ListCallsAction.partialError(List.of(cutShort("CA1"), cutShort("CA2"), Lookup.failed("CA3"))));
    }
}
