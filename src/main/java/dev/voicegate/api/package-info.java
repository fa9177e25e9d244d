/**
 * The REST surface: tool calls ({@code /v1/actions/*}), REST resources ({@code /v1/accounts/{sid}/…}), {@code /v1/me},
 * the recording media endpoint, the OpenAPI filter, the body limit, the shutdown gate and the one exception mapper.
 * Every action goes through {@code registry}'s dispatcher; nothing here depends on {@code mcp}.
 */
package dev.voicegate.api;
