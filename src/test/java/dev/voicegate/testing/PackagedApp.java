package dev.voicegate.testing;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts the packaged service for tests that need a process of their own (a second
 * replica, a SIGTERM): the native executable after {@code ./mvnw verify -Dnative}, else the JVM jar.
 */
public final class PackagedApp {

    private PackagedApp() {
    }

    public static List<String> command(List<String> systemProperties) {
        String nativeImage = System.getProperty("native.image.path");
        List<String> command = new ArrayList<>();
        if (nativeImage != null && new File(nativeImage).canExecute()) {
            command.add(nativeImage);
            command.addAll(systemProperties);
        } else {
            command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
            command.addAll(systemProperties);
            command.add("-jar");
            command.add("target/quarkus-app/quarkus-run.jar");
        }
        return command;
    }
}
