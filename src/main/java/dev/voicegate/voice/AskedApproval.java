package dev.voicegate.voice;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import dev.voicegate.Redact;
import dev.voicegate.access.Caller;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.approval.Approval;
import dev.voicegate.approval.Approvals;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.observability.AuditTrail;
import dev.voicegate.voice.Confirmation.Answer;
import io.smallrye.mutiny.Uni;

/**
 * Approval before dialing asked of the human behind the request ({@link Confirmation}, e.g. MCP form elicitation)
 * instead of an operator, within the same request. Yes places the call; no, a dismissal or no answer within
 * {@code voicegate.approval.timeout} refuses it (rule {@code approval}) with nothing sent. With an idempotency key,
 * the pending approval it belongs to records a yes or a no (so a repeat replays or stays refused), while a dismissal
 * or silence leaves it pending. The call is placed only on a yes that the approval, if any, still agrees with.
 */
@ApplicationScoped
class AskedApproval {

    private static final int SUMMARY = 100;

    private final Approvals approvals;
    private final AuditTrail audit;
    private final Duration timeout;

    AskedApproval(Approvals approvals, AuditTrail audit, VoicegateConfig config) {
        this.approvals = approvals;
        this.audit = audit;
        this.timeout = config.approval().timeout();
    }

    /** Asks; {@code approval} is the pending approval of this request's idempotency key, or null without one. */
    Uni<ActionResult<MakeCallOutput>> run(MakeCallInput input, Caller caller, Confirmation confirmation,
            Approval approval, Supplier<Uni<ActionResult<MakeCallOutput>>> proceed) {
        String by = caller.name() + " via " + confirmation.via();
        return confirmation.ask(question(input, caller), timeout).flatMap(answer -> {
            audit.operator(by, answer == Answer.APPROVED ? "approve_call" : "deny_call",
                    (approval == null ? "" : approval.id() + " ") + Redact.phone(input.to()) + " (" + told(answer) + ")");
            boolean decided = answer == Answer.APPROVED || answer == Answer.DECLINED;
            if (approval == null || !decided) {
                return answer == Answer.APPROVED ? proceed.get() : refused(answer, approval, confirmation);
            }
            Approval.State state = answer == Answer.APPROVED ? Approval.State.APPROVED : Approval.State.DENIED;
            // The first decision stands: an operator's, made while the human was asked, wins over this one.
            return approvals.decide(approval.id(), state, by).flatMap(recorded -> {
                boolean agreed = recorded == null || recorded.state() == state;
                if (answer == Answer.APPROVED && agreed) {
                    return proceed.get();
                }
                return agreed ? refused(answer, approval, confirmation) : ApprovalGate.denied(recorded);
            });
        });
    }

    /** The question: who asks, the masked number with its country, the caller ID and what the call will play. */
    String question(MakeCallInput input, Caller caller) {
        return "Approve this phone call? Key '" + caller.name() + "' asks to call " + Redact.phone(input.to()) + " ("
                + country(input.to()) + ") from " + input.from() + " with " + summary(input) + ". Nothing is dialled "
                + "until you answer; answering no, dismissing this or not answering within " + seconds(timeout)
                + " refuses the call.";
    }

    private static String summary(MakeCallInput input) {
        if (input.url() != null) {
            // Host and path only: a query string may carry a token.
            URI url = URI.create(input.url());
            return "the TwiML at " + shorten(url.getHost() + (url.getRawPath() == null ? "" : url.getRawPath()));
        }
        return "the TwiML " + shorten(input.twiml().strip().replaceAll("\\s+", " "));
    }

    private static String shorten(String text) {
        return text.length() > SUMMARY ? text.substring(0, SUMMARY) + "…" : text;
    }

    /** The region of the number by libphonenumber, e.g. {@code US}. */
    private static String country(String to) {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        try {
            String region = phones.getRegionCodeForNumber(phones.parse(to, "ZZ"));
            return region == null || "ZZ".equals(region) ? "country unknown"
                    : "001".equals(region) ? "an international network" : region;
        } catch (NumberParseException e) {
            return "country unknown";
        }
    }

    private Uni<ActionResult<MakeCallOutput>> refused(Answer answer, Approval approval, Confirmation confirmation) {
        String retry = approval == null || answer != Answer.DECLINED ? " Asking again is a new question."
                : " This idempotency_key stays refused (approval_id " + approval.id() + "); to call anyway, use a new one.";
        String pending = approval == null || answer == Answer.DECLINED ? ""
                : " Approval " + approval.id() + " stays pending: an operator may still approve it.";
        return Uni.createFrom().failure(new PolicyDenial("approval", new ActionFailure(ErrorCategory.FORBIDDEN,
                "this call needed approval; asked through " + confirmation.via() + ", it was " + told(answer)
                        + " (rule 'approval'); "
                        + "nothing was sent to Twilio." + pending + retry)));
    }

    private String told(Answer answer) {
        return switch (answer) {
            case APPROVED -> "approved";
            case DECLINED -> "declined";
            case CANCELLED -> "cancelled";
            case TIMED_OUT -> "not answered within " + seconds(timeout);
        };
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
