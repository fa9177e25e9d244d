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
 * The audit trail: one line per make_call decision on the logger {@code voicegate.audit}, whose message is one JSON
 * object marked {@code "audit": true}. It holds the key's name, never a secret or hash, and masked numbers.
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

    private final ObjectMapper json;

    AuditTrail(ObjectMapper json) {
        this.json = json;
    }

    public void makeCall(String key, String accountSid, String to, String from, String rule, boolean replay,
            String callSid, String outcome) {
        Entry entry = new Entry(true, "make_call", key, accountSid, Redact.phone(to), Redact.phone(from),
                rule == null ? "allow" : "deny", rule, replay, callSid, outcome);
        try {
            LOG.info(json.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry is always serializable", e);
        }
    }
}
