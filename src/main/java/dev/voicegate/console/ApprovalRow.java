package dev.voicegate.console;

import java.time.Instant;
import java.util.Locale;

import dev.voicegate.Redact;
import dev.voicegate.approval.Approval;
import io.quarkus.qute.TemplateData;

/** One approval on the approvals page: times as ISO instants, {@code to} masked with the full number on hover. */
@TemplateData
public record ApprovalRow(String id, String key, String accountSid, String toMasked, String to, String from,
        String summary, String state, boolean pending, String createdAt, String expiresAt, String decidedBy) {

    static ApprovalRow of(Approval approval) {
        return new ApprovalRow(approval.id(), approval.key(), approval.accountSid(), Redact.phone(approval.to()),
                approval.to(), approval.from(), approval.summary(), approval.state().name().toLowerCase(Locale.ROOT),
                approval.state() == Approval.State.PENDING, Instant.ofEpochMilli(approval.createdAt()).toString(),
                Instant.ofEpochMilli(approval.expiresAt()).toString(), approval.decidedBy());
    }
}
