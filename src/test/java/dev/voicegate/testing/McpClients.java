package dev.voicegate.testing;

import static io.restassured.RestAssured.given;

import java.util.List;

import io.quarkiverse.mcp.server.test.McpAssured;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** MCP clients for tests: McpAssured's Streamable HTTP client with an {@code Authorization} header, and raw POSTs. */
public final class McpClients {

    /** What a Streamable HTTP client must accept. */
    public static final String ACCEPT = "application/json, text/event-stream";

    private McpClients() {
    }

    /** Connected (initialize done) with the service key. */
    public static McpStreamableTestClient serviceKey() {
        return connected(TestAccounts.bearer(TestAccounts.SERVICE_KEY));
    }

    /** Connected (initialize done) with this {@code Authorization} header value. */
    public static McpStreamableTestClient connected(String authorization) {
        return builder(authorization).build().connect();
    }

    public static McpStreamableTestClient.Builder builder(String authorization) {
        return McpAssured.newStreamableClient().setAdditionalHeaders(message -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            if (authorization != null) {
                headers.add("Authorization", authorization);
            }
            return headers;
        });
    }

    /** A request to {@code /mcp} as a Streamable HTTP client sends it, with this {@code Authorization} (or none). */
    public static RequestSpecification request(String authorization) {
        RequestSpecification request = given().accept(ACCEPT).contentType(ContentType.JSON);
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    /** POSTs one raw body to {@code /mcp} with the service key; no session (the server initialises on the spot). */
    public static Response post(String body) {
        return request(TestAccounts.bearer(TestAccounts.SERVICE_KEY)).body(body).post("/mcp");
    }

    /** The JSON-RPC messages of a response: its JSON body, or the data of each event of an SSE stream. */
    public static List<JsonObject> messages(Response response) {
        String body = response.asString();
        if (!String.valueOf(response.contentType()).startsWith("text/event-stream")) {
            return List.of(new JsonObject(body));
        }
        return body.lines().filter(line -> line.startsWith("data:")).map(line -> new JsonObject(line.substring(5).trim()))
                .toList();
    }

    /** A {@code tools/call} request, raw. */
    public static String toolsCall(int id, String tool, String argumentsJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + argumentsJson + "}}";
    }
}
