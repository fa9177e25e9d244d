/**
 * Who may act: callers, named service keys and their policies, the toll-fraud guard, and the server-side Twilio
 * credentials by account ({@link dev.voicegate.access.TwilioAccounts}).
 */
package dev.voicegate.access;
