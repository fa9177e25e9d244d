package dev.voicegate.quota;

import java.util.List;

import org.jboss.logging.Logger;

import dev.voicegate.access.Caller;
import dev.voicegate.access.Policy;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.observability.PolicyMetrics;
import io.smallrye.mutiny.Uni;

/**
 * One request's way through its caller's quotas, and the policy rule that refused it, if one did (for the audit
 * trail and the denial metrics). The dispatcher counts the request; make_call takes a call just before it is
 * sent, so validation failures, denials and idempotent replays never count. A caller without quotas never touches
 * the store. Store unreachable: make_call fails closed, other actions go on.
 */
public final class Allowance {

    private static final Logger LOG = Logger.getLogger(Allowance.class);
    /** The rule an unreachable store refuses a make_call by. */
    public static final String UNAVAILABLE = "quota-unavailable";

    /** One call taken from the quotas; given back when the call was provably not placed. */
    public record Spent(Allowance allowance, List<Window> windows, String ticket) {

        public Uni<Void> giveBack() {
            return ticket == null ? Uni.createFrom().voidItem() : allowance.giveBack(this);
        }
    }

    private final Caller caller;
    private final QuotaStore store;
    private final PolicyMetrics metrics;
    private volatile String refusedBy;

    Allowance(Caller caller, QuotaStore store, PolicyMetrics metrics) {
        this.caller = caller;
        this.store = store;
        this.metrics = metrics;
    }

    /** The rule that refused this request, or null. */
    public String refusedBy() {
        return refusedBy;
    }

    /** Notes the rule that refused this request. */
    public void refused(String rule) {
        refusedBy = rule;
    }

    /** Counts this request against {@code max-requests-per-minute}; fails with {@link PolicyDenial} when it is used up. */
    public Uni<Void> countRequest(boolean placesCall) {
        List<Window> windows = Window.requests(caller.policy().limits());
        if (windows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.take(counter(), windows)
                .map(verdict -> decided(verdict, windows, "requests", "nothing was sent to Twilio"))
                .onFailure(failure -> !(failure instanceof PolicyDenial)).recoverWithUni(failure -> {
                    if (placesCall) {
                        return Uni.createFrom().failure(unavailable());
                    }
                    LOG.warnf("Quota store (%s) unreachable: request of %s let through uncounted", store.kind(), caller.name());
                    return Uni.createFrom().nullItem();
                })
                .replaceWithVoid();
    }

    /** Takes one call from the caller's call quotas, just before it is sent; fails with {@link PolicyDenial}. */
    public Uni<Spent> takeCall() {
        Policy.Limits limits = caller.policy().limits();
        if (!limits.limitsCalls()) {
            return Uni.createFrom().item(new Spent(this, List.of(), null));
        }
        List<Window> windows = Window.calls(limits);
        return store.take(counter(), windows)
                .onFailure().transform(failure -> unavailable())
                .map(verdict -> decided(verdict, windows, "calls", "the call was not placed"))
                .map(verdict -> new Spent(this, windows, verdict.ticket()))
                .onFailure(PolicyDenial.class).invoke(denial -> refused(((PolicyDenial) denial).rule()));
    }

    private Uni<Void> giveBack(Spent spent) {
        return store.giveBack(counter(), spent.windows(), spent.ticket())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Quota store (%s) unreachable: a call that was not placed still counts for %s",
                            store.kind(), caller.name());
                    return null;
                });
    }

    private Verdict decided(Verdict verdict, List<Window> windows, String what, String consequence) {
        if (verdict.allowed()) {
            for (int i = 0; i < windows.size(); i++) {
                metrics.remaining(caller.name(), windows.get(i).name(), verdict.remaining().get(i));
            }
            return verdict;
        }
        Window full = verdict.exceeded();
        metrics.remaining(caller.name(), full.name(), 0);
        long seconds = Math.max(1, (verdict.retryAfter().toMillis() + 999) / 1000);
        throw new PolicyDenial(full.rule(), new ActionFailure(ErrorCategory.RATE_LIMITED, caller.policy().holder()
                + " has used its " + full.limit() + " " + what + " " + full.span() + " (rule '" + full.rule() + "'); "
                + consequence + ". To change it, raise " + caller.policy().setting(full.rule()) + ". Retry after "
                + seconds + " s.", ErrorCategory.RATE_LIMITED.httpStatus(), verdict.retryAfter()));
    }

    private PolicyDenial unavailable() {
        LOG.warnf("Quota store (%s) unreachable: make_call of %s refused", store.kind(), caller.name());
        return new PolicyDenial(UNAVAILABLE, new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the quota store is "
                + "unreachable, so the call was not placed (" + caller.policy().holder() + " has quotas that could not "
                + "be checked). Retrying later may help.", 503, null));
    }

    // Quotas belong to named keys only (unnamed keys and pass-through credentials have none).
    private String counter() {
        return counter(caller.name());
    }

    static String counter(String keyName) {
        return "key:" + keyName;
    }
}
