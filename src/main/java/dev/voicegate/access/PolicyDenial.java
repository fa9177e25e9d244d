package dev.voicegate.access;

import dev.voicegate.failure.ActionException;
import dev.voicegate.failure.ActionFailure;

/**
 * A request the caller's policy refuses before anything reaches Twilio: {@code forbidden}, or {@code rate_limited}
 * for a used-up quota. The rule is the name of the setting that decided (e.g. {@code destinations}), for the
 * audit trail and the denial metrics.
 */
public class PolicyDenial extends ActionException {

    private final String rule;

    public PolicyDenial(String rule, ActionFailure failure) {
        super(failure);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
