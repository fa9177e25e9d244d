package dev.voicegate.ledger;

import java.util.List;

/** One page of the control events, newest first; {@code next} is the cursor of the following page, null on the last. */
public record ControlPage(List<ControlEvent> events, String next) {
}
