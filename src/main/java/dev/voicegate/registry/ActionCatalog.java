package dev.voicegate.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The actions with their JSON Schemas, read once from the project's copies under {@code /contract}. */
@ApplicationScoped
public class ActionCatalog {

    /** One catalog entry. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(String name, String description,
            @Schema(type = SchemaType.OBJECT, implementation = Object.class,
                    description = "JSON Schema (2020-12) of the parameters") JsonNode inputSchema,
            @Schema(type = SchemaType.OBJECT, implementation = Object.class,
                    description = "JSON Schema (2020-12) of the result") JsonNode outputSchema) {
    }

    /** The whole catalog. */
    @RegisterForReflection
    public record Catalog(List<Entry> actions) {
    }

    private final Catalog catalog;

    ActionCatalog(ActionDispatcher dispatcher, ObjectMapper mapper) {
        this.catalog = new Catalog(dispatcher.actions().values().stream()
                .map(action -> new Entry(action.name(), action.description(),
                        schema(mapper, action.name() + ".input"), schema(mapper, action.name() + ".output")))
                .toList());
    }

    public Catalog catalog() {
        return catalog;
    }

    private static JsonNode schema(ObjectMapper mapper, String name) {
        String path = "/contract/" + name + ".schema.json";
        try (InputStream in = ActionCatalog.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
