package dev.voicegate.sandbox;

import java.nio.ByteBuffer;

/**
 * The MP3 every sandbox recording serves: silence as long as the recording's {@code duration}
 * ({@link SandboxCall#DURATION_SECONDS}; 125 frames for 3 s) as MPEG-1 Layer III frames (48 kHz,
 * 32 kbit/s, 1152 samples and 96 bytes per frame, no padding, no CRC), mono or stereo. Each frame is its 4-byte
 * header followed by zeros: all-zero side information (17 bytes mono, 32 stereo) says "no main data", which every
 * decoder plays as silence. No ID3 tag. Built once; 4 KB per second. A call hung up early has a shorter recording,
 * whose audio is built when asked for, to the nearest frame.
 */
final class SandboxMp3 {

    /** 1152 samples of 48 kHz each: 24 ms, so 125 frames are exactly 3 s. */
    static final int FRAMES = (int) (SandboxCall.DURATION_SECONDS * 48_000 / 1152);
    private static final int FRAME_BYTES = 144 * 32_000 / 48_000;

    static final byte[] SILENCE = silence(FRAMES, true);
    static final byte[] STEREO_SILENCE = silence(FRAMES, false);

    private SandboxMp3() {
    }

    static byte[] of(long seconds, boolean stereo) {
        if (seconds == SandboxCall.DURATION_SECONDS) {
            return stereo ? STEREO_SILENCE : SILENCE;
        }
        return silence((int) Math.round(seconds * 48_000 / 1152.0), !stereo);
    }

    private static byte[] silence(int frames, boolean mono) {
        ByteBuffer mp3 = ByteBuffer.allocate(frames * FRAME_BYTES);
        for (int i = 0; i < frames; i++) {
            mp3.position(i * FRAME_BYTES);
            mp3.put((byte) 0xFF) // frame sync (11 bits) ...
                    .put((byte) 0xFB) // ... MPEG-1, Layer III, no CRC
                    .put((byte) 0x14) // bitrate index 1 (32 kbit/s), sample rate index 1 (48 kHz), no padding
                    .put((byte) (mono ? 0xC0 : 0x00)); // channel mode: single channel or stereo; no emphasis
        }
        return mp3.array();
    }
}
