package dev.voicegate.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The idempotency fingerprint of make_call covers every parameter but the key, including any parameter
 * added to {@link MakeCallInput} later, and stays what it was for the keys already stored.
 */
class MakeCallFingerprintTest {

    static final RecordComponent[] COMPONENTS = MakeCallInput.class.getRecordComponents();

    /** Two different values for a component type; a new type needs its pair here. */
    static Object sample(Class<?> type, boolean other) {
        if (type == String.class) {
            return other ? "b" : "a";
        }
        if (type == Boolean.class) {
            return other;
        }
        if (type == Integer.class) {
            return other ? 2 : 1;
        }
        throw new AssertionError("give MakeCallFingerprintTest.sample a pair of values for " + type);
    }

    static MakeCallInput input(int changed) throws ReflectiveOperationException {
        Class<?>[] types = Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Object[] values = new Object[COMPONENTS.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = sample(types[i], i == changed);
        }
        return MakeCallInput.class.getDeclaredConstructor(types).newInstance(values);
    }

    @Test
    void changingAnyParameterButTheKeyChangesTheFingerprint() throws ReflectiveOperationException {
        String base = IdempotentMakeCall.fingerprint(input(-1));
        for (int i = 0; i < COMPONENTS.length; i++) {
            String changed = IdempotentMakeCall.fingerprint(input(i));
            if (COMPONENTS[i].getName().equals("idempotencyKey")) {
                assertEquals(base, changed, "the key itself is not part of the fingerprint");
            } else {
                assertNotEquals(base, changed, COMPONENTS[i].getName() + " is not covered by the fingerprint");
            }
        }
    }

    /**
     * Values the previous version computed: keys stored before an upgrade keep matching their requests.
     * Adding a parameter changes every fingerprint, so a retry across the upgrade would be refused as a
     * reused key; that has to be a decision, not an accident.
     */
    @Test
    void storedFingerprintsStillMatch() {
        assertEquals("34e40d8fee08dedf43d1dc301fcbf9fa7d573e4b59e7ceb9b8114419b7f6381a", IdempotentMakeCall.fingerprint(
                new MakeCallInput("AC0123456789abcdef0123456789abcdef", "+14155551212", "+15017122661",
                        "https://example.com/twiml", null, null, null, null, null, null, null, "k")));
        assertEquals("ecf89c13fa3213c8ee64d269f0b2caa639945d5d420f2c2f0887586b444b1e09", IdempotentMakeCall.fingerprint(
                new MakeCallInput("AC0123456789abcdef0123456789abcdef", "+14155551212", "+15017122661", null,
                        "<Response><Say>Hi</Say></Response>", "https://example.com/status", "POST", true,
                        "https://example.com/rec", 30, "Enable", "k")));
    }
}
