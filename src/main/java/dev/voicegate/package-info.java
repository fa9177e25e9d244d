/**
 * Voicegate: Twilio Programmable Voice behind a small, safe API. This package holds only what every other one
 * may use: {@link dev.voicegate.Redact} (masking phone numbers) and {@link dev.voicegate.Sid} (each SID kind, once).
 */
package dev.voicegate;
