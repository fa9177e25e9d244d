package dev.voicegate.dnc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import dev.voicegate.Redact;
import dev.voicegate.access.CallTarget;
import dev.voicegate.access.PolicyDenial;
import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;
import io.smallrye.mutiny.Uni;

/**
 * The do-not-call list. Numbers are normalised to E.164 by libphonenumber and looked up by their SHA-256, so no store
 * key and no log line holds one. make_call checks it before anything is sent ({@link #check}), for every caller; an
 * unreachable store refuses the call (fails closed) unless {@code voicegate.do-not-call.fail-closed=false}.
 */
@ApplicationScoped
public class DoNotCall {

    /** The rule of a listed number, and of a list that could not be read. */
    public static final String RULE = "do-not-call";
    public static final String UNAVAILABLE = "do-not-call-unavailable";

    private static final Logger LOG = Logger.getLogger(DoNotCall.class);
    /** What an operator may write as a number: '+', digits and the usual separators, kept short. */
    private static final Pattern NUMBER = Pattern.compile("^\\+[0-9 ().-]{2,30}$");
    private static final Pattern HASH = Pattern.compile("^[0-9a-f]{64}$");

    private final DoNotCallStore store;
    private final Clock clock;
    private final boolean failClosed;

    @Inject
    DoNotCall(DoNotCallStore store, Clock clock, VoicegateConfig config) {
        this(store, clock, config.doNotCall().failClosed());
    }

    DoNotCall(DoNotCallStore store, Clock clock, boolean failClosed) {
        this.store = store;
        this.clock = clock;
        this.failClosed = failClosed;
    }

    /** Fails with {@link PolicyDenial} when the target's number is listed or the list cannot be read. */
    public Uni<Void> check(CallTarget target) {
        if (target == null) {
            return Uni.createFrom().voidItem();
        }
        String number = normalisedOrAsIs(target.to());
        String masked = Redact.phone(number);
        return store.contains(hash(number)).onFailure().recoverWithUni(failure -> {
            if (!failClosed) {
                LOG.warnf("The do-not-call list (%s) is unreachable: a make_call to %s goes on unchecked "
                        + "(voicegate.do-not-call.fail-closed=false)", store.kind(), masked);
                return Uni.createFrom().item(false);
            }
            LOG.warnf("The do-not-call list (%s) is unreachable: a make_call to %s was refused", store.kind(), masked);
            return Uni.createFrom().failure(new PolicyDenial(UNAVAILABLE, new ActionFailure(ErrorCategory.UPSTREAM_UNAVAILABLE, "the do-not-call "
                    + "list is unreachable, so the call was not placed (rule '" + UNAVAILABLE + "'). Retrying later "
                    + "may help.", 503, null)));
        }).invoke(listed -> {
            if (listed) {
                throw new PolicyDenial(RULE, new ActionFailure(ErrorCategory.FORBIDDEN, "'to' " + masked + " is on the "
                        + "do-not-call list (rule '" + RULE + "'); nothing was sent to Twilio. An operator may remove it "
                        + "with DELETE /v1/admin/do-not-call/{number}. Retrying will not help."));
            }
        }).replaceWithVoid();
    }

    public Uni<Optional<DoNotCallEntry>> find(String number) {
        return store.find(hash(number));
    }

    /** Lists the number (already {@link #normalise}d); true when it was not listed before. */
    public Uni<Boolean> add(String number, String reason, String addedBy) {
        return store.put(hash(number), new DoNotCallEntry(number, reason, clock.instant().toString(), addedBy));
    }

    /**
     * Lists the number (already {@link #normalise}d) unless it is listed already, for add_do_not_call: an agent never
     * replaces an entry, so an operator's reason and name stay. The entry it listed, or empty when it was listed.
     */
    public Uni<Optional<DoNotCallEntry>> addIfAbsent(String number, String reason, String addedBy) {
        DoNotCallEntry entry = new DoNotCallEntry(number, reason, clock.instant().toString(), addedBy);
        return store.putIfAbsent(hash(number), entry).map(added -> added ? Optional.of(entry) : Optional.empty());
    }

    public Uni<Boolean> remove(String number) {
        return store.remove(hash(number));
    }

    /** A page of up to {@code size} entries after {@code token} (null: the first page). */
    public Uni<DoNotCallPage> page(String token, int size) {
        if (token != null && !HASH.matcher(token).matches()) {
            throw ActionException.invalid("'page_token' is not a token this endpoint made: use next_page_token as it is");
        }
        return store.page(token, size);
    }

    /** The number in E.164, or {@code invalid_request} naming it masked. */
    public String normalise(String number) {
        return e164(number);
    }

    /** As {@link #normalise}, for input validation where no bean is at hand. */
    public static String e164(String number) {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        String masked = number == null ? "" : Redact.phone(number);
        if (number == null || !NUMBER.matcher(number).matches()) {
            throw ActionException.invalid("the number must be in E.164 format, e.g. +14155550123 (got '" + masked + "')");
        }
        try {
            var parsed = phones.parse(number, "ZZ");
            if (!phones.isPossibleNumber(parsed)) {
                throw ActionException.invalid("'" + masked + "' is not a possible phone number");
            }
            return phones.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw ActionException.invalid("'" + masked + "' is not a phone number in E.164 format");
        }
    }

    private String normalisedOrAsIs(String number) {
        try {
            return normalise(number);
        } catch (ActionException e) {
            return number;
        }
    }

    /** SHA-256 of the E.164 number, hex: what the stores key by. */
    static String hash(String e164) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("voicegate-dnc:" + e164).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
