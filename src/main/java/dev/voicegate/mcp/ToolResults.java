package dev.voicegate.mcp;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.voice.ActionOutput;
import dev.voicegate.voice.ActionResult;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;
import io.vertx.core.json.JsonObject;

/**
 * Action results as MCP tool results: the structured content is the envelope of the tool-call endpoint, and the same
 * JSON goes out as one text item; a failure is {@code isError} with the {@code error} string as its text. A paged
 * action adds {@code next_page_token}, which MCP cannot carry in a header.
 */
@ApplicationScoped
class ToolResults {

    static final String NEXT_PAGE_TOKEN = "next_page_token";

    private final ObjectMapper mapper;

    ToolResults(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ToolResponse of(ActionResult<?> result, boolean paged) {
        ObjectNode envelope = mapper.valueToTree(result.output());
        if (paged) {
            envelope.put(NEXT_PAGE_TOKEN, result.nextPageToken());
        }
        ActionOutput output = result.output();
        String text = output.success() ? write(envelope) : output.error();
        return new ToolResponse(!output.success(), List.of(new TextContent(text)), envelope, null);
    }

    /** A failure before the action ran (e.g. arguments that are not JSON the action can read). */
    ToolResponse failure(ActionOutput output, ActionFailure failure, boolean paged) {
        return of(ActionResult.failed(output, failure), paged);
    }

    /** The output schema with {@code next_page_token}, a string or null. */
    static JsonNode withNextPageToken(JsonNode outputSchema) {
        ObjectNode schema = outputSchema.deepCopy();
        ObjectNode token = ((ObjectNode) schema.get("properties")).putObject(NEXT_PAGE_TOKEN);
        token.putArray("anyOf").add(schema.objectNode().put("type", "string")).add(schema.objectNode().put("type", "null"));
        token.putNull("default");
        token.put("title", "Next Page Token");
        token.put("description", "Cursor of the next page: give it as page_token to continue; null on the last page");
        return schema;
    }

    /** A schema as the extension serves it, keeping the contract file's member order. */
    JsonObject json(JsonNode schema) {
        return new JsonObject(write(schema));
    }

    private String write(JsonNode json) {
        try {
            return mapper.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always writable", e);
        }
    }
}
