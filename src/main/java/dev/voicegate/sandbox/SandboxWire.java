package dev.voicegate.sandbox;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON the sandbox sends, field for field as Twilio's 2010-04-01 API (OAI schemas {@code api.v2010.account.*}).
 * Every record writes its nulls ({@link JsonInclude.Include#ALWAYS}) whatever the application's global Jackson
 * inclusion is, because Twilio sends e.g. {@code "price": null} and {@code "next_page_uri": null} explicitly.
 */
final class SandboxWire {

    private SandboxWire() {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Call(String sid, String dateCreated, String dateUpdated, String parentCallSid, String accountSid,
            String to, String toFormatted, String from, String fromFormatted, String phoneNumberSid, String status,
            String startTime, String endTime, String duration, String price, String priceUnit, String direction,
            String answeredBy, String apiVersion, String forwardedFrom, String groupSid, String callerName,
            String queueTime, String trunkSid, String uri, CallSubresources subresourceUris) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CallSubresources(String notifications, String recordings, String payments, String events, String siprec,
            String streams, String transcriptions, String userDefinedMessageSubscriptions,
            String userDefinedMessages) {
    }

    /** A recording fetched by sid or listed for the account: has {@code media_url}, no {@code track}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Recording(String accountSid, String apiVersion, String callSid, String conferenceSid, String dateCreated,
            String dateUpdated, String startTime, String duration, String sid, String price, String priceUnit,
            String status, int channels, String source, Integer errorCode, String uri, Object encryptionDetails,
            RecordingSubresources subresourceUris, String mediaUrl) {
    }

    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RecordingSubresources(String addOnResults, String transcriptions) {
    }

    /** A recording listed under its call ({@code call_recording}): {@code track}, no media url or subresources. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CallRecording(String accountSid, String apiVersion, String callSid, String conferenceSid,
            String dateCreated, String dateUpdated, String startTime, String duration, String sid, String price,
            String priceUnit, String status, int channels, String source, Integer errorCode, String track,
            String uri, Object encryptionDetails) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Transcription(String accountSid, String apiVersion, String dateCreated, String dateUpdated,
            String duration, String price, String priceUnit, String recordingSid, String sid, String status,
            String transcriptionText, String type, String uri) {
    }

    /** Twilio's error body. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Error(int code, String message, String moreInfo, int status) {
    }

    /** The paging keys every list envelope has; Twilio sends no total. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PageMeta(int page, int pageSize, int start, int end, String uri, String firstPageUri, String nextPageUri,
            String previousPageUri) {
    }

    @RegisterForReflection
    record CallPage(List<Call> calls, @JsonUnwrapped PageMeta meta) {
    }

    @RegisterForReflection
    record RecordingPage(List<Recording> recordings, @JsonUnwrapped PageMeta meta) {
    }

    @RegisterForReflection
    record CallRecordingPage(List<CallRecording> recordings, @JsonUnwrapped PageMeta meta) {
    }

    @RegisterForReflection
    record TranscriptionPage(List<Transcription> transcriptions, @JsonUnwrapped PageMeta meta) {
    }
}
