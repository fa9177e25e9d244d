package dev.voicegate.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.voicegate.registry.Envelope;
import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The action catalog serves the project's contract schemas verbatim; OpenAPI and Swagger UI describe the API. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class CatalogAndOpenApiTest {

    static final List<String> ACTIONS = List.of("make_call", "list_calls", "get_recording", "get_call",
            "end_call", "add_do_not_call");
    static final Path CONTRACT = Path.of("src/main/resources/contract");

    final ObjectMapper json = new ObjectMapper();

    JsonNode contract(String file) throws IOException {
        return json.readTree(Files.readString(CONTRACT.resolve(file)));
    }

    @Test
    void catalogListsEveryActionWithTheContractSchemas() throws IOException {
        // Public: an agent reads the catalog before it has anything to authenticate with.
        JsonNode catalog = json.readTree(given().get("/v1/actions")
                .then().statusCode(200).contentType(ContentType.JSON).extract().asString());

        assertEquals(Set.of("actions"), fieldNames(catalog));
        JsonNode actions = catalog.get("actions");
        assertEquals(ACTIONS.size(), actions.size(), actions.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode action : actions) {
            String name = action.get("name").asText();
            names.add(name);
            assertEquals(Set.of("name", "description", "input_schema", "output_schema"), fieldNames(action), name);
            assertTrue(action.get("description").isTextual() && action.get("description").asText().length() > 20, name);
            assertEquals(contract(name + ".input.schema.json"), action.get("input_schema"), name + " input schema");
            assertEquals(contract(name + ".output.schema.json"), action.get("output_schema"), name + " output schema");
        }
        assertEquals(Set.copyOf(ACTIONS), Set.copyOf(names));
    }

    @Test
    void getRecordingPointsToTheMediaEndpoint() throws IOException {
        // media_url stays Twilio's (it needs Twilio credentials): the description says where to get the audio instead.
        JsonNode actions = json.readTree(given().get("/v1/actions").then().statusCode(200).extract().asString())
                .get("actions");
        String description = null;
        for (JsonNode action : actions) {
            if (action.get("name").asText().equals("get_recording")) {
                description = action.get("description").asText();
            }
        }
        assertNotNull(description);
        assertTrue(description.contains("GET /v1/accounts/{account_sid}/recordings/{recording_sid}/media"), description);
    }

    @Test
    void catalogIsTheSameWithCredentials() {
        String anonymous = given().get("/v1/actions").then().statusCode(200).extract().asString();
        String withKey = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/actions").then().statusCode(200).extract().asString();
        assertEquals(anonymous, withKey);
    }

    JsonNode openApi() throws IOException {
        return json.readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void openApiDescribesThePathsAndBothSecuritySchemes() throws IOException {
        JsonNode openapi = openApi();
        JsonNode paths = openapi.get("paths");
        assertTrue(paths.at("/~1v1~1actions/get").isObject(), fieldNames(paths).toString());
        assertTrue(paths.at("/~1v1~1me/get").isObject());
        assertTrue(paths.at("/~1v1~1accounts~1{account_sid}~1calls/post").isObject());
        assertTrue(paths.at("/~1v1~1accounts~1{account_sid}~1calls/get").isObject());
        assertTrue(paths.at("/~1v1~1accounts~1{account_sid}~1calls~1{call_sid}/get").isObject());
        assertTrue(paths.at("/~1v1~1accounts~1{account_sid}~1recordings~1{recording_sid}/get").isObject());
        assertTrue(paths.at("/~1v1~1accounts~1{account_sid}~1recordings~1{recording_sid}~1media/get").isObject());
        assertTrue(paths.at("/~1v1~1accounts~1{account_sid}~1recordings~1{recording_sid}~1media/head").isObject());
        assertFalse(paths.has("/v1/actions/{action}"), "the templated tool call is replaced by one per action");

        // get_call's output as the contract names it, not as Java would ("isFinal", "from").
        JsonNode getCall = openapi.at("/components/schemas/GetCallOutput/properties");
        assertTrue(getCall.has("final") && getCall.has("from_") && !getCall.has("isFinal"), getCall.toString());

        JsonNode schemes = openapi.at("/components/securitySchemes");
        assertEquals("http", schemes.at("/serviceKey/type").asText(), schemes.toString());
        assertEquals("bearer", schemes.at("/serviceKey/scheme").asText(), schemes.toString());
        assertEquals("http", schemes.at("/twilioBasic/type").asText(), schemes.toString());
        assertEquals("basic", schemes.at("/twilioBasic/scheme").asText(), schemes.toString());
    }

    /**
     * Typed clients: each action of the registry, as the catalog lists it, is an operation of its own, typed by its
     * contract schemas. A new action (get_call was the fourth) needs no edit to get one.
     */
    @Test
    void openApiHasOneOperationPerActionTypedByItsContract() throws IOException {
        JsonNode openapi = openApi();
        JsonNode schemas = openapi.at("/components/schemas");
        Set<String> toolCalls = new HashSet<>();
        openapi.get("paths").fieldNames().forEachRemaining(path -> {
            if (path.startsWith("/v1/actions/")) {
                toolCalls.add(path.substring("/v1/actions/".length()));
            }
        });
        JsonNode catalog = json.readTree(given().get("/v1/actions").then().statusCode(200).extract().asString());
        List<String> names = new ArrayList<>();
        catalog.get("actions").forEach(action -> names.add(action.get("name").asText()));
        assertEquals(ACTIONS, names, "the registry's actions in catalog order");
        assertEquals(Set.copyOf(names), toolCalls, "one POST /v1/actions/<name> per action, no templated path");

        List<String> operationIds = new ArrayList<>();
        for (JsonNode action : catalog.get("actions")) {
            String name = action.get("name").asText();
            JsonNode operation = openapi.get("paths").get("/v1/actions/" + name).get("post");
            operationIds.add(operation.get("operationId").asText());
            String input = ref(operation.at("/requestBody/content/application~1json/schema"));
            String output = ref(operation.at("/responses/200/content/application~1json/schema"));
            assertTrue(operation.at("/requestBody/required").asBoolean(), name);
            assertEquals(component(action.get("input_schema"), schemas), schemas.get(input), name + " input");
            assertEquals(component(action.get("output_schema"), schemas), schemas.get(output), name + " output");
        }
        assertEquals(List.of("runMakeCall", "runListCalls", "runGetRecording", "runGetCall", "runEndCall",
                "runAddDoNotCall"), operationIds);
    }

    /** Security on every operation but the public catalog; every 4xx answer is the envelope; servers; licence. */
    @Test
    void openApiSecuresEveryOperationAndDescribesItsRefusals() throws IOException {
        JsonNode openapi = openApi();
        Set<String> operationIds = new HashSet<>();
        for (JsonNode item : openapi.get("paths")) {
            for (JsonNode operation : item) {
                assertTrue(operationIds.add(operation.get("operationId").asText()), operation.toString());
                Set<String> required = new HashSet<>();
                operation.get("security").forEach(requirement -> required.addAll(fieldNames(requirement)));
                boolean catalog = operation.get("operationId").asText().equals("catalog");
                assertEquals(catalog ? Set.of() : Set.of("serviceKey", "twilioBasic"), required, operation.toString());
                List<String> refusals = new ArrayList<>();
                operation.get("responses").fieldNames().forEachRemaining(code -> {
                    if (code.startsWith("4")) {
                        refusals.add(code);
                        assertEquals(ApiDocumentFilter.ENVELOPE, operation.at("/responses/" + code
                                + "/content/application~1json/schema/$ref").asText(), operation.toString());
                    }
                });
                assertFalse(refusals.isEmpty(), operation.toString());
                assertEquals(!catalog, refusals.contains("401"), operation.toString());
            }
        }
        // The catalog, /v1/me, the six tool calls, POST and GET calls, GET call, POST end, GET recording, GET and
        // HEAD media, POST do-not-call (add_do_not_call), the ledger's three reads (calls, one call, controls), the
        // four operator controls (keys, suspend, resume, end-all), the approvals' listing and two decisions, and the
        // do-not-call list's four operations.
        assertEquals(30, operationIds.size(), operationIds.toString());
        assertTrue(operationIds.containsAll(Set.of("addDoNotCallNumber", "listLedgerControls")), operationIds.toString());
        assertTrue(operationIds.containsAll(Set.of("listApprovals", "approveCall", "denyCall")), operationIds.toString());
        assertTrue(operationIds.containsAll(Set.of("addDoNotCall", "removeDoNotCall", "getDoNotCall", "listDoNotCall")),
                operationIds.toString());
        assertEquals(Set.of("success", "error"), fieldNames(openapi.at("/components/schemas/Envelope/properties")));
        assertTrue(openapi.at("/servers/0/url").isTextual(), openapi.get("servers") + "");
        assertTrue(openapi.at("/info/license/name").isTextual(), openapi.get("info").toString());
    }

    /** Every status and header a caller can receive is declared where it can come, each error with the envelope. */
    @Test
    void openApiDeclaresEveryStatusAndHeaderCallersReceive() throws IOException {
        JsonNode paths = openApi().get("paths");
        String calls = "/v1/accounts/{account_sid}/calls";
        Set<String> reads = Set.of("200", "400", "401", "403", "404", "429", "502", "503", "504");
        assertTrue(fieldNames(responses(paths, calls, "post")).containsAll(
                Set.of("201", "400", "401", "403", "404", "409", "413", "429", "502", "503", "504")));
        assertTrue(fieldNames(responses(paths, calls, "get")).containsAll(reads));
        assertTrue(fieldNames(responses(paths, calls + "/{call_sid}", "get")).containsAll(reads));
        assertTrue(fieldNames(responses(paths, "/v1/accounts/{account_sid}/recordings/{recording_sid}", "get"))
                .containsAll(reads));
        JsonNode media = responses(paths, "/v1/accounts/{account_sid}/recordings/{recording_sid}/media", "get");
        assertTrue(fieldNames(media).containsAll(Set.of("200", "206", "401", "403", "404", "416", "429", "503")));

        // Queries read strictly are documented from their tables (QueryDocs), the operator controls' too.
        assertTrue(paths.at("/~1v1~1admin~1calls~1end-all/post/parameters").toString().contains("\"account_sid\""),
                paths.at("/~1v1~1admin~1calls~1end-all/post").toString());
        assertTrue(paths.at("/~1v1~1admin~1do-not-call/get/parameters").toString().contains("\"page_token\""),
                paths.at("/~1v1~1admin~1do-not-call/get").toString());

        assertTrue(responses(paths, calls, "post").at("/201/headers/Idempotent-Replayed/schema").isObject());
        assertTrue(responses(paths, calls, "get").at("/200/headers/Link/schema").isObject());
        for (String retried : List.of("403", "409", "429", "503")) {
            assertTrue(responses(paths, calls, "post").at("/" + retried + "/headers/Retry-After/schema").isObject(),
                    retried);
        }
        for (String action : ACTIONS) {
            JsonNode toolCall = responses(paths, "/v1/actions/" + action, "post");
            assertTrue(toolCall.at("/200/headers/Retry-After/schema").isObject(), action);
            assertTrue(toolCall.has("503"), action);
            assertEquals(action.equals("list_calls"), toolCall.at("/200/headers/Next-Page-Token").isObject(), action);
            assertEquals(action.equals("make_call"), toolCall.at("/200/headers/Idempotent-Replayed").isObject(), action);
        }
        JsonNode agentsDnc = responses(paths, "/v1/accounts/{account_sid}/do-not-call", "post");
        assertEquals(Set.of("200", "400", "401", "403", "413", "429", "503"), fieldNames(agentsDnc), agentsDnc.toString());
        assertTrue(agentsDnc.at("/403/description").asText().contains("add-do-not-call"), agentsDnc.toString());
        String dnc = "/v1/admin/do-not-call";
        assertTrue(fieldNames(responses(paths, dnc + "/{number}", "put")).containsAll(Set.of("200", "400", "401", "403", "503")));
        assertTrue(fieldNames(responses(paths, dnc + "/{number}", "get")).containsAll(Set.of("200", "400", "403", "404", "503")));
        assertTrue(responses(paths, dnc, "get").at("/200/headers/Next-Page-Token/schema").isObject());
        for (JsonNode item : paths) {
            for (JsonNode operation : item) {
                operation.get("responses").fields().forEachRemaining(response -> {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        assertEquals(ApiDocumentFilter.ENVELOPE, response.getValue()
                                .at("/content/application~1json/schema/$ref").asText(), operation.toString());
                    }
                });
            }
        }
    }

    static JsonNode responses(JsonNode paths, String path, String method) {
        JsonNode responses = paths.path(path).path(method).path("responses");
        assertTrue(responses.isObject(), method + " " + path);
        return responses;
    }

    /**
     * The contract schema as the document holds it: no $schema, its $defs among the components, and no
     * {@code "default": null} (the OpenAPI model has no JSON null; such a default adds nothing to its anyOf with null).
     */
    static JsonNode component(JsonNode contract, JsonNode schemas) {
        ObjectNode copy = contract.deepCopy();
        copy.remove("$schema");
        JsonNode defs = copy.remove("$defs");
        if (defs != null) {
            defs.fieldNames().forEachRemaining(def -> assertEquals(rewriteRefs(defs.get(def)), schemas.get(def), def));
        }
        return rewriteRefs(copy);
    }

    static JsonNode rewriteRefs(JsonNode schema) {
        ObjectMapper mapper = new ObjectMapper();
        try {
            return withoutNullDefaults(mapper.readTree(mapper.writeValueAsString(schema)
                    .replace("\"#/$defs/", "\"#/components/schemas/")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode withoutNullDefaults(JsonNode node) {
        if (node instanceof ObjectNode object && object.path("default").isNull()) {
            object.remove("default");
        }
        node.forEach(CatalogAndOpenApiTest::withoutNullDefaults);
        return node;
    }

    static String ref(JsonNode schema) {
        String ref = schema.path("$ref").asText();
        assertTrue(ref.startsWith("#/components/schemas/"), schema.toString());
        return ref.substring("#/components/schemas/".length());
    }

    /** What GET /calls documents is what it accepts: one table does both, so they cannot drift apart. */
    @Test
    void openApiDocumentsExactlyTheQueryParametersGetCallsAccepts() throws IOException {
        JsonNode openapi = openApi();
        Map<String, String> documented = new TreeMap<>();
        for (JsonNode parameter : openapi.at("/paths/~1v1~1accounts~1{account_sid}~1calls/get/parameters")) {
            if (parameter.get("in").asText().equals("query")) {
                assertTrue(parameter.path("description").asText().length() > 3, parameter.toString());
                documented.put(parameter.get("name").asText(), parameter.at("/schema/type").asText());
            }
        }
        String error = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls?undocumented=1")
                .then().statusCode(400).extract().path("error");
        Matcher accepted = Pattern.compile("accepted: ([a-z_, ]+)\\.").matcher(error);
        assertTrue(accepted.find(), error);

        assertEquals(Set.of(accepted.group(1).split(", ")), documented.keySet());
        assertEquals("integer", documented.get("page_size"));
        assertEquals("boolean", documented.get("include_recordings"));
        assertEquals("string", documented.get("from_"));
    }

    /** The ledger's reads: their parameters from the table that reads them, their answers typed, errors enveloped. */
    @Test
    void openApiDescribesTheLedgerReads() throws IOException {
        JsonNode openapi = openApi();
        JsonNode paths = openapi.get("paths");
        JsonNode list = paths.at("/~1v1~1ledger~1calls/get");
        JsonNode one = paths.at("/~1v1~1ledger~1calls~1{call_sid}/get");
        assertEquals("listLedgerCalls", list.get("operationId").asText());
        assertEquals("getLedgerCall", one.get("operationId").asText());
        assertEquals(List.of("Ledger"), List.of(list.at("/tags/0").asText(), one.at("/tags/0").asText()).stream()
                .distinct().toList());

        Map<String, String> documented = new TreeMap<>();
        for (JsonNode parameter : list.get("parameters")) {
            assertEquals("query", parameter.get("in").asText(), parameter.toString());
            assertTrue(parameter.path("description").asText().length() > 3, parameter.toString());
            documented.put(parameter.get("name").asText(), parameter.at("/schema/type").asText());
        }
        Map<String, String> accepted = new TreeMap<>();
        LedgerParams.QUERY.parameters().forEach(p -> accepted.put(p.name(), p.type().toString().toLowerCase()));
        assertEquals(accepted, documented);
        assertEquals("integer", documented.get("page_size"));
        assertEquals("call_sid", one.at("/parameters/0/name").asText(), one.toString());
        assertEquals("path", one.at("/parameters/0/in").asText(), one.toString());

        Set<String> errors = Set.of("400", "401", "403", "503");
        assertTrue(fieldNames(list.get("responses")).containsAll(errors), list.toString());
        assertTrue(fieldNames(one.get("responses")).containsAll(Set.of("200", "400", "401", "403", "404", "503")));
        assertTrue(list.at("/responses/200/headers/Next-Page-Token/schema").isObject(), list.toString());
        assertTrue(list.at("/responses/200/headers/Link/schema").isObject(), list.toString());
        assertTrue(list.at("/responses/503/headers/Retry-After/schema").isObject(), list.toString());

        JsonNode schemas = openapi.at("/components/schemas");
        String page = ref(list.at("/responses/200/content/application~1json/schema"));
        assertEquals(Set.of("success", "error", "calls", "next_page_token"), fieldNames(schemas.at("/" + page + "/properties")));
        Set<String> entry = Set.of("call_sid", "account_sid", "key", "surface", "to", "from", "url", "twiml",
                "idempotency_key", "request_id", "trace_id", "attempted_at", "outcome", "status", "events", "duration",
                "price", "price_unit", "answered_by", "recording_sids", "deliveries");
        assertEquals(entry, fieldNames(schemas.at("/LedgerCall/properties")));
        Set<String> output = new HashSet<>(entry);
        output.addAll(Set.of("success", "error"));
        String single = ref(one.at("/responses/200/content/application~1json/schema"));
        assertEquals(output, fieldNames(schemas.at("/" + single + "/properties")), schemas.get(single).toString());
        assertEquals(Set.of("status", "at", "sequence", "source", "key"),
                fieldNames(schemas.at("/LedgerEvent/properties")));
    }

    @Test
    void openApiDocumentsTheIdempotencyKeyHeader() throws IOException {
        List<String> headers = new ArrayList<>();
        openApi().at("/paths/~1v1~1accounts~1{account_sid}~1calls/post/parameters").forEach(parameter -> {
            if (parameter.get("in").asText().equals("header")) {
                headers.add(parameter.get("name").asText());
            }
        });
        assertTrue(headers.contains("Idempotency-Key"), headers.toString());
    }

    @Test
    void openApiAlsoServesYaml() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/accounts/{account_sid}/recordings/{recording_sid}:"))
                .body(containsString("serviceKey:"));
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
        given().get("/q/swagger-ui/index.html").then().statusCode(200);
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        assertFalse(node.isMissingNode(), "missing node");
        return names;
    }
}
