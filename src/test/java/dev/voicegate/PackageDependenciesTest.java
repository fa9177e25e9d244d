package dev.voicegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The main packages depend on each other one way: surfaces (api, mcp, callback, console) on the registry and voice, voice
 * on twilio, twilio on twilio.limit, cross-cutting packages below or beside, and no cycle anywhere. Read from the
 * sources, so an import, a static import or a fully qualified name (even in a comment) all count.
 */
class PackageDependenciesTest {

    static final Path MAIN = Path.of("src/main/java");
    static final String BASE = "dev.voicegate";
    /** A reference to a type (or a wildcard) of a package of ours: the package is group 1. */
    static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.voicegate(?:\\.[a-z_][a-z0-9_]*)*)\\.(?:[A-Z]|\\*)");
    static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    static final Set<String> SURFACES = Set.of(BASE + ".api", BASE + ".mcp", BASE + ".callback", BASE + ".console");
    static final String TWILIO = BASE + ".twilio";
    static final String LIMIT = TWILIO + ".limit";
    static final String MEDIA = TWILIO + ".media";
    static final String REGISTRY = BASE + ".registry";
    /** What the Twilio side (twilio and its sub-packages) never uses: it knows nothing of actions or surfaces. */
    static final Set<String> ABOVE_TWILIO = Set.of(BASE + ".voice", REGISTRY, BASE + ".api", BASE + ".mcp");

    /** Package to the packages it references, with the files that do it, for the failure messages. */
    static Map<String, Map<String, Set<String>>> graph() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher declared = PACKAGE.matcher(source);
                assertTrue(declared.find(), "no package line in " + file);
                String from = declared.group(1);
                Map<String, Set<String>> edges = graph.computeIfAbsent(from, name -> new TreeMap<>());
                Matcher reference = REFERENCE.matcher(source);
                while (reference.find()) {
                    if (!reference.group(1).equals(from)) {
                        edges.computeIfAbsent(reference.group(1), name -> new TreeSet<>()).add(file.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    @Test
    void theSourcesAreFound() {
        Map<String, Map<String, Set<String>>> graph = graph();
        assertTrue(graph.keySet().containsAll(Set.of(BASE + ".api", BASE + ".mcp", REGISTRY, BASE + ".voice", TWILIO,
                LIMIT, MEDIA)), graph.keySet()::toString);
        assertTrue(graph.get(BASE + ".api").containsKey(REGISTRY), "api is expected to use the registry");
        assertTrue(graph.get(BASE + ".mcp").containsKey(REGISTRY), "mcp is expected to use the registry");
        assertTrue(graph.get(BASE + ".api").containsKey(BASE + ".voice"), "api is expected to use voice");
        assertTrue(graph.get(BASE + ".voice").containsKey(TWILIO), "voice is expected to use twilio");
        assertTrue(graph.get(TWILIO).containsKey(LIMIT), "twilio is expected to use twilio.limit");
        assertTrue(graph.get(MEDIA).containsKey(LIMIT), "twilio.media is expected to use twilio.limit");
    }

    @Test
    void noPackageCycle() {
        Map<String, Map<String, Set<String>>> graph = graph();
        List<String> cycle = findCycle(graph);
        assertEquals(List.of(), cycle, () -> "package cycle: " + describe(cycle, graph));
    }

    @Test
    void nothingDependsOnASurface() {
        assertEquals(List.of(), edges((from, to) -> SURFACES.contains(to)),
                "api, mcp, callback and console are surfaces: nothing depends on them, not even another surface");
    }

    @Test
    void theTwilioSideKnowsNothingAbove() {
        assertEquals(List.of(), edges((from, to) -> isTwilioSide(from) && ABOVE_TWILIO.contains(to)),
                "twilio and its sub-packages never depend on voice, registry, api or mcp");
    }

    @Test
    void theLimiterStandsAlone() {
        assertEquals(List.of(), edges((from, to) -> from.equals(LIMIT) && isTwilioSide(to)),
                "twilio.limit depends on neither twilio nor twilio.media: the client uses the limiter, not back");
    }

    @Test
    void theRegistryIsBelowTheSurfaces() {
        assertEquals(List.of(), edges((from, to) -> from.equals(REGISTRY) && SURFACES.contains(to)),
                "the registry is shared by api and mcp, so it depends on neither");
    }

    static boolean isTwilioSide(String name) {
        return name.equals(TWILIO) || name.startsWith(TWILIO + ".");
    }

    /** Every dependency the rule forbids, as "from -> to [files]". */
    static List<String> edges(BiPredicate<String, String> forbidden) {
        List<String> wrongWay = new ArrayList<>();
        graph().forEach((from, edges) -> edges.forEach((to, files) -> {
            if (forbidden.test(from, to)) {
                wrongWay.add(from + " -> " + to + " " + files);
            }
        }));
        return wrongWay;
    }

    /** A cycle as its packages in order (the first repeated at the end), or an empty list. */
    static List<String> findCycle(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // absent: unseen; 1: on the current path; 2: done
        List<String> path = new ArrayList<>();
        for (String start : graph.keySet()) {
            List<String> cycle = visit(start, graph, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> state,
            List<String> path) {
        Integer seen = state.get(node);
        if (seen != null) {
            if (seen == 2) {
                return List.of();
            }
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return cycle;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            List<String> cycle = visit(next, graph, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return List.of();
    }

    private static String describe(List<String> cycle, Map<String, Map<String, Set<String>>> graph) {
        StringBuilder text = new StringBuilder(cycle.get(0));
        for (int i = 1; i < cycle.size(); i++) {
            text.append(" -> ").append(cycle.get(i)).append(' ').append(graph.get(cycle.get(i - 1)).get(cycle.get(i)));
        }
        return text.toString();
    }

    @Test
    void aCycleIsFoundAndNamed() {
        Map<String, Map<String, Set<String>>> graph = Map.of(
                "a", Map.of("b", Set.of("A.java")),
                "b", Map.of("c", Set.of("B.java")),
                "c", Map.of("a", Set.of("C.java")),
                "d", Map.of("a", Set.of("D.java")));
        List<String> cycle = findCycle(new TreeMap<>(graph));
        assertEquals(List.of("a", "b", "c", "a"), cycle);
        assertEquals("a -> b [A.java] -> c [B.java] -> a [C.java]", describe(cycle, graph));
        assertEquals(List.of(), findCycle(new TreeMap<>(Map.of("a", Map.of("b", Set.of("A.java"))))));
    }
}
