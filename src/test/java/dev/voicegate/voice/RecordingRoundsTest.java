package dev.voicegate.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Lookups beside the join go in as few rounds as the slots allow, each as full as the others. */
class RecordingRoundsTest {

    @Test
    void asFewRoundsAsTheSlotsAllowEvenlyFilled() {
        assertEquals(1, RecordingFanOut.evenly(0, 31));
        assertEquals(3, RecordingFanOut.evenly(3, 31));
        assertEquals(31, RecordingFanOut.evenly(31, 31));
        assertEquals(16, RecordingFanOut.evenly(32, 31)); // two rounds of 16, not 31 and 1
        assertEquals(25, RecordingFanOut.evenly(50, 31)); // the bench's page of 1000: two rounds of 25
        assertEquals(21, RecordingFanOut.evenly(63, 31)); // three rounds of 21
        assertEquals(1, RecordingFanOut.evenly(5, 1));
    }
}
