package dev.voicegate.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

import dev.voicegate.testing.TestAccounts;
import dev.voicegate.testing.WireMockTwilio;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The action catalog serves the project's contract schemas verbatim; OpenAPI and Swagger UI describe the API. */
@QuarkusTest
@WithTestResource(WireMockTwilio.class)
class CatalogAndOpenApiTest {

    static final List<String> ACTIONS = List.of("make_call", "list_calls", "get_recording", "get_call");
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
    void catalogIsTheSameWithCredentials() {
        String anonymous = given().get("/v1/actions").then().statusCode(200).extract().asString();
        String withKey = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .get("/v1/actions").then().statusCode(200).extract().asString();
        assertEquals(anonymous, withKey);
    }

    @Test
    void openApiDescribesThePathsAndBothSecuritySchemes() throws IOException {
        JsonNode openapi = json.readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());

        JsonNode paths = openapi.get("paths");
        for (String path : List.of("/v1/actions", "/v1/actions/{action}", "/v1/accounts/{account_sid}/calls",
                "/v1/accounts/{account_sid}/recordings/{recording_sid}", "/v1/accounts/{account_sid}/calls/{call_sid}")) {
            assertTrue(paths.has(path), "OpenAPI path " + path + " in " + fieldNames(paths));
        }
        assertTrue(paths.get("/v1/actions/{action}").has("post"));
        // The enum of action names is the registry's, in catalog order.
        List<String> enumerated = new ArrayList<>();
        for (JsonNode parameter : paths.at("/~1v1~1actions~1{action}/post/parameters")) {
            if (parameter.path("name").asText().equals("action")) {
                parameter.at("/schema/enum").forEach(name -> enumerated.add(name.asText()));
            }
        }
        assertEquals(ACTIONS, enumerated, paths.get("/v1/actions/{action}").toString());
        assertTrue(paths.get("/v1/accounts/{account_sid}/calls").has("post"));
        assertTrue(paths.get("/v1/accounts/{account_sid}/calls").has("get"));
        assertTrue(paths.get("/v1/accounts/{account_sid}/recordings/{recording_sid}").has("get"));
        assertTrue(paths.get("/v1/accounts/{account_sid}/calls/{call_sid}").has("get"));

        // get_call's output as the contract names it, not as Java would ("isFinal", "from").
        JsonNode getCall = openapi.at("/components/schemas/GetCallOutput/properties");
        assertTrue(getCall.has("final") && getCall.has("from_") && !getCall.has("isFinal"), getCall.toString());

        JsonNode schemes = openapi.at("/components/securitySchemes");
        assertEquals("http", schemes.at("/serviceKey/type").asText(), schemes.toString());
        assertEquals("bearer", schemes.at("/serviceKey/scheme").asText(), schemes.toString());
        assertEquals("http", schemes.at("/twilioBasic/type").asText(), schemes.toString());
        assertEquals("basic", schemes.at("/twilioBasic/scheme").asText(), schemes.toString());

        for (JsonNode operation : List.of(paths.at("/~1v1~1actions~1{action}/post"),
                paths.at("/~1v1~1accounts~1{account_sid}~1calls/post"),
                paths.at("/~1v1~1accounts~1{account_sid}~1calls/get"),
                paths.at("/~1v1~1accounts~1{account_sid}~1recordings~1{recording_sid}/get"),
                paths.at("/~1v1~1accounts~1{account_sid}~1calls~1{call_sid}/get"))) {
            Set<String> required = new HashSet<>();
            operation.get("security").forEach(requirement -> required.addAll(fieldNames(requirement)));
            assertEquals(Set.of("serviceKey", "twilioBasic"), required, operation.toString());
        }
    }

    /** What GET /calls documents is what it accepts: one table does both, so they cannot drift apart. */
    @Test
    void openApiDocumentsExactlyTheQueryParametersGetCallsAccepts() throws IOException {
        JsonNode openapi = json.readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
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

    @Test
    void openApiDocumentsTheIdempotencyKeyHeader() throws IOException {
        JsonNode openapi = json.readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        List<String> headers = new ArrayList<>();
        openapi.at("/paths/~1v1~1accounts~1{account_sid}~1calls/post/parameters").forEach(parameter -> {
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
