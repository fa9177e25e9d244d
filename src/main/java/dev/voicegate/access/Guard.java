package dev.voicegate.access;

import static dev.voicegate.access.Policy.ADD_DO_NOT_CALL;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import dev.voicegate.Redact;
import dev.voicegate.config.PolicyCheck;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import dev.voicegate.suspension.Suspensions;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The policy's static rules, checked once per request before anything is sent: the actions and accounts a caller
 * may use and, for a request that places a call, the toll-fraud guard and the caller's destinations and caller
 * IDs, and its calling hours at the called party's local time. The guard applies to every caller, pass-through
 * credentials included: high-risk ranges, numbers that are not valid for their region, and blocked number types
 * (premium rate, shared cost by default). What only operators may do (the ledger) is checked by
 * {@link #checkOperator}. Each denial is {@code forbidden}, names the rule (the
 * setting) and says how to change it.
 */
@ApplicationScoped
public class Guard {

    /** The rule (setting) of calling hours. */
    public static final String HOURS = "calling-hours";
    /** The rule (setting) that opens add_do_not_call to an agent key. */
    public static final String ADD_DO_NOT_CALL_RULE = "add-do-not-call";

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final Set<PhoneNumberType> blockedTypes = EnumSet.noneOf(PhoneNumberType.class);
    private final List<String> blockedPrefixes;
    private final Suspensions suspensions;
    private final Clock clock;

    /** A guard that knows no suspensions, on the system clock (tests of the static rules). */
    public Guard(VoicegateConfig config) {
        this(config, null, Clock.systemUTC());
    }

