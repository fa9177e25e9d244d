package dev.voicegate.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.voicegate.failure.ActionException;
import dev.voicegate.voice.Rules;

/**
 * The query parameters of one operation, read as strictly as a JSON body: a name not in the table, or given twice,
 * is {@code invalid_request}, so a typo in a filter is an error, not a silent "all calls". The same table documents
 * them in OpenAPI ({@link QueryDocs}). Read from the raw query string: Quarkus drops an empty value ({@code to=})
 * before a declared {@code @RestQuery} parameter would see it, and an empty filter must be refused, not ignored.
 */
final class StrictQuery {

    /** One parameter: its name, OpenAPI type and description, and how its text becomes a JSON value. */
    record Parameter(String name, SchemaType type, String description, Function<String, JsonNode> value) {
    }

    static Parameter text(String name, String description) {
        return new Parameter(name, SchemaType.STRING, description, TextNode::valueOf);
    }

    static Parameter integer(String name, String description, int min, int max) {
        return new Parameter(name, SchemaType.INTEGER, description, value -> {
            try {
                return IntNode.valueOf(Integer.parseInt(value));
            } catch (NumberFormatException e) {
                throw Rules.notBetween(name, min, max);
            }
        });
    }

    static Parameter bool(String name, String description) {
        return new Parameter(name, SchemaType.BOOLEAN, description, value -> {
            if (!value.equals("true") && !value.equals("false")) {
                throw ActionException.invalid("'" + name + "' must be true or false");
            }
            return BooleanNode.valueOf(Boolean.parseBoolean(value));
        });
    }

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    StrictQuery(Parameter... parameters) {
        for (Parameter parameter : parameters) {
            this.parameters.put(parameter.name(), parameter);
        }
    }

    Collection<Parameter> parameters() {
        return parameters.values();
    }

    /** The action parameters a query string gives. */
    ObjectNode read(Map<String, List<String>> query) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        query.forEach((name, values) -> {
            Parameter parameter = parameters.get(name);
            if (parameter == null) {
                throw ActionException.invalid("unknown query parameter '" + name + "'; accepted: "
                        + String.join(", ", parameters.keySet().stream().sorted().toList()));
            }
            if (values.size() != 1) {
                throw ActionException.invalid("query parameter '" + name + "' must be given once");
            }
            params.set(name, parameter.value().apply(values.get(0)));
        });
        return params;
    }
}
