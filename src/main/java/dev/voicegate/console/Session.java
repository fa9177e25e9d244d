package dev.voicegate.console;

/**
 * One operator's sign-in: the key's name (never its secret), when it ends (epoch seconds), and a random id that the
 * CSRF token of its forms is derived from.
 */
public record Session(String key, long expiresAt, String id) {
}