    @Inject
    public Guard(VoicegateConfig config, Suspensions suspensions, Clock clock) {
        this.suspensions = suspensions;
        this.clock = clock;
        // Unknown type names stop the start-up (ConfigCheck); here they are skipped.
        for (String type : PolicyCheck.listOrNone(config.policy().blockedNumberTypes())) {
            try {
                blockedTypes.add(PhoneNumberType.valueOf(type.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                // reported by ConfigCheck
            }
        }
        this.blockedPrefixes = PolicyCheck.listOrNone(config.policy().blockedPrefixes()).stream().map(String::trim).toList();
    }

    /**
     * Loads libphonenumber's metadata at start-up rather than on the first make_call, on a worker thread: readiness
     * does not wait for it (static, so this does not create the bean on the start-up path either).
     */
    static void warmUp(@Observes StartupEvent event) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
            try {
                PhoneNumber number = phones.parse("+14155551234", "ZZ");
                phones.isValidNumber(number);
                PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
            } catch (NumberParseException e) {
                throw new IllegalStateException("a valid E.164 number did not parse", e);
            }
        });
    }

    public List<String> blockedNumberTypes() {
        return blockedTypes.stream().map(Enum::name).toList();
    }

    public List<String> blockedPrefixes() {
        return blockedPrefixes;
    }

    /** Throws {@link PolicyDenial} ({@code forbidden}) when the caller's policy refuses the request. */
    public void check(Caller caller, String action, String accountSid, CallTarget target) {
        checkSuspended(caller);
        Policy policy = caller.policy();
        if (!policy.allows(action) && policy.role() == Role.OPERATOR && policy.actions().isEmpty()) {
            throw forbidden("role", "the role of " + policy.holder() + " is operator: it reads the call ledger and runs "
                    + "no actions, not " + action, "list the actions it may run in " + policy.setting("actions")
                    + ", or use an agent key");
        }
        if (ADD_DO_NOT_CALL.equals(action) && !policy.mayAddDoNotCall()) {
            throw forbidden(ADD_DO_NOT_CALL_RULE, policy.holder() + " may not add numbers to the do-not-call list",
                    policy.named() ? "set " + policy.setting(ADD_DO_NOT_CALL_RULE) + "=true" : "use a named key whose "
                            + "voicegate.access.keys.<name>." + ADD_DO_NOT_CALL_RULE + " is true (unnamed keys and "
                            + "pass-through credentials may not)");
        }
        if (!policy.allows(action)) {
            throw forbidden("actions", policy.holder() + " may not use " + action + "; it may use "
                    + String.join(", ", policy.actions()), "add " + action + " to " + policy.setting("actions"));
        }
        if (!policy.allowsAccount(accountSid)) {
            throw forbidden("accounts", policy.holder() + " may not use account " + accountSid,
                    "add it to " + policy.setting("accounts"));
        }
        if (target != null) {
            checkCall(policy, target);
        }
    }

    /**
     * Throws {@link PolicyDenial} (rule {@code suspended}) when an operator has suspended the caller's named key: a
     * lookup in this replica's copy of the suspensions, kept fresh from the shared store.
     */
    public void checkSuspended(Caller caller) {
        if (suspensions == null || !caller.policy().named()) {
            return;
        }
        suspensions.of(caller.name()).ifPresent(s -> {
            throw forbidden("suspended", caller.policy().holder() + " was suspended by operator key '" + s.by()
                    + "' at " + s.since() + (s.reason() == null ? "" : ": " + s.reason()),
                    "an operator key resumes it (POST /v1/admin/keys/" + caller.name() + "/resume)");
        });
    }

    /**
     * Throws {@link PolicyDenial} (rule {@code role}) unless the caller is an operator, or (rule {@code suspended}) if
     * it is a suspended one: every operator surface (ledger, controls, approvals, do-not-call) checks here.
     * {@code what}: what it wanted to do.
     */
    public void checkOperator(Caller caller, String what) {
        Policy policy = caller.policy();
        if (!caller.operator()) {
            throw forbidden("role", "only operator keys may " + what + "; the role of " + policy.holder() + " is "
                    + caller.role().wire(), policy.named() ? "set " + policy.setting("role") + " to operator, or use "
                    + "an operator key" : "use a named key whose voicegate.access.keys.<name>.role is operator");
        }
        checkSuspended(caller);
    }

    /** Whether end_call may end any call for this caller: operators, and keys with {@code end-any-call=true}. */
    public boolean mayEndAnyCall(Caller caller) {
        return caller.operator() || caller.policy().endAnyCall();
    }

    /**
     * Throws {@link PolicyDenial} (rule {@code end-call}) unless the caller may end the call: any call when
     * {@link #mayEndAnyCall}, else only one the ledger shows it placed on that account. {@code placedBy} and
     * {@code placedOn} are the ledger's key and account for the call, null when the ledger does not know it.
     */
    public void checkEndCall(Caller caller, String accountSid, String callSid, String placedBy, String placedOn) {
        if (mayEndAnyCall(caller)
                || (caller.name().equals(placedBy) && placedOn != null && placedOn.equalsIgnoreCase(accountSid))) {
            return;
        }
        Policy policy = caller.policy();
        String why = placedBy == null ? "the call ledger has no call " + callSid + " (Voicegate did not place it, or "
                + "no longer remembers it)" : "the call ledger shows call " + callSid + " as placed by another caller "
                + "or on another account";
        throw forbidden("end-call", policy.holder() + " may end only the calls it placed itself, and " + why,
                policy.named() ? "set " + policy.setting("end-any-call") + "=true, or use an operator key"
                        : "use a named key whose voicegate.access.keys.<name>.end-any-call is true, or an operator key");
    }

    /**
     * Throws {@link PolicyDenial} (rule {@code accounts}) unless the caller may use the account; null stands for every
     * account, which a caller limited to some accounts may not ask for.
     */
    public void checkAccount(Caller caller, String accountSid) {
        Policy policy = caller.policy();
        if (accountSid == null && policy.accounts() != null) {
            throw forbidden("accounts", policy.holder() + " may use only " + String.join(", ", policy.accounts())
                    + ", not every account", "name one of them in 'account_sid', or remove " + policy.setting("accounts"));
        }
        if (accountSid != null && !policy.allowsAccount(accountSid)) {
            throw forbidden("accounts", policy.holder() + " may not use account " + accountSid,
                    "add it to " + policy.setting("accounts"));
        }
    }

    private void checkCall(Policy policy, CallTarget target) {
        String to = target.to();
        String masked = Redact.phone(to);
        String range = blockedPrefixes.stream().filter(to::startsWith).findFirst().orElse(null);
        if (range != null && !optedIn(policy, range, to)) {
            throw forbidden("blocked-prefixes", "'to' " + masked + " is in " + range + ", an international "
                    + "premium-rate or satellite range often used for toll fraud", "add " + range
                    + " (or a narrower prefix) to " + policy.destinationsSetting()
                    + ", or remove it from voicegate.policy.blocked-prefixes");
        }
        PhoneNumber number = parse(to);
        if (number == null || !phones.isValidNumber(number)) {
            throw forbidden("valid-number", "'to' " + masked + " is not a valid phone number for its country "
                    + "(libphonenumber)", "correct the number; no setting allows invalid numbers");
        }
        String where = where(number);
        PhoneNumberType type = phones.getNumberType(number);
        if (blockedTypes.contains(type)) {
            throw forbidden("blocked-number-types", "'to' " + masked + " is a " + type + " number (" + where + ")",
                    "remove " + type + " from voicegate.policy.blocked-number-types to allow such numbers");
        }
        if (policy.destinations() != null && policy.destinations().stream().noneMatch(d -> matches(d, to, number))) {
            throw forbidden("destinations", policy.holder() + " may call only " + String.join(", ",
                    policy.destinations()) + ", and 'to' " + masked + " is in " + where, "add " + where
                    + " or a prefix of the number to " + policy.destinationsSetting());
        }
        if (policy.from() != null && !policy.from().contains(target.from())) {
            throw forbidden("from", policy.holder() + " may call only from " + String.join(", ",
                    policy.from().stream().map(Redact::phone).toList()) + ", not from " + Redact.phone(target.from()),
                    "add the number to " + policy.setting("from"));
        }
        if (policy.callingHours() != null) {
            CallingHoursRule.check(policy, number, masked, clock.instant());
        }
    }

    /** A destination that names the blocked range, or a narrower prefix of it, lets the caller call there. */
    private static boolean optedIn(Policy policy, String range, String to) {
        return policy.destinations() != null && policy.destinations().stream()
                .anyMatch(d -> d.startsWith(range) && to.startsWith(d));
    }

    private boolean matches(String destination, String to, PhoneNumber number) {
        return destination.startsWith("+") ? to.startsWith(destination)
                : destination.equalsIgnoreCase(phones.getRegionCodeForNumber(number));
    }

    /** The number's country, or its non-geographic range (e.g. satellite +881). */
    private String where(PhoneNumber number) {
        String region = phones.getRegionCodeForNumber(number);
        return region == null || region.equals(PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY)
                ? "the non-geographic range +" + number.getCountryCode() : region;
    }

    private PhoneNumber parse(String e164) {
        try {
            // "ZZ": no default region; 'to' is E.164 (checked by the input's validation), so none is needed.
            return phones.parse(e164, "ZZ");
        } catch (NumberParseException e) {
            return null;
        }
    }

    static PolicyDenial forbidden(String rule, String what, String change) {
        return new PolicyDenial(rule, new ActionFailure(ErrorCategory.FORBIDDEN, what + " (rule '" + rule + "'). To change it, " + change + ". Retrying will not help."));
    }
}
