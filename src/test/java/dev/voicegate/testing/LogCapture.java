package dev.voicegate.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Records every log line of the JVM while installed: the root logger is lowered to DEBUG and a handler
 * keeps each record's formatted message with its whole cause chain. {@link #close()} restores the levels.
 * The test's own HTTP client (RestAssured on Apache HttpClient) stays at INFO: at DEBUG it logs the
 * requests the test sends, credentials included, which says nothing about the service.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** Loggers of the test side, not of the service. */
    private static final List<String> TEST_CLIENT_LOGGERS = List.of("org.apache.http", "io.restassured");

    private final List<String> lines = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Map<Logger, Level> previousLevels = new LinkedHashMap<>();

    private LogCapture() {
        setLevel(Level.ALL);
        previousLevels.put(root, root.getLevel());
        root.setLevel(Level.FINE);
        for (String name : TEST_CLIENT_LOGGERS) {
            Logger quiet = Logger.getLogger(name);
            previousLevels.put(quiet, quiet.getLevel());
            quiet.setLevel(Level.INFO);
        }
        root.addHandler(this);
    }

    /** Starts capturing. */
    public static LogCapture install() {
        return new LogCapture();
    }

    /** A copy of the captured lines so far: level, logger, message, then every throwable's class and message. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        StringBuilder line = new StringBuilder()
                .append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ").append(message(record));
        if (record instanceof ExtLogRecord ext && ext.getMdc("request_id") != null) {
            line.append(" [request_id=").append(ext.getMdc("request_id")).append(']');
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
            for (Throwable suppressed : t.getSuppressed()) {
                line.append(" | suppressed ").append(suppressed);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        previousLevels.forEach(Logger::setLevel);
    }

    private static String message(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            return ext.getFormattedMessage();
        }
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        return parameters == null || parameters.length == 0 ? String.valueOf(message)
                : message + " " + Arrays.toString(parameters);
    }
}
