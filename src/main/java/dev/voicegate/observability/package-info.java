/**
 * Metrics, the audit trail, request ids and the tracing switch. Metric labels come from the configuration or
 * fixed names, never from what a caller sends.
 */
package dev.voicegate.observability;
