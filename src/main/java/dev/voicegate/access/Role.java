package dev.voicegate.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a key is for ({@code voicegate.access.keys.<name>.role}): an {@code agent} runs actions; an {@code operator}
 * reads the call ledger (and, later, uses the controls and the console) and runs only the actions its own
 * {@code actions} setting lists. Unnamed keys and pass-through credentials are agents.
 */
public enum Role {
    AGENT, OPERATOR;

    /** As configured and shown: {@code agent}, {@code operator}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a setting names (any case, trimmed), or empty for anything else. */
    public static Optional<Role> of(String setting) {
        for (Role role : values()) {
            if (setting != null && role.wire().equals(setting.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
