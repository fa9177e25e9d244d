package dev.voicegate.api;

import java.util.List;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/** The OpenAPI {@code enum} of {@code POST /v1/actions/{action}}: the names in the registry, as the catalog lists them. */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class ActionNamesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        PathItem path = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem("/v1/actions/{action}");
        Operation run = path == null ? null : path.getPOST();
        if (run == null || run.getParameters() == null) {
            return;
        }
        List<Object> names = List.copyOf(Arc.container().instance(ActionDispatcher.class).get().actions().keySet());
        for (Parameter parameter : run.getParameters()) {
            if ("action".equals(parameter.getName()) && parameter.getSchema() != null) {
                parameter.getSchema().setEnumeration(names);
            }
        }
    }
}
