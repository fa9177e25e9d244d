package dev.voicegate.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import com.fasterxml.jackson.databind.JsonNode;

import dev.voicegate.registry.ActionCatalog;
import dev.voicegate.registry.ActionDispatcher;
import dev.voicegate.registry.Envelope;
import dev.voicegate.voice.Action;
import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Completes the OpenAPI document, generically, so that it lints clean and generators type every call:
 * <ul>
 * <li>each action of the registry gets its own tool-call operation {@code POST /v1/actions/<name>}, in catalog
 * order, made from the one of {@link ActionResource#invoke} and typed with the action's contract schemas (as the
 * catalog serves them);</li>
 * <li>an operation without security gets the document's; a public one says so with an empty list;</li>
 * <li>every operation answers 4xx with the {@link Envelope}, and declares the statuses and headers it can answer
 * with ({@link ApiOutcomes}).</li>
 * </ul>
 * It runs at run time, where the registry ({@link ActionDispatcher}) exists; a new action needs no edit here. It runs
 * per request of the document (a worker thread, on a copy of the build-time model), not at start-up: with a start-up
 * filter Quarkus serializes the document to JSON and YAML before the service is ready, ~8% of the start's work.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class ApiDocumentFilter implements OASFilter {

    static final String TOOL_CALL = "/v1/actions/{action}";
    static final String ENVELOPE = "#/components/schemas/Envelope";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        ActionDispatcher registry = Arc.container().instance(ActionDispatcher.class).get();
        ActionCatalog catalog = Arc.container().instance(ActionCatalog.class).get();
        filter(openAPI, registry.actions(), catalog.catalog().actions());
    }

    static void filter(OpenAPI openAPI, Map<String, Action<?, ?>> actions, List<ActionCatalog.Entry> entries) {
        PathItem templated = openAPI.getPaths().getPathItem(TOOL_CALL);
        if (templated == null || templated.getPOST() == null) {
            throw new IllegalStateException("no POST " + TOOL_CALL + " (ActionResource#invoke) to make the tool calls from");
        }
        Operation template = templated.getPOST();
        openAPI.getPaths().removePathItem(TOOL_CALL);
        Map<String, JsonNode> added = new HashMap<>();
        Components schemas = openAPI.getComponents();
        for (ActionCatalog.Entry entry : entries) {
            Action<?, ?> action = actions.get(entry.name());
            String input = ContractSchemaModel.addTo(schemas, added,
                    contract(entry, "input", entry.inputSchema(), action.inputType()));
            // The output type is the one failure() returns.
            String output = ContractSchemaModel.addTo(schemas, added,
                    contract(entry, "output", entry.outputSchema(), action.failure("").getClass()));
            openAPI.getPaths().addPathItem("/v1/actions/" + entry.name(),
                    OASFactory.createPathItem().POST(toolCall(template, entry.name(), input, output)));
        }
        List<SecurityRequirement> secured = openAPI.getSecurity();
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            ApiOutcomes.declare(path, method, operation);
            complete(operation, secured);
        }));
    }

    /**
     * The action's contract schema, which must be titled after its Java type: it then replaces the schema scanned
     * from that type, so the REST operations that return it are typed by the contract too.
     */
    private static JsonNode contract(ActionCatalog.Entry entry, String direction, JsonNode schema, Class<?> javaType) {
        if (!schema.path("title").asText().equals(javaType.getSimpleName())) {
            throw new IllegalStateException("contract/" + entry.name() + "." + direction + ".schema.json must be titled '"
                    + javaType.getSimpleName() + "'");
        }
        return schema;
    }

    private static Operation toolCall(Operation template, String action, String input, String output) {
        APIResponses responses = OASFactory.createAPIResponses();
        template.getResponses().getAPIResponses().forEach((code, response) -> responses.addAPIResponse(code,
                !code.equals("200") ? response : OASFactory.createAPIResponse().description(response.getDescription())
                        .headers(response.getHeaders()).content(json(output))));
        String pascal = Arrays.stream(action.split("_"))
                .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1)).reduce("", String::concat);
        return OASFactory.createOperation()
                .operationId("run" + pascal)
                .summary(action + " (tool call)")
                .description(template.getDescription())
                .tags(template.getTags())
                .security(template.getSecurity())
                .requestBody(OASFactory.createRequestBody().required(true).content(json(input)))
                .responses(responses);
    }

    /**
     * A summary (from the method's name when there is none); security unless public; 401 when secured, 413 when
     * there is a body, some 4xx always; the envelope on each.
     */
    private static void complete(Operation operation, List<SecurityRequirement> secured) {
        if (operation.getSummary() == null && operation.getOperationId() != null) {
            String words = operation.getOperationId().replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            operation.setSummary(Character.toUpperCase(words.charAt(0)) + words.substring(1));
        }
        if (operation.getSecurity() == null && secured != null) {
            operation.setSecurity(new ArrayList<>(secured));
        }
        APIResponses responses = operation.getResponses();
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty() && !responses.hasAPIResponse("401")) {
            responses.addAPIResponse("401", OASFactory.createAPIResponse().description("Not authenticated"));
        }
        if (operation.getRequestBody() != null && !responses.hasAPIResponse("413")) {
            responses.addAPIResponse("413", OASFactory.createAPIResponse().description("The request body is too large"));
        }
        if (responses.getAPIResponses().keySet().stream().noneMatch(code -> code.startsWith("4"))) {
            responses.addAPIResponse("4XX", OASFactory.createAPIResponse().description("Refused; 'error' says why"));
        }
        responses.getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("4") && response.getRef() == null
                    && (response.getContent() == null || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ENVELOPE))));
            }
        });
    }

    private static Content json(String component) {
        return OASFactory.createContent().addMediaType("application/json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/" + component)));
    }
}
