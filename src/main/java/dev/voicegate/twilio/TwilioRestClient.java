package dev.voicegate.twilio;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * The Twilio Programmable Voice endpoints (API version 2010-04-01), declared and nothing more.
 * Only {@link TwilioClient} uses it: fault tolerance and failure classification live there.
 * Null parameters are left out of the request.
 */
@RegisterRestClient(configKey = "twilio")
@Path("/2010-04-01/Accounts/{accountSid}")
@Produces(MediaType.APPLICATION_JSON)
interface TwilioRestClient {

    /** {@code POST /Calls.json}: create (place) an outbound call. Twilio answers 201. */
    @POST
    @Path("/Calls.json")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<TwilioCall> createCall(@PathParam("accountSid") String accountSid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @FormParam("To") String to,
            @FormParam("From") String from,
            @FormParam("Url") String url,
            @FormParam("Twiml") String twiml,
            @FormParam("StatusCallback") String statusCallback,
            @FormParam("StatusCallbackMethod") String statusCallbackMethod,
            // Repeated keys: one joined value makes Twilio reject the whole list (21626) and send nothing.
            @FormParam("StatusCallbackEvent") List<String> statusCallbackEvents,
            @FormParam("Record") Boolean record,
            @FormParam("RecordingStatusCallback") String recordingStatusCallback,
            @FormParam("Timeout") Integer timeout,
            @FormParam("MachineDetection") String machineDetection);

    /** {@code GET /Calls.json}: one page of the call log, newest first. */
    @GET
    @Path("/Calls.json")
    Uni<TwilioCallPage> listCalls(@PathParam("accountSid") String accountSid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("To") String to,
            @QueryParam("From") String from,
            @QueryParam("Status") String status,
            @QueryParam("StartTime>") String startTimeOnOrAfter,
            @QueryParam("StartTime<") String startTimeBefore,
            @QueryParam("PageSize") Integer pageSize,
            @QueryParam("Page") Integer page,
            @QueryParam("PageToken") String pageToken);

    /** {@code GET /Calls/{CallSid}.json}: one call. */
    @GET
    @Path("/Calls/{callSid}.json")
    Uni<TwilioCall> fetchCall(@PathParam("accountSid") String accountSid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("callSid") String callSid);

    /**
     * {@code POST /Calls/{CallSid}.json} with {@code Status}: ends a live call ({@code canceled} for a queued or ringing
     * one, {@code completed} for one in progress). Twilio answers 200 with the call.
     */
    @POST
    @Path("/Calls/{callSid}.json")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Uni<TwilioCall> updateCallStatus(@PathParam("accountSid") String accountSid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("callSid") String callSid,
            @FormParam("Status") String status);

    /** {@code GET /Calls/{CallSid}/Recordings.json}: the recordings of one call. */
    @GET
    @Path("/Calls/{callSid}/Recordings.json")
    Uni<TwilioRecordingPage> listCallRecordings(@PathParam("accountSid") String accountSid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("callSid") String callSid,
            @QueryParam("PageSize") Integer pageSize,
            @QueryParam("Page") Integer page,
            @QueryParam("PageToken") String pageToken);

    /**
     * {@code GET /Recordings.json}: one page of the account's recordings, newest first. {@code DateCreated>} is
     * "created on or after that day", {@code DateCreated<} "created before that day" ({@code YYYY-MM-DD}, UTC).
     */
    @GET
    @Path("/Recordings.json")
    Uni<TwilioRecordingPage> listRecordings(@PathParam("accountSid") String accountSid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("DateCreated>") String createdOnOrAfter,
            @QueryParam("DateCreated<") String createdBefore,
            @QueryParam("PageSize") Integer pageSize,
            @QueryParam("Page") Integer page,
            @QueryParam("PageToken") String pageToken);

    /** {@code GET /Recordings/{Sid}.json}: one recording's metadata. */
    @GET
    @Path("/Recordings/{recordingSid}.json")
    Uni<TwilioRecording> fetchRecording(@PathParam("accountSid") String accountSid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("recordingSid") String recordingSid);

    /** {@code GET /Recordings/{RecordingSid}/Transcriptions.json}: a recording's transcriptions. */
    @GET
    @Path("/Recordings/{recordingSid}/Transcriptions.json")
    Uni<TwilioTranscriptionPage> listTranscriptions(@PathParam("accountSid") String accountSid,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("recordingSid") String recordingSid,
            @QueryParam("PageSize") Integer pageSize);

    /** Every non-2xx answer becomes a typed {@link TwilioException} here, once. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return TwilioFailures.fromResponse(response);
    }
}
