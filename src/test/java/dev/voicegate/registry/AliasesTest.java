package dev.voicegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.failure.ActionException;
import dev.voicegate.voice.GetRecordingInput;
import dev.voicegate.voice.ListCallsInput;
import dev.voicegate.voice.MakeCallInput;

/** An alias is one definition ({@code @JsonAlias}); the rules for it follow wherever it is declared. */
class AliasesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<Class<?>> INPUTS = List.of(MakeCallInput.class, ListCallsInput.class, GetRecordingInput.class);

    static ObjectNode object(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    /** Every alias any input declares, as {type, alias, name}. */
    static List<Object[]> declared() {
        List<Object[]> aliases = new ArrayList<>();
        for (Class<?> type : INPUTS) {
            Stream.of(type.getRecordComponents()).filter(c -> c.getAccessor().isAnnotationPresent(JsonAlias.class))
                    .forEach(c -> {
                        String name = c.getAccessor().getAnnotation(JsonProperty.class).value();
                        for (String alias : c.getAccessor().getAnnotation(JsonAlias.class).value()) {
                            aliases.add(new Object[] { type, alias, name });
                        }
                    });
        }
        return aliases;
    }

    @Test
    void everyDeclaredAliasIsRenamedAndRefusedNextToItsName() throws Exception {
        List<Object[]> aliases = declared();
        assertEquals(2, aliases.size(), "from for from_, in make_call and list_calls");
        for (Object[] declared : aliases) {
            Class<?> type = (Class<?>) declared[0];
            String alias = (String) declared[1];
            String name = (String) declared[2];
            ObjectNode given = object("{\"" + alias + "\":\"x\",\"other\":1}");
            assertEquals(object("{\"other\":1,\"" + name + "\":\"x\"}"), Aliases.rename(given, type));
            assertEquals(object("{\"" + alias + "\":\"x\",\"other\":1}"), given, "the caller's parameters are left as they are");

            ActionException both = assertThrows(ActionException.class,
                    () -> Aliases.rename(object("{\"" + name + "\":\"x\",\"" + alias + "\":\"x\"}"), type));
            assertEquals("invalid_request: give '" + name + "' or its alias '" + alias + "', not both. Fix the request; "
                    + "retrying it as is will not help.", both.failure().error());
        }
    }

    @Test
    void parametersWithoutAnAliasAreUntouched() throws Exception {
        ObjectNode given = object("{\"account_sid\":\"AC1\",\"recording_sid\":\"RE1\"}");
        assertEquals(given, Aliases.rename(given, GetRecordingInput.class));
    }
}
