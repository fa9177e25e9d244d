package dev.voicegate.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.vertx.mutiny.redis.client.Response;

/**
 * An entry's hash in Redis and back: {@code attempt}, {@code sid}, {@code outcome}, {@code details} (JSON), one field
 * {@code e:<dedupe key>} per event and {@code d:<n>} per delivery (JSON), and the script's own bookkeeping
 * ({@code t:<token>}, {@code max_seq}, {@code final}, {@code deliveries}).
 */
final class LedgerCodec {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            // isFinal() and the like are derived: not stored.
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .build();

    private LedgerCodec() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ledger record could not be written as JSON", e);
        }
    }

    /** The entry of an HGETALL answer (field, value, field, value…); null for an empty answer or no attempt. */
    static LedgerEntry entry(Response fields) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            map.put(fields.get(i).toString(), fields.get(i + 1).toString());
        }
        return entry(map);
    }

    static LedgerEntry entry(Map<String, String> fields) {
        String attempt = fields.get("attempt");
        if (attempt == null) {
            return null;
        }
        List<StatusEvent> events = new ArrayList<>();
        TreeMap<Integer, Delivery> deliveries = new TreeMap<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (field.getKey().startsWith("e:")) {
                events.add(read(field.getValue(), StatusEvent.class));
            } else if (field.getKey().startsWith("d:")) {
                deliveries.put(Integer.parseInt(field.getKey().substring(2)), read(field.getValue(), Delivery.class));
            }
        }
        events.sort(LedgerEntry.TIMELINE);
        String details = fields.get("details");
        return new LedgerEntry(read(attempt, CallAttempt.class), fields.get("sid"),
                fields.getOrDefault("outcome", LedgerEntry.PENDING), List.copyOf(events),
                details == null ? null : read(details, CallDetails.class), List.copyOf(deliveries.values()));
    }

    static ControlEvent control(String json) {
        return read(json, ControlEvent.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ledger record in Redis is not readable", e);
        }
    }
}
