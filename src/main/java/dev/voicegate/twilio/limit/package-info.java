/**
 * Voicegate's own bound on Twilio requests in flight per account ({@link dev.voicegate.twilio.limit.AccountLimiter}),
 * shared by every replica through Redis when one is configured ({@link dev.voicegate.twilio.limit.SharedBudget}), so
 * that the service stays under Twilio's per-account concurrency limit instead of finding it. It knows nothing of the
 * Twilio client: the client takes a lease around each attempt and maps a {@link
 * dev.voicegate.twilio.limit.LimitReachedException} to its own failure type.
 * <p>
 * Glossary:
 * <dl>
 * <dt>slot</dt>
 * <dd>Room for one request in flight to one account: {@code TWILIO_MAX_CONCURRENT_PER_ACCOUNT} per account.</dd>
 * <dt>lease</dt>
 * <dd>A slot held by one request until {@code release()}: for a REST attempt until its answer, for a media download
 * until its last byte. With Redis, one lease is a local slot plus one of the shared budget.</dd>
 * <dt>turn</dt>
 * <dd>Where a request stands in its action: {@code FIRST} (a new action's first request: waits behind every
 * follow-up, may be refused at the door) or {@code FOLLOW_UP} (a later request of an action under way: served first,
 * never refused, waits as long as its caller does).</dd>
 * <dt>door</dt>
 * <dd>Where a first request that finds no free slot is refused at once, nothing sent: when {@code max-queued} first
 * requests already wait, or when the estimated wait is above the admission wait.</dd>
 * <dt>ticket</dt>
 * <dd>One request's way through the local limiter: a place in its turn's queue, then a slot, then nothing.</dd>
 * <dt>share</dt>
 * <dd>While Redis is unreachable, each replica keeps to its local share of an account's slots
 * ({@code TWILIO_LOCAL_SHARE_PER_ACCOUNT}, default a quarter of the bound) until Redis answers again.</dd>
 * <dt>queue wait</dt>
 * <dd>How long a queued first request may wait for a slot, local and shared together ({@code max-queue-wait}); then it
 * fails, nothing sent.</dd>
 * <dt>admission wait</dt>
 * <dd>The longest estimated wait the door lets a first request queue for ({@code max-admission-wait}); above it the
 * request is refused at once.</dd>
 * </dl>
 */
package dev.voicegate.twilio.limit;
