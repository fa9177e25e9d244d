package dev.voicegate.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.voicegate.config.VoicegateConfig;
import dev.voicegate.testing.GuardedKeys;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.TestConfig;

/** Key roles from real configuration: who is an operator, and what an operator may run and read. */
class RolesTest {

    static final String ACCOUNT = TestAccounts.ACCOUNT_SID;

    final VoicegateConfig config = TestConfig.of(properties());
    final AccessControl access = new AccessControl(config, new TwilioAccounts(config));
    final Guard guard = new Guard(config);

    static Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>(Map.of("voicegate.twilio.account-sid", ACCOUNT,
                "voicegate.twilio.auth-token", "t", "voicegate.access.service-api-keys", "unnamed-key"));
        properties.putAll(key("ops", Map.of("role", "operator")));
        properties.putAll(key("ops-caller", Map.of("role", " OPERATOR ", "actions", "make_call")));
        properties.putAll(key("agent", Map.of()));
        properties.putAll(key("explicit-agent", Map.of("role", "agent", "actions", "list_calls")));
        return properties;
    }

    static Map<String, String> key(String name, Map<String, String> settings) {
        Map<String, String> key = new HashMap<>(Map.of("voicegate.access.keys." + name + ".secret-sha256",
                GuardedKeys.sha256("secret-" + name)));
        settings.forEach((setting, value) -> key.put("voicegate.access.keys." + name + "." + setting, value));
        return key;
    }

    Caller caller(String name) {
        return access.authenticate("Bearer secret-" + name);
    }

    @Test
    void theRoleIsOnTheCaller() {
        assertEquals(Role.OPERATOR, caller("ops").role());
        assertTrue(caller("ops").operator());
        assertTrue(caller("ops-caller").operator(), "any case, trimmed");
        assertEquals(Role.AGENT, caller("agent").role(), "agent is the default");
        assertFalse(caller("explicit-agent").operator());
        assertEquals(Role.AGENT, access.authenticate("Bearer unnamed-key").role(), "unnamed keys are agents");
        assertEquals(Role.AGENT, access.authenticate(TestAccounts.basic(TestAccounts.PASS_THROUGH_ACCOUNT_SID,
                TestAccounts.PASS_THROUGH_AUTH_TOKEN)).role(), "pass-through is an agent");
    }

    @Test
    void anOperatorRunsOnlyTheActionsItLists() {
        Caller ops = caller("ops");
        assertEquals(List.of(), ops.policy().actions());
        assertFalse(ops.allows("list_calls"));
        PolicyDenial denial = assertThrows(PolicyDenial.class, () -> guard.check(ops, "get_call", ACCOUNT, null));
        assertEquals("role", denial.rule());
        assertTrue(caller("ops-caller").allows("make_call"));
        assertFalse(caller("ops-caller").allows("get_call"));
        assertEquals("actions", assertThrows(PolicyDenial.class,
                () -> guard.check(caller("ops-caller"), "get_call", ACCOUNT, null)).rule());
        assertTrue(caller("agent").allows("get_call"), "an agent without actions runs every action");
    }

    @Test
    void onlyOperatorsPassTheOperatorCheck() {
        guard.checkOperator(caller("ops"), "read the call ledger");
        for (Caller agent : List.of(caller("agent"), caller("explicit-agent"), access.authenticate("Bearer unnamed-key"))) {
            PolicyDenial denial = assertThrows(PolicyDenial.class, () -> guard.checkOperator(agent, "read the call ledger"));
            assertEquals("role", denial.rule());
            assertTrue(denial.failure().error().startsWith("forbidden: only operator keys may read the call ledger; "),
                    denial.failure().error());
        }
        assertEquals(Optional.empty(), Role.of("boss"));
        assertEquals(Optional.of(Role.OPERATOR), Role.of("Operator"));
    }
}
