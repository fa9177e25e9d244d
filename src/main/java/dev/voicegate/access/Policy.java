package dev.voicegate.access;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.voicegate.config.VoicegateConfig;

/**
 * What one caller may do; null means "no restriction". {@code holder} names the caller in messages,
 * {@code settings} is where its own settings live, so that a denial can say what to change. The number-type and
 * high-risk-range blocks are the same for every caller and live in {@link Guard}. An operator key's
 * {@code actions} are the ones its setting lists, none without it. {@code endAnyCall}: end_call may end calls this
 * caller did not place ({@code voicegate.access.keys.<name>.end-any-call}). {@code callingHours} is null for no
 * window; {@code callingHoursSetting} is where it was set.
 */
public record Policy(String holder, String settings, List<String> accounts, List<String> actions,
        List<String> destinations, String destinationsSetting, List<String> from, Limits limits, Role role,
        boolean endAnyCall, CallingHours callingHours, String callingHoursSetting) {

    /** A policy whose end_call ends only the calls its caller placed, with no calling hours. */
    public Policy(String holder, String settings, List<String> accounts, List<String> actions,
            List<String> destinations, String destinationsSetting, List<String> from, Limits limits, Role role) {
        this(holder, settings, accounts, actions, destinations, destinationsSetting, from, limits, role, false, null,
                null);
    }

    static final String DEFAULTS = "voicegate.policy";

    /** Quotas: at most this many in any sliding minute, hour or day; null for no limit. */
    public record Limits(Integer callsPerMinute, Integer callsPerHour, Integer callsPerDay, Integer requestsPerMinute) {

        static final Limits NONE = new Limits(null, null, null, null);

        public boolean limitsCalls() {
            return callsPerMinute != null || callsPerHour != null || callsPerDay != null;
        }
    }

    /**
     * A named key: its own settings, the default policy's destinations where it sets none. An unknown role stops the
     * start-up (ConfigCheck); here it would be an agent.
     */
    static Policy forKey(String name, VoicegateConfig.Key key, VoicegateConfig.Policy defaults) {
        String settings = "voicegate.access.keys." + name;
        boolean own = key.destinations().isPresent();
        boolean ownHours = key.callingHours().isPresent();
        Role role = Role.of(key.role()).orElse(Role.AGENT);
        return new Policy("key '" + name + "'", settings, key.accounts().orElse(null),
                key.actions().orElse(role == Role.OPERATOR ? List.of() : null),
                own ? key.destinations().get() : defaults.destinations().orElse(null),
                own ? settings + ".destinations" : DEFAULTS + ".destinations", key.from().orElse(null),
                new Limits(value(key.maxCallsPerMinute()), value(key.maxCallsPerHour()), value(key.maxCallsPerDay()),
                        value(key.maxRequestsPerMinute())), role, key.endAnyCall(),
                hours(ownHours ? key.callingHours() : defaults.callingHours()),
                ownHours ? settings + ".calling-hours" : DEFAULTS + ".calling-hours");
    }

    /** Unnamed keys and pass-through credentials: agents under the default policy, every account and action, no quota. */
    static Policy defaults(String holder, VoicegateConfig.Policy defaults) {
        return new Policy(holder, DEFAULTS, null, null, defaults.destinations().orElse(null),
                DEFAULTS + ".destinations", null, Limits.NONE, Role.AGENT, false, hours(defaults.callingHours()),
                DEFAULTS + ".calling-hours");
    }

    /** An unparseable window stops the start-up (ConfigCheck); here it would be none. */
    private static CallingHours hours(Optional<String> setting) {
        return setting.flatMap(CallingHours::parse).orElse(null);
    }

    /** Whether this is a named key's policy, with settings of its own ({@code voicegate.access.keys.<name>.*}). */
    public boolean named() {
        return !settings.equals(DEFAULTS);
    }

    /** Whether the caller may run this action; MCP lists only those tools, every surface refuses the others. */
    public boolean allows(String action) {
        return actions == null || actions.contains(action);
    }

    public boolean allowsAccount(String accountSid) {
        return accounts == null || accounts.stream().anyMatch(sid -> sid.equalsIgnoreCase(accountSid));
    }

    /** The full name of one of this caller's own settings, e.g. {@code voicegate.access.keys.agent.from}. */
    public String setting(String name) {
        return settings + "." + name;
    }

    private static Integer value(OptionalInt setting) {
        return setting.isPresent() ? setting.getAsInt() : null;
    }
}
