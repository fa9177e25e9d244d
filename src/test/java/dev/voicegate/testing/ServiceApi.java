package dev.voicegate.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** The service's own HTTP surface as a test calls it, with the service key ({@link TestAccounts#SERVICE_KEY}). */
public final class ServiceApi {

    private ServiceApi() {
    }

    /** {@code POST /v1/actions/<name>} with the JSON {@code body}. */
    public static ValidatableResponse action(String name, String body) {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .contentType(ContentType.JSON).body(body)
                .post("/v1/actions/" + name).then();
    }

    /** {@code GET} of {@code path} sent exactly as written (no client-side encoding or normalisation). */
    public static ValidatableResponse get(String path) {
        return given().header("Authorization", TestAccounts.bearer(TestAccounts.SERVICE_KEY))
                .urlEncodingEnabled(false)
                .get(path).then();
    }
}
