package dev.voicegate.api;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/** Documents each operation's query parameters from the {@link StrictQuery} that reads them, so the two cannot differ. */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class QueryDocs implements OASFilter {

    /** By operation id: the resource method's name. */
    private static final Map<String, StrictQuery> QUERIES = Map.of("listCalls", AccountResource.LIST_CALLS_QUERY,
            "listLedgerCalls", LedgerParams.QUERY, "endAllCalls", AdminKeysResource.END_ALL_QUERY,
            "listDoNotCall", DoNotCallResource.LIST_QUERY);

    @Override
    public Operation filterOperation(Operation operation) {
        StrictQuery query = QUERIES.get(operation.getOperationId());
        if (query != null) {
            query.parameters().forEach(parameter -> operation.addParameter(OASFactory.createParameter()
                    .name(parameter.name()).in(Parameter.In.QUERY).description(parameter.description())
                    .schema(OASFactory.createSchema().addType(parameter.type()))));
        }
        return operation;
    }
}
