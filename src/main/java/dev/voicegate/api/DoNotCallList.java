package dev.voicegate.api;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.dnc.DoNotCallEntry;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /v1/admin/do-not-call}: the envelope, a page of entries, and the next page's token (null on the last). */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DoNotCallList(boolean success, String error, List<DoNotCallEntry> entries, String nextPageToken) {
}
