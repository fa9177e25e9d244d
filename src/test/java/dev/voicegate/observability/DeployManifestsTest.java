package dev.voicegate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * The kustomize layout under {@code deploy/}, rendered offline by {@code kubectl kustomize} (installed by
 * {@code .ci/run}; Debian's is kubectl 1.20 with kustomize v2.0.3) as someone deploying it would: probes, resources,
 * a locked-down container, credentials by Secret reference only, and nothing of the machine it was written on.
 */
class DeployManifestsTest {

    /** A local path or file URL anywhere in a rendered overlay: the build machine leaking into the manifests. */
    private static final Pattern LOCAL_PATH = Pattern.compile("(?<![\\w.-])(/home|/work|/root|/Users|/tmp/|file:)");
    /** Values that look like secrets: nothing of that kind may be written inline. */
    private static final List<String> SECRET_NAMES = List.of("TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET", "SERVICE_API_KEYS",
            "CONSOLE_SESSION_SECRET", "TWILIO_WEBHOOK_AUTH_TOKEN", "REDIS_URL");

    static String render(String overlay) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", Path.of("deploy", overlay).toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException missing) {
            throw new AssertionError("kubectl is not installed: .ci/run installs it (apt-get install kubernetes-client, "
                    + "Debian's kubectl); this test renders deploy/" + overlay + " with `kubectl kustomize`", missing);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("kubectl kustomize deploy/" + overlay + " failed; run it to see why");
        }
        return out;
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            KubernetesManifestsIT.YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && d.size() > 0) {
                    documents.add(d);
                }
            });
        }
        return documents;
    }

    static JsonNode only(List<JsonNode> documents, String apiVersion, String kind) {
        List<JsonNode> found = documents.stream().filter(d -> kind.equals(d.path("kind").asText())
                && apiVersion.equals(d.path("apiVersion").asText())).toList();
        assertEquals(1, found.size(), "one " + apiVersion + " " + kind);
        return found.get(0);
    }

    static void assertCommon(String overlay, String yaml, List<JsonNode> documents) {
        assertFalse(LOCAL_PATH.matcher(yaml).find(), overlay + " carries a local path: " + yaml);
        assertFalse(yaml.contains("vcs-uri"), overlay + " carries a vcs-uri");
        // /tmp is the emptyDir's mount point and nothing else.
        assertFalse(yaml.replace("mountPath: /tmp\n", "").contains("/tmp"), overlay + " names /tmp beyond its mount");
        JsonNode config = only(documents, "v1", "ConfigMap");
        assertEquals("voicegate-config", config.path("metadata").path("name").asText());
        for (String secret : SECRET_NAMES) {
            assertFalse(config.path("data").has(secret), secret + " in the ConfigMap");
        }
        assertTrue(documents.stream().noneMatch(d -> "Secret".equals(d.path("kind").asText())),
                overlay + ": Secrets are created by the operator, never rendered from these files");
    }

    /** The container of a Deployment or a Knative Service, checked as KubernetesManifestsIT checks the generated ones. */
    static void assertLockedDown(JsonNode podSpec, String memoryLimit) {
        JsonNode container = podSpec.path("containers").path(0);
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean(), "runAsNonRoot");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), "readOnlyRootFilesystem");
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation false");
        assertEquals("ALL", security.path("capabilities").path("drop").path(0).asText(), "drops ALL capabilities");
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        JsonNode resources = container.path("resources");
        assertTrue(resources.path("requests").has("cpu") && resources.path("requests").has("memory"), "requests");
        assertEquals(memoryLimit, resources.path("limits").path("memory").asText(), "memory limit");
        assertTrue(resources.path("limits").has("cpu"), "cpu limit");
        assertEquals("/tmp", container.path("volumeMounts").path(0).path("mountPath").asText(), "writable /tmp");
        String tmp = container.path("volumeMounts").path(0).path("name").asText();
        assertTrue(podSpec.path("volumes").findValues("name").stream().anyMatch(n -> tmp.equals(n.asText())), "volume");
        assertTrue(podSpec.path("volumes").path(0).has("emptyDir"), "/tmp is an emptyDir");
        List<String> envFrom = new ArrayList<>();
        container.path("envFrom").forEach(e -> envFrom.add(e.has("secretRef")
                ? "secret:" + e.path("secretRef").path("name").asText()
                : "config:" + e.path("configMapRef").path("name").asText()));
        assertEquals(List.of("config:voicegate-config", "secret:voicegate"), envFrom, "settings and credentials");
        // Every env var with a value is a plain setting; a secret is only ever a reference.
        container.path("env").forEach(env -> assertFalse(env.has("value") && SECRET_NAMES.contains(env.path("name").asText()),
                env.path("name").asText() + " written inline"));
    }

    static JsonNode deployment(List<JsonNode> documents) {
        JsonNode deployment = only(documents, "apps/v1", "Deployment");
        JsonNode service = only(documents, "v1", "Service");
        assertEquals(8080, service.path("spec").path("ports").path(0).path("targetPort").asInt());
        assertEquals(deployment.path("spec").path("template").path("metadata").path("labels").path("app.kubernetes.io/name"),
                service.path("spec").path("selector").path("app.kubernetes.io/name"), "the Service selects the pods");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), "pod runAsNonRoot");
        assertEquals("/q/health/started", pod.path("containers").path(0).path("startupProbe").path("httpGet").path("path")
                .asText());
        assertLockedDown(pod, "336Mi");
        return deployment;
    }

    @Test
    void baseIsOneLockedDownReplica() throws Exception {
        String yaml = render("base");
        List<JsonNode> documents = documents(yaml);
        assertCommon("base", yaml, documents);
        JsonNode deployment = deployment(documents);
        assertEquals(1, deployment.path("spec").path("replicas").asInt());
        assertFalse(deployment.toString().contains("REDIS_URL"), "no Redis in the base");
    }

    @Test
    void redisOverlayRunsReplicasSharingRedisFromASecret() throws Exception {
        String yaml = render("overlays/redis");
        List<JsonNode> documents = documents(yaml);
        assertCommon("overlays/redis", yaml, documents);
        JsonNode deployment = deployment(documents);
        assertTrue(deployment.path("spec").path("replicas").asInt() > 1, "replicas > 1");
        assertEquals(0, deployment.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt());
        JsonNode env = deployment.path("spec").path("template").path("spec").path("containers").path(0).path("env");
        JsonNode redis = null;
        for (JsonNode e : env) {
            if ("REDIS_URL".equals(e.path("name").asText())) {
                redis = e;
            }
        }
        assertTrue(redis != null && !redis.has("value"), "REDIS_URL by reference only");
        assertEquals("voicegate-redis", redis.path("valueFrom").path("secretKeyRef").path("name").asText());
        assertEquals("url", redis.path("valueFrom").path("secretKeyRef").path("key").asText());
    }

    @Test
    void knativeOverlayIsAKnativeServiceOnly() throws Exception {
        String yaml = render("overlays/knative");
        List<JsonNode> documents = documents(yaml);
        assertCommon("overlays/knative", yaml, documents);
        assertTrue(documents.stream().noneMatch(d -> "Deployment".equals(d.path("kind").asText())), "no Deployment");
        assertTrue(documents.stream().noneMatch(d -> "v1".equals(d.path("apiVersion").asText())
                && "Service".equals(d.path("kind").asText())), "no plain Service");
        JsonNode template = only(documents, "serving.knative.dev/v1", "Service").path("spec").path("template");
        assertEquals("0", template.path("metadata").path("annotations").path("autoscaling.knative.dev/min-scale").asText());
        assertEquals(100, template.path("spec").path("containerConcurrency").asInt());
        assertLockedDown(template.path("spec"), "256Mi");
    }
}
