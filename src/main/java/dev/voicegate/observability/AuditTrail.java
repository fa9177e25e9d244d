package dev.voicegate.observability;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.Redact;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The audit trail, on the logger {@code voicegate.audit}: one line per make_call decision, per end_call, per operator action, per add_do_not_call
 * (e.g. a read of the call ledger) and per refusal it is told of, each message one JSON object marked
 * {@code "audit": true}. It holds the key's name, never a secret or hash, and masked numbers. Each refusal is also
 * kept, briefly, in {@link RecentDenials}, and each line but an operator's read in {@link RecentAudit}.
 */
@ApplicationScoped
public class AuditTrail {

    /** The logger category operators route or keep: {@code quarkus.log.category."voicegate.audit"}. */
    public static final String CATEGORY = "voicegate.audit";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    /**
     * One make_call decision: {@code decision} is {@code allow} or {@code deny}, {@code rule} the setting that
     * denied it, {@code outcome} "success" or the error category.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(boolean audit, String action, String key, String accountSid, String to, String from,
            String decision, String rule, boolean replay, String callSid, String outcome) {
    }

    /**
     * Any other decision: an operator's action ({@code allow}) or a refusal ({@code deny}, with the rule that refused,
     * e.g. {@code role}). {@code target} is what it was about (a call SID, a listing's filters), numbers masked.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Decision(boolean audit, String action, String key, String target, String decision, String rule) {
    }

    /**
     * One end_call that the policy let through: {@code outcome} "success" or the error category, {@code status} the
     * call's status after it and {@code ended_by_this_request} as answered (both null on a failure).
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Ending(boolean audit, String action, String key, String accountSid, String callSid, String decision,
            String outcome, String status, Boolean endedByThisRequest) {
    }

    private final ObjectMapper json;
    private final RecentDenials denials;
    private final RecentAudit recent;

    AuditTrail(ObjectMapper json, RecentDenials denials, RecentAudit recent) {
        this.json = json;
        this.denials = denials;
        this.recent = recent;
    }

    public void makeCall(String key, String accountSid, String to, String from, String rule, boolean replay,
            String callSid, String outcome) {
        if (rule != null) {
            denials.record(key, rule, "make_call");
        }
        Entry entry = new Entry(true, "make_call", key, accountSid, Redact.phone(to), Redact.phone(from),
                rule == null ? "allow" : "deny", rule, replay, callSid, outcome);
        write(entry);
        recent.add(key, entry.action(), callSid != null ? callSid + " to " + entry.to() : "to " + entry.to(),
                entry.decision(), rule, replay ? "replay" : outcome);
    }

    /** {@code key} ran end_call on a call (refusals are {@link #refused} lines). */
    public void endCall(String key, String accountSid, String callSid, String outcome, String status,
            Boolean endedByThisRequest) {
        write(new Ending(true, "end_call", key, accountSid, callSid, "allow", outcome, status, endedByThisRequest));
        recent.add(key, "end_call", callSid, "allow", null, outcome);
    }

    /** An operator did {@code action} on {@code target} (caller-supplied text must arrive validated and masked). */
    public void operator(String key, String action, String target) {
        allowed(key, action, target);
    }

    /** An operator read {@code target} (the ledger, a list): a log line only, not one of the {@link RecentAudit}. */
    public void read(String key, String action, String target) {
        write(new Decision(true, action, key, Redact.phonesIn(target), "allow", null));
    }

    /** {@code key} was let do {@code action} on {@code target}, as {@link #operator}: e.g. an agent's add_do_not_call. */
    public void allowed(String key, String action, String target) {
        Decision decision = new Decision(true, action, key, Redact.phonesIn(target), "allow", null);
        write(decision);
        recent.add(key, action, decision.target(), "allow", null, null);
    }

    /** {@code key} was refused {@code action} (on {@code target}, or null) by the rule (setting) {@code rule}. */
    public void refused(String key, String action, String target, String rule) {
        denials.record(key, rule, action);
        Decision decision = new Decision(true, action, key, Redact.phonesIn(target), "deny", rule);
        write(decision);
        recent.add(key, action, decision.target(), "deny", rule, null);
    }

    private void write(Object entry) {
        try {
            LOG.info(json.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry is always serializable", e);
        }
    }
}
