package dev.voicegate.mcp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks the shape of a POSTed MCP body before the MCP extension reads it. The extension reads members with a fixed
 * type and fails on any other (a class-cast error, an HTTP 500 or a request left hanging), so malformed JSON-RPC is
 * answered here with the error the JSON-RPC spec defines. Duplicate keys are refused, as on {@code /v1}.
 * The tool calls' arguments are kept exactly as sent, by request id, for the dispatcher to read as {@code /v1} reads a
 * body; the extension gets them without {@code null} members, which it cannot hold.
 */
final class JsonRpcCheck {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;

    /**
     * Accepted or not (then {@code answer} is the JSON-RPC error to send); when accepted, the body to use instead
     * (null: unchanged), the arguments of each tool call by {@link #key request id}, and whether the body holds
     * notifications only.
     */
    record Verdict(boolean accepted, int httpStatus, String answer, byte[] rewritten, Map<String, JsonNode> arguments,
            boolean notificationsOnly) {
    }

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final Predicate<JsonNode> ID = node -> node.isTextual() || node.isIntegralNumber();
    /** Members of {@code params} that the extension reads with a fixed type, whatever the method. */
    private static final Map<String, Predicate<JsonNode>> PARAMS = Map.ofEntries(
            Map.entry("_meta", JsonNode::isObject), Map.entry("arguments", JsonNode::isObject),
            Map.entry("name", JsonNode::isTextual), Map.entry("cursor", JsonNode::isTextual),
            Map.entry("uri", JsonNode::isTextual), Map.entry("level", JsonNode::isTextual),
            Map.entry("reason", JsonNode::isTextual), Map.entry("protocolVersion", JsonNode::isTextual),
            Map.entry("capabilities", JsonNode::isObject), Map.entry("clientInfo", JsonNode::isObject),
            Map.entry("ref", JsonNode::isObject), Map.entry("argument", JsonNode::isObject),
            Map.entry("requestId", ID), Map.entry("progressToken", ID));

    private JsonRpcCheck() {
    }

    static Verdict check(byte[] body) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : null;
            String duplicate = why != null && why.startsWith("Duplicate field") ? " (" + why + ")" : "";
            return refused(400, null, PARSE_ERROR, "Parse error: the body is not valid JSON" + duplicate);
        }
        if (root == null || root.isMissingNode()) {
            return refused(400, null, PARSE_ERROR, "Parse error: the body is empty");
        }
        List<JsonNode> messages = new ArrayList<>();
        (root.isArray() ? root : List.of(root)).forEach(messages::add);
        if (messages.isEmpty()) {
            return refused(400, null, INVALID_REQUEST, "Invalid Request: an empty batch");
        }
        boolean rewritten = false;
        boolean notificationsOnly = true;
        Map<String, JsonNode> arguments = new HashMap<>();
        for (JsonNode message : messages) {
            String invalid = invalid(message);
            if (invalid != null) {
                return refused(400, null, INVALID_REQUEST, "Invalid Request: " + invalid);
            }
            String badParams = badParams(message.get("params"));
            if (badParams != null) {
                // A single request can be answered as such; anything else is refused as a whole.
                JsonNode id = message.get("id");
                boolean answerable = !root.isArray() && id != null;
                return refused(answerable ? 200 : 400, answerable ? id : null, INVALID_PARAMS, "Invalid params: " + badParams);
            }
            notificationsOnly &= !message.has("id") && message.has("method");
            if ("tools/call".equals(message.path("method").textValue()) && message.has("id")) {
                JsonNode sent = message.path("params").path("arguments");
                arguments.put(key(message.get("id")), sent.isObject() ? sent : STRICT.createObjectNode());
                List<String> nulls = sent.properties().stream().filter(member -> member.getValue().isNull())
                        .map(Map.Entry::getKey).toList();
                if (!nulls.isEmpty()) {
                    ((ObjectNode) message.get("params")).set("arguments", ((ObjectNode) sent).deepCopy().without(nulls));
                    rewritten = true;
                }
            }
        }
        try {
            return new Verdict(true, 200, null, rewritten ? STRICT.writeValueAsBytes(root) : null, arguments,
                    notificationsOnly);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree read from JSON is always writable", e);
        }
    }

    /** What makes this not a JSON-RPC message MCP allows, or null. */
    private static String invalid(JsonNode message) {
        if (!message.isObject()) {
            return "each message must be a JSON object";
        }
        if (!"2.0".equals(message.path("jsonrpc").textValue())) {
            return "'jsonrpc' must be \"2.0\"";
        }
        JsonNode id = message.get("id");
        if (id != null && !ID.test(id)) {
            return "'id' must be a string or an integer";
        }
        boolean response = message.has("result") || message.has("error");
        if (!response && !message.path("method").isTextual()) {
            return "'method' must be a string";
        }
        JsonNode params = message.get("params");
        return params == null || params.isObject() ? null : "'params' must be an object";
    }

    private static String badParams(JsonNode params) {
        if (params == null) {
            return null;
        }
        for (Map.Entry<String, Predicate<JsonNode>> member : PARAMS.entrySet()) {
            JsonNode value = params.get(member.getKey());
            if (value != null && !value.isNull() && !member.getValue().test(value)) {
                return "'params." + member.getKey() + "' has the wrong type";
            }
        }
        return null;
    }

    /** The key of a request id, as sent ({@code 7}, {@code "a"}) or as the extension hands it on ({@code 7}, {@code a}). */
    static String key(Object id) {
        return id instanceof JsonNode node ? (node.isTextual() ? "s:" + node.textValue() : "n:" + node.asText())
                : (id instanceof String text ? "s:" + text : "n:" + id);
    }

    private static Verdict refused(int status, JsonNode id, int code, String message) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
        answer.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        answer.putObject("error").put("code", code).put("message", message);
        return new Verdict(false, status, answer.toString(), null, Map.of(), false);
    }

    /** A JSON-RPC error without an id, for failures outside any message. */
    static String error(int code, String message) {
        return refused(400, null, code, message).answer();
    }
}
