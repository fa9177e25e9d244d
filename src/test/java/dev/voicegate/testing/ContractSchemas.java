package dev.voicegate.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * Validates JSON against the project's copies of the contract schemas,
 * {@code /contract/<action>.(input|output).schema.json} on the classpath (draft 2020-12,
 * {@code format} asserted).
 */
public final class ContractSchemas {

    /** The actions of the contract. */
    public static final List<String> ACTIONS = List.of("make_call", "list_calls", "get_recording", "get_call",
            "end_call");

    /**
     * The project's own actions: their schemas are written here, beside the contract copies, with no shared original
     * (so neither the manifest nor {@code ../shared/contract} lists them).
     */
    public static final List<String> OWN_ACTIONS = List.of("add_do_not_call");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private ContractSchemas() {
    }

    /** Fails unless {@code json} validates against {@code <action>.output.schema.json}. */
    public static void assertValidOutput(String action, String json) {
        assertValid(action + ".output", json);
    }

    /** Fails unless {@code json} validates against {@code <action>.input.schema.json}. */
    public static void assertValidInput(String action, String json) {
        assertValid(action + ".input", json);
    }

    /** Validation errors of {@code json} against {@code <action>.output.schema.json}; empty when valid. */
    public static List<String> outputErrors(String action, String json) {
        return errors(action + ".output", json);
    }

    /** Validation errors of {@code json} against {@code <action>.input.schema.json}; empty when valid. */
    public static List<String> inputErrors(String action, String json) {
        return errors(action + ".input", json);
    }

    /** Raw text of {@code /contract/<name>.schema.json}, e.g. {@code schemaText("make_call.output")}. */
    public static String schemaText(String name) {
        String path = "/contract/" + name + ".schema.json";
        try (InputStream in = ContractSchemas.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No contract schema on the classpath at " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    private static void assertValid(String name, String json) {
        List<String> errors = errors(name, json);
        if (!errors.isEmpty()) {
            fail("JSON does not match " + name + " schema:\n  " + String.join("\n  ", errors) + "\nJSON: " + json);
        }
    }

    private static List<String> errors(String name, String json) {
        Schema schema = CACHE.computeIfAbsent(name, n -> REGISTRY.getSchema(schemaText(n)));
        return schema.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    }
}
