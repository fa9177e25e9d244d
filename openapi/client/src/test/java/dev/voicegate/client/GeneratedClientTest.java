package dev.voicegate.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.voicegate.client.api.AccessApi;
import dev.voicegate.client.api.AccountsApi;
import dev.voicegate.client.api.ActionsApi;
import dev.voicegate.client.model.CallListItem;
import dev.voicegate.client.model.Entry;
import dev.voicegate.client.model.GetCallInput;
import dev.voicegate.client.model.GetCallOutput;
import dev.voicegate.client.model.GetRecordingInput;
import dev.voicegate.client.model.GetRecordingOutput;
import dev.voicegate.client.model.ListCallsInput;
import dev.voicegate.client.model.MakeCallInput;
import dev.voicegate.client.model.MakeCallOutput;

/**
 * The client generated from the OpenAPI document, against the sandbox ({@code -Dvoicegate.url}): every action
 * through its typed tool-call method (get_call among them), and the REST operations (/v1/me, calls, a call, a
 * recording and its audio), with the sandbox's account and service key.
 */
class GeneratedClientTest {

    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String TEST_FROM = "+15005550006";

    final ApiClient client = client("Bearer sandbox-service-key");
    final ActionsApi actions = new ActionsApi(client);
    final AccountsApi accounts = new AccountsApi(client);
    final AccessApi access = new AccessApi(client);

    static ApiClient client(String authorization) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(System.getProperty("voicegate.url"));
        client.setRequestInterceptor(request -> request.header("Authorization", authorization));
        return client;
    }

    @Test
    void everyActionRunsThroughItsTypedMethod() throws Exception {
        List<String> names = actions.catalog().getActions().stream().map(Entry::getName).toList();
        assertTrue(names.containsAll(List.of("make_call", "list_calls", "get_recording", "get_call")), names.toString());

        MakeCallOutput made = actions.runMakeCall(new MakeCallInput().accountSid(ACCOUNT).to("+14155551234")
                .from(TEST_FROM).url(URI.create("https://example.com/twiml")).record(true));
        assertEquals(Boolean.TRUE, made.getSuccess(), made.getError());
        assertTrue(made.getCallSid().startsWith("CA"), made.getCallSid());

        // The sandbox completes the call within seconds: get_call follows it until then.
        GetCallOutput call = actions.runGetCall(new GetCallInput().accountSid(ACCOUNT).callSid(made.getCallSid())
                .waitSeconds(30));
        assertEquals(Boolean.TRUE, call.getSuccess(), call.getError());
        assertEquals(made.getCallSid(), call.getCallSid());
        assertEquals(Boolean.TRUE, call.getFinal(), call.getStatus());

        // Then it has a recording.
        String recordingSid = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> recordingOf(made.getCallSid()), sid -> sid != null);
        GetRecordingOutput recording = actions.runGetRecording(new GetRecordingInput().accountSid(ACCOUNT)
                .recordingSid(recordingSid));
        assertEquals(Boolean.TRUE, recording.getSuccess(), recording.getError());
        assertEquals(made.getCallSid(), recording.getCallSid());
        assertNotNull(recording.getMediaUrl());
    }

    @Test
    void restOperationsWork() throws Exception {
        assertEquals("service_key", access.me().getKind());

        MakeCallOutput made = accounts.makeCall(ACCOUNT, new MakeCallInput().accountSid(ACCOUNT).to("+14155551234")
                .from(TEST_FROM).twiml("<Response><Say>Hello</Say></Response>").record(true),
                "generated-client-" + System.nanoTime());
        assertEquals(Boolean.TRUE, made.getSuccess(), made.getError());

        List<CallListItem> calls = accounts.listCalls(ACCOUNT, null, null, null, null, null, null, 50, false, null)
                .getCalls();
        assertTrue(calls.stream().anyMatch(call -> made.getCallSid().equals(call.getCallSid())), calls.toString());

        GetCallOutput call = accounts.getCall(ACCOUNT, made.getCallSid(), true, 30);
        assertEquals(Boolean.TRUE, call.getSuccess(), call.getError());
        assertEquals(Boolean.TRUE, call.getFinal(), call.getStatus());
        String recordingSid = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> accounts.getCall(ACCOUNT, made.getCallSid(), true, 0).getRecordingSids(),
                        sids -> sids != null && !sids.isEmpty())
                .get(0);
        assertEquals(made.getCallSid(), accounts.getRecording(ACCOUNT, recordingSid).getCallSid());

        // The recording's audio: the first bytes of a WAV file.
        File audio = accounts.getRecordingMedia(ACCOUNT, recordingSid, null, "wav", "bytes=0-11");
        byte[] head = Files.readAllBytes(audio.toPath());
        assertEquals("RIFF", new String(head, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(12, head.length);
        accounts.headRecordingMedia(ACCOUNT, recordingSid, null, "mp3", null);
    }

    @Test
    void withoutCredentialsTheEnvelopeSaysUnauthorized() {
        ApiException refused = assertThrows(ApiException.class, () -> new ActionsApi(client("Bearer wrong-key"))
                .runListCalls(new ListCallsInput().accountSid(ACCOUNT)));
        assertEquals(401, refused.getCode());
        assertTrue(refused.getResponseBody().contains("\"error\":\"unauthorized: "), refused.getResponseBody());
    }

    private String recordingOf(String callSid) throws ApiException {
        return actions.runListCalls(new ListCallsInput().accountSid(ACCOUNT).includeRecordings(true)).getCalls().stream()
                .filter(call -> callSid.equals(call.getCallSid()))
                .flatMap(call -> call.getRecordingSids() == null ? Stream.empty() : call.getRecordingSids().stream())
                .findFirst().orElse(null);
    }
}
