/**
 * The operator console at {@code /console}: server-rendered pages (Qute, htmx) over the ledger and the operator
 * controls, for operator keys signed in with a session cookie. A surface: nothing depends on it.
 */
package dev.voicegate.console;
