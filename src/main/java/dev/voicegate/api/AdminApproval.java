package dev.voicegate.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.voicegate.approval.Approval;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One approval as operators see it: the call it would place (numbers in full: operators decide on them), its state
 * ({@code pending}, {@code approved}, {@code denied}) and who decided it.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(description = "A make_call waiting for, or decided by, an operator; state is pending, approved or denied")
public record AdminApproval(String approvalId, String key, String accountSid, String to,
        @JsonProperty("from_") String from, String summary, String state, Instant createdAt, Instant expiresAt,
        String decidedBy, Instant decidedAt) {

    static AdminApproval of(Approval approval) {
        return new AdminApproval(approval.id(), approval.key(), approval.accountSid(), approval.to(), approval.from(),
                approval.summary(), approval.state().name().toLowerCase(Locale.ROOT),
                Instant.ofEpochMilli(approval.createdAt()), Instant.ofEpochMilli(approval.expiresAt()),
                approval.decidedBy(), approval.decidedAt() == null ? null : Instant.ofEpochMilli(approval.decidedAt()));
    }

    /** {@code GET /v1/admin/approvals}: the envelope and the live approvals, oldest first. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AdminApprovals")
    public record Listing(boolean success, String error, List<AdminApproval> approvals) {
    }

    /** {@code POST /v1/admin/approvals/{id}/approve|deny}: the envelope and the approval after the decision. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AdminApprovalDecision")
    public record Output(boolean success, String error, AdminApproval approval) {
    }
}
