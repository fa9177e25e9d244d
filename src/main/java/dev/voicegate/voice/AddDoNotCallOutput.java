package dev.voicegate.voice;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.voicegate.dnc.DoNotCallEntry;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of add_do_not_call: the number as listed (E.164, back to the caller that sent it) and whether this request
 * listed it. When it was listed already, {@code added} is false and the entry's reason, time and key are left out:
 * they are someone else's, for operators to read.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AddDoNotCallOutput(boolean success, String error, String number, String reason, String addedAt,
        String addedBy, Boolean added) implements ActionOutput {

    static AddDoNotCallOutput added(DoNotCallEntry entry) {
        return new AddDoNotCallOutput(true, null, entry.number(), entry.reason(), entry.addedAt(), entry.addedBy(), true);
    }

    static AddDoNotCallOutput listedAlready(String number) {
        return new AddDoNotCallOutput(true, null, number, null, null, null, false);
    }

    public static AddDoNotCallOutput failure(String error) {
        return new AddDoNotCallOutput(false, error, null, null, null, null, null);
    }
}
