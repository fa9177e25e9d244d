package dev.voicegate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/voicegate.json is what {@link DashboardGenerator} writes: nobody edits the JSON by hand and forgets
 * the generator. {@code -Ddashboard.write=true} writes it instead (after a change to the generator).
 */
class DashboardFileTest {

    @Test
    void checkedInDashboardIsTheGeneratedOne() throws Exception {
        if (Boolean.getBoolean("dashboard.write")) {
            DashboardGenerator.write();
        }
        assertEquals(DashboardGenerator.json(), Files.readString(DashboardGenerator.FILE),
                DashboardGenerator.FILE + " differs from DashboardGenerator's output: write it again with "
                        + "./mvnw -o -q test -Dtest=DashboardFileTest -Ddashboard.write=true");
    }
}
