package dev.voicegate.dnc;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.json.JsonObject;

/** One listed number (E.164), why, when (ISO-8601) and which key added it (an operator's, or an agent's through add_do_not_call). */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DoNotCallEntry(String number, String reason, String addedAt, String addedBy) {

    String encode() {
        return new JsonObject().put("number", number).put("reason", reason).put("added_at", addedAt)
                .put("added_by", addedBy).encode();
    }

    static DoNotCallEntry decode(String json) {
        JsonObject o = new JsonObject(json);
        return new DoNotCallEntry(o.getString("number"), o.getString("reason"), o.getString("added_at"),
                o.getString("added_by"));
    }
}
