package dev.voicegate.twilio.limit;

/**
 * Where a Twilio request stands in the action that sends it, said by the action itself at each call of
 * the Twilio client: it decides the request's place in {@link AccountLimiter}. A retry keeps its request's turn.
 */
public enum Turn {

    /**
     * The first Twilio request of a new action (list_calls' page of calls, make_call's create, get_call's first
     * fetch, get_recording's recording, a media download). It waits behind every follow-up, and is refused at the
     * door, before anything is sent, when the account cannot take it soon.
     */
    FIRST,

    /**
     * A later request of an action already under way (recording lookups and join pages, get_recording's
     * transcriptions, get_call's polls and its recording lookup). It goes ahead of every first request and is never
     * refused by the limiter: admitted work is finished rather than wasted half-way.
     */
    FOLLOW_UP
}
