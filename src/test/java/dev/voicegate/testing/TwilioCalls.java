package dev.voicegate.testing;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Call resources made up per test: a new SID each, created now, in Twilio's JSON. */
public final class TwilioCalls {

    private TwilioCalls() {
    }

    /** A call SID no other test uses: {@code CA} and 32 random hex digits. */
    public static String newSid() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return "CA" + HexFormat.of().formatHex(random);
    }

    public static String rfc2822Now() {
        return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH).format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** One call resource from +15017122661 to {@code to}, created now. */
    public static String call(String sid, String to, String status) {
        return "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"to\":\"" + to
                + "\",\"from\":\"+15017122661\",\"status\":\"" + status + "\",\"direction\":\"outbound-api\","
                + "\"date_created\":\"" + rfc2822Now() + "\",\"duration\":" + (status.equals("completed") ? "\"31\"" : "null")
                + ",\"price\":" + (status.equals("completed") ? "\"-0.0130\"" : "null") + ",\"price_unit\":\"USD\"}";
    }

    /** Twilio's 201 to a create, for this SID. */
    public static ResponseDefinitionBuilder created(String sid, String to) {
        return TwilioStubs.json(201, call(sid, to, "queued"));
    }

    /** A last page of the call log listing these calls (newest first) to {@code to}, all created now. */
    public static ResponseDefinitionBuilder listed(String to, List<String> sids) {
        return TwilioStubs.json("{\"calls\":[" + sids.stream().map(sid -> call(sid, to, "ringing"))
                .collect(Collectors.joining(",")) + "],\"page\":0,\"page_size\":50,\"next_page_uri\":null}");
    }

    /** A completed call leg ({@code parent}: the parent leg of a child, or null) created at {@code dateCreated}. */
    public static String leg(String sid, String parent, String dateCreated) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"sid\":\"" + sid + "\",\"parent_call_sid\":"
                + (parent == null ? "null" : "\"" + parent + "\"") + ",\"to\":\"+14155551212\",\"from\":\"+15017122661\","
                + "\"status\":\"completed\",\"direction\":\"" + (parent == null ? "outbound-api" : "outbound-dial")
                + "\",\"duration\":\"7\",\"price\":\"-0.01400\",\"price_unit\":\"USD\",\"start_time\":null,"
                + "\"end_time\":null,\"date_created\":\"" + dateCreated + "\",\"uri\":\"" + TwilioStubs.ACCOUNT + "/Calls/" + sid
                + ".json\"}";
    }

    /** A completed recording of {@code callSid} created at {@code dateCreated}. */
    public static String recording(String sid, String callSid, String dateCreated) {
        return "{\"account_sid\":\"" + TestAccounts.ACCOUNT_SID + "\",\"call_sid\":\"" + callSid + "\",\"sid\":\"" + sid
                + "\",\"date_created\":\"" + dateCreated + "\",\"status\":\"completed\",\"duration\":\"4\","
                + "\"channels\":1,\"source\":\"RecordVerb\",\"price\":\"-0.0025\",\"price_unit\":\"USD\"}";
    }
}
