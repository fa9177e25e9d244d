package dev.voicegate.access;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import dev.voicegate.failure.ActionFailure;
import dev.voicegate.failure.ErrorCategory;

/** The calling-hours rule of {@link Guard}: the caller's window at the called party's local time, in every zone. */
final class CallingHoursRule {

    private CallingHoursRule() {
    }

    /**
     * The calling hours, in every time zone of the number's prefix. A number without a known zone is refused: the
     * window is a legal limit, so it is not waived when the local time cannot be known.
     */
    static void check(Policy policy, PhoneNumber number, String masked, Instant now) {
        CallingHours hours = policy.callingHours();
        List<String> zoneIds = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
        if (zoneIds.isEmpty() || zoneIds.contains(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
            throw Guard.forbidden(Guard.HOURS, policy.holder() + " may call only from " + hours + " local time, and "
                    + "the time zone of 'to' " + masked + " is unknown", "remove " + policy.callingHoursSetting()
                    + " to call numbers whose local time cannot be known");
        }
        List<ZoneId> zones = zoneIds.stream().map(ZoneId::of).toList();
        CallingHours.Outside outside = hours.check(zones, now);
        if (outside == null) {
            return;
        }
        String when = outside.opensIn() == null ? "The window is never open in all these zones at once."
                : "Retry after " + Math.max(1, (outside.opensIn().toMillis() + 999) / 1000) + " s, when it opens in "
                        + (zones.size() == 1 ? "that zone." : "all of them.");
        String message = policy.holder() + " may call only from " + hours + " local time, and it is "
                + outside.localTimes() + " for 'to' " + masked + " (rule '" + Guard.HOURS + "'); nothing was sent to Twilio. To change it, set "
                + policy.callingHoursSetting() + ". " + when;
        throw new PolicyDenial(Guard.HOURS, new ActionFailure(ErrorCategory.FORBIDDEN, message,
                ErrorCategory.FORBIDDEN.httpStatus(), outside.opensIn()));
    }
}
