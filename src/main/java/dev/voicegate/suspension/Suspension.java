package dev.voicegate.suspension;

import java.time.Instant;

import io.vertx.core.json.JsonObject;

/** A named key's suspension: why (operator text, already checked and bounded), which operator key, and since when. */
public record Suspension(String key, String reason, String by, Instant since) {

    String encode() {
        return new JsonObject().put("key", key).put("reason", reason).put("by", by).put("since", since.toString())
                .encode();
    }

    static Suspension decode(String json) {
        JsonObject o = new JsonObject(json);
        return new Suspension(o.getString("key"), o.getString("reason"), o.getString("by"),
                Instant.parse(o.getString("since")));
    }
}
