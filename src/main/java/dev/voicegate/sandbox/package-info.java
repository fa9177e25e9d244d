/**
 * The embedded Twilio sandbox of the run command: a Twilio-compatible API over real HTTP, on only in dev mode and
 * the {@code sandbox} profile.
 */
package dev.voicegate.sandbox;
