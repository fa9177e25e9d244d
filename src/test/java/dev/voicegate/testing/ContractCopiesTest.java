package dev.voicegate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The project's schema copies must not drift from the shared contract: outputs are identical,
 * inputs keep every shared property unchanged (the project may add its own, e.g. list_calls'
 * {@code page_token}).
 */
class ContractCopiesTest {

    private static final Path SHARED = Path.of("..", "shared", "contract");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void outputSchemasAreIdenticalToShared() throws IOException {
        assumeTrue(Files.isDirectory(SHARED), "no shared contract folder at " + SHARED.toAbsolutePath());
        for (String action : ContractSchemas.ACTIONS) {
            String name = action + ".output";
            assertEquals(shared(name), copy(name), name + " differs from the shared contract");
        }
    }

    @Test
    void inputSchemasKeepEverySharedPropertyUnchanged() throws IOException {
        assumeTrue(Files.isDirectory(SHARED), "no shared contract folder at " + SHARED.toAbsolutePath());
        for (String action : ContractSchemas.ACTIONS) {
            String name = action + ".input";
            JsonNode shared = shared(name);
            JsonNode copy = copy(name);

            for (Map.Entry<String, JsonNode> field : shared.properties()) {
                if (!"properties".equals(field.getKey())) {
                    assertEquals(field.getValue(), copy.get(field.getKey()),
                            name + ": keyword '" + field.getKey() + "' differs from the shared contract");
                }
            }
            for (Map.Entry<String, JsonNode> property : shared.path("properties").properties()) {
                JsonNode own = copy.path("properties").get(property.getKey());
                assertTrue(own != null, name + ": shared property '" + property.getKey() + "' is missing");
                assertEquals(property.getValue(), own,
                        name + ": property '" + property.getKey() + "' differs from the shared contract");
            }
        }
    }

    private static JsonNode shared(String name) throws IOException {
        return JSON.readTree(SHARED.resolve(name + ".schema.json").toFile());
    }

    private static JsonNode copy(String name) throws IOException {
        return JSON.readTree(ContractSchemas.schemaText(name));
    }
}
