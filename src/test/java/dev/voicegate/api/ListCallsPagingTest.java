package dev.voicegate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.voicegate.testing.TwilioStubs.CALLS;
import static dev.voicegate.testing.TwilioStubs.fixture;
import static dev.voicegate.testing.TwilioStubs.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.voicegate.testing.ContractSchemas;
import dev.voicegate.testing.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
/** list_calls: page tokens, Link headers and Twilio's next pages. */
@QuarkusTest
class ListCallsPagingTest extends ListCallsSuite {

    @Test
    void pageTokenFromTheLinkHeaderFetchesTwiliosNextPage() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent())
                .willReturn(fixture(200, "calls-page.json")));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.matching(".+"))
                .willReturn(fixture(200, "calls-page-last.json")));

        ExtractableResponse<Response> first = rest("page_size=3&include_recordings=false&status=completed")
                .statusCode(200)
                .body("calls.call_sid", contains(CA1, CA2, CA3))
                .body("page", equalTo(0))
                .extract();
        ContractSchemas.assertValidOutput("list_calls", first.asString());
        String link = first.header("Link");
        assertNotNull(link, "a next page exists, so a Link header is expected");
        Matcher next = Pattern.compile("^<([^>]+)>; rel=\"next\"$").matcher(link);
        assertTrue(next.matches(), link);
        String nextUrl = next.group(1);
        Matcher tokenMatch = Pattern.compile("[?&]page_token=([A-Za-z0-9_-]+)(&|$)").matcher(nextUrl);
        assertTrue(tokenMatch.find(), nextUrl);
        String pageToken = tokenMatch.group(1);
        assertTrue(nextUrl.contains("/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls?"), nextUrl);
        assertTrue(nextUrl.contains("page_size=3") && nextUrl.contains("status=completed")
                && nextUrl.contains("include_recordings=false"), "the next link keeps the filters: " + nextUrl);
        assertFalse(pageToken.contains("PACAc3"), "the token is opaque, not Twilio's raw token");

        // Follow the link exactly as given.
        ExtractableResponse<Response> second = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .urlEncodingEnabled(false).get(nextUrl)
                .then().statusCode(200)
                .header("Link", nullValue())
                .body("success", equalTo(true))
                .body("calls.call_sid", contains(CA4))
                .body("page", equalTo(1))
                .body("page_size", equalTo(3))
                .body("total", equalTo(1))
                .extract();
        ContractSchemas.assertValidOutput("list_calls", second.asString());

        twilio.verify(2, callsRequest());
        twilio.verify(1, callsRequest()
                .withQueryParam("Page", WireMock.equalTo("1"))
                .withQueryParam("PageToken", WireMock.equalTo("PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"))
                .withQueryParam("PageSize", WireMock.equalTo("3"))
                .withQueryParam("Status", WireMock.equalTo("completed")));
    }

    @Test
    void toolCallPageTokenRoundTripsThroughTheNextPageTokenHeader() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent())
                .willReturn(fixture(200, "calls-page.json")));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.matching(".+"))
                .willReturn(fixture(200, "calls-page-last.json")));

        String pageToken = validOutput(action(body(",\"page_size\":3,\"include_recordings\":false")).statusCode(200))
                .extract().header(Responses.NEXT_PAGE_TOKEN);
        assertNotNull(pageToken);
        assertTrue(pageToken.matches("[A-Za-z0-9_-]{1,512}"), "the contract's page_token pattern: " + pageToken);
        ContractSchemas.assertValidInput("list_calls",
                body(",\"page_size\":3,\"include_recordings\":false,\"page_token\":\"" + pageToken + "\""));

        validOutput(action(body(",\"page_size\":3,\"include_recordings\":false,\"page_token\":\"" + pageToken + "\""))
                .statusCode(200)
                .header(Responses.NEXT_PAGE_TOKEN, nullValue())
                .body("success", equalTo(true))
                .body("calls.call_sid", contains(CA4))
                .body("page", equalTo(1)));

        twilio.verify(1, callsRequest()
                .withQueryParam("Page", WireMock.equalTo("1"))
                .withQueryParam("PageToken", WireMock.equalTo("PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"))
                .withQueryParam("PageSize", WireMock.equalTo("3")));
        List<ServeEvent> pages = served(Pattern.quote(CALLS));
        assertEquals(2, pages.size());
        String url = pages.get(1).getRequest().getUrl();
        assertTrue(url.contains("Page=1") && url.contains("PageToken=PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"), url);
    }

    @Test
    void followingLinksPageAfterPageReplacesThePageToken() {
        String page1 = "/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID + "/Calls.json?PageSize=1&Page=1&PageToken=PACAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
        String page2 = "/2010-04-01/Accounts/" + TestAccounts.ACCOUNT_SID + "/Calls.json?PageSize=1&Page=2&PageToken=PACAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent())
                .willReturn(json(callsPage(List.of(call(CA1, null)), 0, 1, page1))));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.equalTo("PACAa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"))
                .willReturn(json(callsPage(List.of(call(CA2, null)), 1, 1, page2))));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.equalTo("PACAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"))
                .willReturn(json(callsPage(List.of(call(CA3, null)), 2, 1, null))));

        List<String> seen = new ArrayList<>();
        String url = "/v1/accounts/" + TestAccounts.ACCOUNT_SID + "/calls?page_size=1&include_recordings=false";
        for (int i = 0; i < 5 && url != null; i++) {
            ExtractableResponse<Response> page = given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                    .urlEncodingEnabled(false).get(url)
                    .then().statusCode(200).body("success", equalTo(true)).extract();
            seen.addAll(page.jsonPath().getList("calls.call_sid"));
            String link = page.header("Link");
            url = link == null ? null : link.substring(1, link.indexOf('>'));
            if (url != null) {
                assertEquals(1, url.split("page_token=", -1).length - 1, "exactly one page_token: " + url);
            }
        }
        assertEquals(List.of(CA1, CA2, CA3), seen);
        twilio.verify(3, callsRequest().withQueryParam("PageSize", WireMock.equalTo("1")));
        twilio.verify(1, callsRequest().withQueryParam("Page", WireMock.equalTo("2"))
                .withQueryParam("PageToken", WireMock.equalTo("PACAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2")));
    }

    @Test
    void nextLinkKeepsPhoneNumberFiltersIntactWhenFollowed() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", absent())
                .willReturn(fixture(200, "calls-page.json")));
        twilio.stubFor(get(urlPathEqualTo(CALLS)).withQueryParam("PageToken", WireMock.matching(".+"))
                .willReturn(fixture(200, "calls-page-last.json")));

        String link = rest("to=%2B14155551212&from=%2B15017122661&include_recordings=false")
                .statusCode(200).extract().header("Link");
        assertNotNull(link);
        String nextUrl = link.substring(1, link.indexOf('>'));
        given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .urlEncodingEnabled(false).get(nextUrl)
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("calls.call_sid", contains(CA4));

        twilio.verify(2, callsRequest()
                .withQueryParam("To", WireMock.equalTo("+14155551212"))
                .withQueryParam("From", WireMock.equalTo("+15017122661")));
        List<ServeEvent> pages = served(Pattern.quote(CALLS));
        assertEquals(2, pages.size());
        String url = pages.get(1).getRequest().getUrl();
        assertTrue(url.contains("To=%2B14155551212") && url.contains("From=%2B15017122661"), url);
        assertTrue(url.contains("PageToken=PACAc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"), url);
    }

    @Test
    void aNextPageUriWithAnUnusableTokenGivesNoNextLink() {
        twilio.stubFor(get(urlPathEqualTo(CALLS)).willReturn(json(callsPage(List.of(call(CA1, null)), 0, 1,
                "https://evil.example/x?PageToken=../../etc&Page=1"))));

        rest("include_recordings=false").statusCode(200)
                .header("Link", nullValue())
                .body("calls.call_sid", contains(CA1));
    }
}
