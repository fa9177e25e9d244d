package dev.voicegate.api;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /v1/ledger/calls}: the envelope, a page of calls newest first, and the next page's token (null on the last). */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LedgerCalls(boolean success, String error, List<LedgerCall> calls, String nextPageToken) {
}
