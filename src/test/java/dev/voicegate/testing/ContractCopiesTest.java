package dev.voicegate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The project's schema copies ({@code src/main/resources/contract/}) must not drift from the shared contract:
 * outputs are identical, inputs keep every shared property unchanged (the project may add its own, e.g.
 * list_calls' {@code page_token}). What the shared contract says is kept in the repository, so these checks run
 * on a plain clone: {@code src/test/resources/contract-shared/SHA256SUMS} holds the SHA-256 of each shared schema
 * of the project's actions, with verbatim copies of the shared inputs beside it. Where the shared contract folder
 * ({@code ../shared/contract}) is present, it must match that manifest.
 */
class ContractCopiesTest {

    private static final Path SHARED = Path.of("..", "shared", "contract");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void outputSchemasAreIdenticalToShared() {
        Map<String, String> manifest = manifest();
        for (String action : ContractSchemas.ACTIONS) {
            String file = action + ".output.schema.json";
            assertEquals(manifest.get(file), sha256(ContractSchemas.schemaText(action + ".output")),
                    file + " differs from the shared contract");
        }
    }

    @Test
    void inputSchemasKeepEverySharedPropertyUnchanged() throws IOException {
        for (String action : ContractSchemas.ACTIONS) {
            String name = action + ".input";
            JsonNode shared = JSON.readTree(sharedCopy(name + ".schema.json"));
            JsonNode copy = JSON.readTree(ContractSchemas.schemaText(name));

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

    @Test
    void theManifestCoversEveryActionAndMatchesTheSharedContractWherePresent() throws IOException {
        Map<String, String> manifest = manifest();
        Set<String> expected = new TreeSet<>();
        for (String action : ContractSchemas.ACTIONS) {
            expected.add(action + ".input.schema.json");
            expected.add(action + ".output.schema.json");
        }
        assertEquals(expected, new TreeSet<>(manifest.keySet()), "SHA256SUMS lists the schemas of the project's actions");
        for (String action : ContractSchemas.ACTIONS) {
            String file = action + ".input.schema.json";
            assertEquals(manifest.get(file), sha256(sharedCopy(file)), "contract-shared/" + file + " was edited");
        }
        if (Files.isDirectory(SHARED)) {
            for (Map.Entry<String, String> entry : manifest.entrySet()) {
                Path file = SHARED.resolve(entry.getKey());
                assertTrue(Files.isRegularFile(file), "the shared contract has no " + entry.getKey());
                assertEquals(entry.getValue(), sha256(Files.readString(file)), entry.getKey()
                        + " changed in the shared contract: update src/test/resources/contract-shared/ (and the copy)");
            }
        }
    }

    @Test
    void everySchemaFileIsAContractCopyOrOneOfTheProjectsOwn() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (String action : ContractSchemas.ACTIONS) {
            expected.add(action + ".input.schema.json");
            expected.add(action + ".output.schema.json");
        }
        for (String action : ContractSchemas.OWN_ACTIONS) {
            assertTrue(!manifest().containsKey(action + ".input.schema.json"), action + " is the project's own");
            expected.add(action + ".input.schema.json");
            expected.add(action + ".output.schema.json");
        }
        Set<String> files = new TreeSet<>();
        try (var listing = Files.list(Path.of("src", "main", "resources", "contract"))) {
            listing.forEach(file -> files.add(file.getFileName().toString()));
        }
        assertEquals(expected, files);
    }

    /** File name to SHA-256, from {@code contract-shared/SHA256SUMS} ({@code sha256sum} format). */
    private static Map<String, String> manifest() {
        Map<String, String> manifest = new LinkedHashMap<>();
        for (String line : sharedCopy("SHA256SUMS").split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+\\*?", 2);
                manifest.put(parts[1], parts[0]);
            }
        }
        return manifest;
    }

    private static String sharedCopy(String file) {
        String path = "/contract-shared/" + file;
        try (InputStream in = ContractCopiesTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No " + path + " on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
