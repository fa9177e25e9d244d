package dev.voicegate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import dev.voicegate.Redact;
import dev.voicegate.Sid;

/**
 * The start-up check of service keys and policies ({@link ConfigCheck}): names, secret hashes, roles, accounts,
 * destinations, caller IDs, quotas, calling hours and the toll-fraud settings, each problem on one line naming the setting.
 */
public final class PolicyCheck {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-fA-F]{64}$");
    private static final Pattern PREFIX = Pattern.compile("^\\+[1-9][0-9]{0,14}$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{1,14}$");
    private static final Pattern HOURS = Pattern.compile("^([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d$");
    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
    /** The values of {@code voicegate.access.keys.<name>.role} (access.Role, which config may not depend on). */
    private static final Set<String> ROLES = Set.of("agent", "operator");
    /** The values of {@code voicegate.access.keys.<name>.approval}. */
    public static final List<String> APPROVALS = List.of("never", "new-numbers", "always");

    private PolicyCheck() {
    }

    /** A list setting in which {@code NONE} stands for the empty list (an empty value reads as unset). */
    public static List<String> listOrNone(List<String> values) {
        return values.size() == 1 && values.get(0).trim().equalsIgnoreCase("NONE") ? List.of() : values;
    }

    static List<String> problems(VoicegateConfig config) {
        List<String> problems = new ArrayList<>();
        Set<String> accounts = serverSideAccounts(config.twilio());
        Map<String, String> hashes = new HashMap<>();
        config.access().serviceApiKeys().orElse(List.of()).stream().map(String::trim).filter(key -> !key.isEmpty())
                .forEach(key -> hashes.put(sha256Hex(key), "a key in SERVICE_API_KEYS"));
        for (Map.Entry<String, VoicegateConfig.Key> entry : new TreeMap<>(config.access().keys()).entrySet()) {
            String prefix = "voicegate.access.keys." + entry.getKey();
            VoicegateConfig.Key key = entry.getValue();
            if (!NAME.matcher(entry.getKey()).matches()) {
                problems.add(prefix + ": a key's name may hold only letters, digits, '_' and '-' (at most 64)");
            }
            String hash = key.secretSha256().map(String::trim).orElse("");
            if (!SHA256_HEX.matcher(hash).matches()) {
                problems.add(prefix + ".secret-sha256 must be the SHA-256 of the key as 64 hex digits "
                        + "(printf %s \"$KEY\" | sha256sum)");
            } else {
                String other = hashes.putIfAbsent(hash.toLowerCase(Locale.ROOT), prefix + ".secret-sha256");
                if (other != null) {
                    problems.add(prefix + ".secret-sha256 is the same as " + other + ": every key needs its own secret");
                }
            }
            if (!ROLES.contains(key.role().trim().toLowerCase(Locale.ROOT))) {
                problems.add(prefix + ".role: '" + key.role() + "' is not a role (agent, the default: runs actions; "
                        + "operator: reads the call ledger)");
            }
            for (String sid : key.accounts().orElse(List.of())) {
                if (!Sid.ACCOUNT.matches(sid)) {
                    problems.add(prefix + ".accounts: '" + sid + "' is not an Account SID ('AC' followed by 32 hex digits)");
                } else if (!accounts.contains(sid.toLowerCase(Locale.ROOT))) {
                    problems.add(prefix + ".accounts: " + sid + " is an unknown account: it has no server-side "
                            + "credentials (TWILIO_ACCOUNT_SID or voicegate.twilio.accounts." + sid + ")");
                }
            }
            destinations(problems, prefix + ".destinations", key.destinations().orElse(List.of()));
            for (String from : key.from().orElse(List.of())) {
                if (!E164.matcher(from).matches()) {
                    problems.add(prefix + ".from: '" + Redact.phone(from) + "' is not a phone number in E.164 format, "
                            + "e.g. +15005550006");
                }
            }
            quota(problems, prefix + ".max-calls-per-minute", key.maxCallsPerMinute());
            quota(problems, prefix + ".max-calls-per-hour", key.maxCallsPerHour());
            quota(problems, prefix + ".max-calls-per-day", key.maxCallsPerDay());
            quota(problems, prefix + ".max-requests-per-minute", key.maxRequestsPerMinute());
            if (!APPROVALS.contains(key.approval().trim().toLowerCase(Locale.ROOT))) {
                problems.add(prefix + ".approval: '" + key.approval() + "' is not an approval policy (never, the "
                        + "default; new-numbers: numbers this key has not called before; always)");
            }
            hours(problems, prefix + ".calling-hours", key.callingHours());
        }
        hours(problems, "voicegate.policy.calling-hours", config.policy().callingHours());
        destinations(problems, "voicegate.policy.destinations", config.policy().destinations().orElse(List.of()));
        List<String> types = Arrays.stream(PhoneNumberUtil.PhoneNumberType.values()).map(Enum::name).toList();
        for (String type : listOrNone(config.policy().blockedNumberTypes())) {
            if (!types.contains(type.trim().toUpperCase(Locale.ROOT))) {
                problems.add("voicegate.policy.blocked-number-types: '" + type + "' is not a libphonenumber number type ("
                        + String.join(", ", types) + ", or NONE)");
            }
        }
        for (String range : listOrNone(config.policy().blockedPrefixes())) {
            if (!PREFIX.matcher(range.trim()).matches()) {
                problems.add("voicegate.policy.blocked-prefixes: '" + range + "' is not an E.164 prefix ('+' and 1 to 15 "
                        + "digits), or NONE");
            }
        }
        if (config.approval().ttl().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            problems.add("voicegate.approval.ttl (VOICEGATE_APPROVAL_TTL) must be at least 1 s");
        }
        // The MCP extension would read zero as no time-out at all: a question could then hold a request for ever.
        if (config.approval().timeout().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            problems.add("voicegate.approval.timeout (VOICEGATE_APPROVAL_TIMEOUT) must be at least 1 s");
        }
        if (config.approval().memoryMaxEntries() < 1) {
            problems.add("voicegate.approval.memory-max-entries must be at least 1");
        }
        return problems;
    }

    private static void destinations(List<String> problems, String setting, List<String> destinations) {
        Set<String> countries = PhoneNumberUtil.getInstance().getSupportedRegions();
        for (String destination : destinations) {
            boolean country = COUNTRY.matcher(destination).matches() && countries.contains(destination);
            if (!country && !PREFIX.matcher(destination).matches()) {
                problems.add(setting + ": '" + destination + "' is neither an E.164 prefix ('+' and digits, e.g. +1) "
                        + "nor an ISO 3166 country code (e.g. GB)");
            }
        }
    }

    /** The same format as access.CallingHours reads (config may not depend on access). */
    private static void hours(List<String> problems, String setting, Optional<String> value) {
        if (value.isEmpty()) {
            return;
        }
        String text = value.get().trim();
        if (!HOURS.matcher(text).matches() || text.substring(0, 5).equals(text.substring(6))) {
            problems.add(setting + ": '" + value.get() + "' is not a window HH:mm-HH:mm of two different times "
                    + "(24-hour clock, e.g. 08:00-21:00; 22:00-06:00 runs over midnight)");
        }
    }

    private static void quota(List<String> problems, String setting, OptionalInt value) {
        if (value.isPresent() && value.getAsInt() < 1) {
            problems.add(setting + " must be at least 1; leave it unset for no limit");
        }
    }

    private static Set<String> serverSideAccounts(VoicegateConfig.Twilio twilio) {
        Set<String> sids = new HashSet<>();
        twilio.accountSid().ifPresent(sid -> sids.add(sid.toLowerCase(Locale.ROOT)));
        twilio.accounts().keySet().forEach(sid -> sids.add(sid.toLowerCase(Locale.ROOT)));
        return sids;
    }

    private static String sha256Hex(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
