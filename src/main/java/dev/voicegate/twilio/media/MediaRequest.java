package dev.voicegate.twilio.media;

/**
 * Which audio of a recording to download: {@code GET /Recordings/{Sid}.wav} or {@code .mp3}, with
 * {@code RequestedChannels} when {@code channels} is given and the caller's {@code Range} when it sent one.
 *
 * @param recordingSid a validated {@code RE…} SID
 * @param extension    {@code wav} or {@code mp3}
 * @param channels     1 (mixed down) or 2 (one channel per party), or null for Twilio's default
 * @param range        an HTTP {@code Range} header value such as {@code bytes=0-1023}, or null
 */
public record MediaRequest(String recordingSid, String extension, Integer channels, String range) {
}
