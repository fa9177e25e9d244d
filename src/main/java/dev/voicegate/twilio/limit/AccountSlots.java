package dev.voicegate.twilio.limit;

import java.util.ArrayDeque;

/**
 * One account's slots in {@link AccountLimiter}: what is in flight and the two queues. Guarded by its own monitor;
 * {@code retired} once removed from the limiter's map. A queue is never longer than zero while a slot is free:
 * a released slot is handed to the next waiting request directly.
 */
final class AccountSlots {

    int inFlight;
    /** First requests among those in flight: their actions' follow-ups are still to come. */
    int firstsInFlight;
    final ArrayDeque<SlotTicket> followUps = new ArrayDeque<>();
    final ArrayDeque<SlotTicket> firsts = new ArrayDeque<>();
    boolean retired;

    /** The next request to get a freed slot: the longest-waiting follow-up, else the longest-waiting first. */
    SlotTicket next() {
        SlotTicket next = followUps.pollFirst();
        return next != null ? next : firsts.pollFirst();
    }

    void enqueue(SlotTicket ticket) {
        (ticket.turn == Turn.FIRST ? firsts : followUps).addLast(ticket);
    }

    void dequeue(SlotTicket ticket) {
        (ticket.turn == Turn.FIRST ? firsts : followUps).remove(ticket);
    }

    /** A slot now belongs to a request of this turn. */
    void taken(Turn turn) {
        if (turn == Turn.FIRST) {
            firstsInFlight++;
        }
    }

    /** A request of this turn no longer holds its slot. */
    void given(Turn turn) {
        if (turn == Turn.FIRST) {
            firstsInFlight--;
        }
    }
}
