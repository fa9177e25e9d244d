package dev.voicegate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * The manifests quarkus-kubernetes generated at package time (runs in the integration-test phase,
 * after packaging): probes, resources, secrets by reference only, a locked-down container, Knative scaling.
 */
class KubernetesManifestsIT {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<JsonNode> documents(String file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(Files.readString(Path.of("target/kubernetes", file)))) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    static JsonNode kind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    static void assertLockedDown(JsonNode container) {
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean(), "runAsNonRoot");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), "readOnlyRootFilesystem");
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation false");
        assertEquals("voicegate", container.path("envFrom").path(0).path("secretRef").path("name").asText(),
                "credentials come from the Secret");
        assertTrue(container.path("resources").path("requests").has("memory"), "memory request");
        assertTrue(container.path("resources").path("limits").has("memory"), "memory limit");
        assertEquals("/tmp", container.path("volumeMounts").path(0).path("mountPath").asText(), "writable /tmp");
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
    }

    static void assertNoLiteralSecrets(String file) throws IOException {
        String text = Files.readString(Path.of("target/kubernetes", file));
        for (String name : List.of("TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET", "SERVICE_API_KEYS")) {
            assertFalse(text.contains(name), file + " must not carry " + name + " as a literal value");
        }
        // quarkus.kubernetes.vcs-uri.enabled=false: built from a local clone, it would be the build machine's path.
        assertFalse(text.contains("vcs-uri"), file + " must not carry the git remote (app.quarkus.io/vcs-uri)");
    }

    @Test
    void kubernetesDeploymentAndService() throws IOException {
        List<JsonNode> documents = documents("kubernetes.yml");
        assertEquals(8080, kind(documents, "Service").path("spec").path("ports").path(0).path("targetPort").asInt());
        JsonNode container = kind(documents, "Deployment").path("spec").path("template").path("spec")
                .path("containers").path(0);
        assertLockedDown(container);
        assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
        assertTrue(documents.stream().noneMatch(d -> "ServiceMonitor".equals(d.path("kind").asText())),
                "no CRD-dependent objects in the plain manifest");
        assertNoLiteralSecrets("kubernetes.yml");
    }

    @Test
    void knativeServiceScalesToZero() throws IOException {
        JsonNode service = kind(documents("knative.yml"), "Service");
        JsonNode template = service.path("spec").path("template");
        assertEquals("0", template.path("metadata").path("annotations").path("autoscaling.knative.dev/min-scale").asText());
        assertEquals(100, template.path("spec").path("containerConcurrency").asInt());
        assertLockedDown(template.path("spec").path("containers").path(0));
        assertNoLiteralSecrets("knative.yml");
    }
}
