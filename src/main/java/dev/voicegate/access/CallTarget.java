package dev.voicegate.access;

/**
 * What an action that places a call tells the policy: the number it dials and the caller ID it uses. Inputs that
 * dial nothing have none, and only the action and account rules apply to them.
 */
public record CallTarget(String to, String from) {
}
