package dev.voicegate.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The contract's JSON Schemas ({@code /contract/*.schema.json}) as OpenAPI 3.1 schema objects, which are JSON
 * Schema 2020-12 too: copied keyword by keyword, with each schema's {@code $defs} lifted into the components
 * (a {@code #/$defs/…} reference would otherwise resolve against the OpenAPI document's root). The model has no
 * JSON null, so a {@code "default": null} is left out: it adds nothing to the {@code anyOf} with null it sits beside.
 */
final class ContractSchemaModel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "dependentSchemas");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> SCHEMAS = Set.of("items", "not", "additionalProperties", "contains", "if", "then",
            "else", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema");

    private ContractSchemaModel() {
    }

    /**
     * Adds {@code contract} under its title and its {@code $defs} under their names, replacing the schemas scanned
     * from the Java types of the same names; {@code added} holds what was added so far, which must agree on a name.
     * Returns the title.
     */
    static String addTo(Components components, Map<String, JsonNode> added, JsonNode contract) {
        String title = contract.path("title").asText();
        put(components, added, title, contract);
        contract.path("$defs").fields().forEachRemaining(def -> put(components, added, def.getKey(), def.getValue()));
        return title;
    }

    private static void put(Components components, Map<String, JsonNode> added, String name, JsonNode json) {
        JsonNode previous = added.put(name, json);
        if (previous != null && !previous.equals(json)) {
            throw new IllegalStateException("two contract schemas define '" + name + "' differently");
        }
        components.addSchema(name, schema(json));
    }

    static Schema schema(JsonNode json) {
        Schema schema = OASFactory.createSchema();
        if (json.isBoolean()) {
            return schema.booleanSchema(json.booleanValue());
        }
        json.fields().forEachRemaining(field -> {
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            if (keyword.equals("$schema") || keyword.equals("$defs")) {
                return;
            }
            if (keyword.equals("$ref")) {
                schema.setRef(value.asText().replace("#/$defs/", "#/components/schemas/"));
            } else if (keyword.equals("type")) {
                List<Schema.SchemaType> types = new ArrayList<>();
                (value.isArray() ? value : JSON.createArrayNode().add(value))
                        .forEach(type -> types.add(Schema.SchemaType.valueOf(type.asText().toUpperCase())));
                schema.setType(types);
            } else if (SCHEMA_MAPS.contains(keyword)) {
                Map<String, Schema> schemas = new LinkedHashMap<>();
                value.fields().forEachRemaining(entry -> schemas.put(entry.getKey(), schema(entry.getValue())));
                schema.set(keyword, schemas);
            } else if (SCHEMA_LISTS.contains(keyword)) {
                List<Schema> schemas = new ArrayList<>();
                value.forEach(item -> schemas.add(schema(item)));
                schema.set(keyword, schemas);
            } else if (SCHEMAS.contains(keyword)) {
                schema.set(keyword, schema(value));
            } else {
                schema.set(keyword, JSON.convertValue(value, Object.class));
            }
        });
        return schema;
    }
}
