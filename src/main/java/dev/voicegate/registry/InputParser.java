package dev.voicegate.registry;

import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import dev.voicegate.failure.ActionException;
import dev.voicegate.voice.Rules;

/**
 * Reads action parameters strictly, as the contract's schemas do: unknown fields, wrong JSON types,
 * duplicate keys, out-of-range integers, control characters and over-long strings are {@code invalid_request}
 * naming the field; a body sent as another type than JSON is refused.
 * No coercion: {@code "60"} is not an integer and {@code 1} is not a boolean.
 */
@ApplicationScoped
public class InputParser {

    private final ObjectMapper strict = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    InputParser() {
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType type : new LogicalType[] { LogicalType.Integer, LogicalType.Boolean }) {
            strict.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        }
        strict.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    /** A request body sent with this {@code Content-Type}: JSON (also when the type is absent), one object. */
    public JsonNode readBody(String contentType, String body) {
        if (contentType != null && !contentType.isBlank()
                && !contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/json")) {
            throw ActionException.invalid("send the parameters as application/json");
        }
        return readBody(body);
    }

    /** A request body: must be one JSON object. */
    public JsonNode readBody(String body) {
        if (body == null || body.isBlank()) {
            throw ActionException.invalid("the request body must be a JSON object of parameters");
        }
        try {
            JsonNode node = strict.readTree(body);
            if (node == null || !node.isObject()) {
                throw ActionException.invalid("the request body must be a JSON object of parameters");
            }
            return node;
        } catch (JsonProcessingException e) {
            String duplicate = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? " (" + e.getOriginalMessage() + ")" : "";
            throw ActionException.invalid("the request body is not valid JSON" + duplicate);
        }
    }

    /** The parameters as the action's input type. */
    public <T> T parse(JsonNode given, Class<T> type) {
        JsonNode params = Aliases.rename(given, type);
        checkStrings(params);
        try {
            return strict.treeToValue(params, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : "; accepted: " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw ActionException.invalid("unknown parameter '" + e.getPropertyName() + "'" + known);
        } catch (MismatchedInputException e) {
            throw ActionException.invalid("'" + field(e) + "' must be " + expected(e.getTargetType()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ActionException.invalid(outOfRange(params));
        }
    }

    // Jackson reports an integer no parameter can hold (2^31, 10^30) without the field's name.
    private static String outOfRange(JsonNode params) {
        Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isIntegralNumber() && !field.getValue().canConvertToInt()) {
                return "'" + field.getKey() + "' is out of range";
            }
        }
        return "the parameters could not be read";
    }

    private static void checkStrings(JsonNode params) {
        Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isTextual()) {
                Rules.text(field.getKey(), field.getValue().textValue());
            }
        }
    }

    private static String field(MismatchedInputException e) {
        return e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a JSON object";
    }
}
