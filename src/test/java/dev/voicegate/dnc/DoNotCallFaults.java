package dev.voicegate.dnc;

/** What the list's store fails with when Redis does not answer, for tests outside this package. */
public final class DoNotCallFaults {

    private DoNotCallFaults() {
    }

    public static RuntimeException unavailable() {
        return new DoNotCallUnavailableException("Redis is unreachable", new IllegalStateException("connection refused"));
    }
}
