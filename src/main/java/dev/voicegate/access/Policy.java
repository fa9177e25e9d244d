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
 * window; {@code callingHoursSetting} is where it was set. {@code addDoNotCall}: the key may run add_do_not_call
 * ({@code voicegate.access.keys.<name>.add-do-not-call}); operators may when their actions list it.
 */
public record Policy(String holder, String settings, List<String> accounts, List<String> actions,
        List<String> destinations, String destinationsSetting, List<String> from, Limits limits, Role role,
        boolean endAnyCall, CallingHours callingHours, String callingHoursSetting, boolean addDoNotCall) {

    /** The action that writes to the shared do-not-call list: open only to the callers {@link #mayAddDoNotCall}. */
    public static final String ADD_DO_NOT_CALL = "add_do_not_call";

    /** A policy without add_do_not_call for an agent. */
    public Policy(String holder, String settings, List<String> accounts, List<String> actions,
            List<String> destinations, String destinationsSetting, List<String> from, Limits limits, Role role,
            boolean endAnyCall, CallingHours callingHours, String callingHoursSetting) {
        this(holder, settings, accounts, actions, destinations, destinationsSetting, from, limits, role, endAnyCall,
                callingHours, callingHoursSetting, false);
    }

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
                ownHours ? settings + ".calling-hours" : DEFAULTS + ".calling-hours", key.addDoNotCall());
    }

    /**
     * Unnamed keys and pass-through credentials: agents under the default policy, every account and action but
     * add_do_not_call (the list is shared: only a key the audit trail can name writes to it), no quota.
     */
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
        return (actions == null || actions.contains(action)) && (!ADD_DO_NOT_CALL.equals(action) || mayAddDoNotCall());
    }

    /** Whether add_do_not_call is open to this caller: a key with add-do-not-call=true, or an operator key. */
    public boolean mayAddDoNotCall() {
        return addDoNotCall || role == Role.OPERATOR;
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
