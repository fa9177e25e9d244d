package dev.voicegate.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The WAV every sandbox recording serves: silence as long as the recording's {@code duration}
 * ({@link SandboxCall#DURATION_SECONDS}) as a RIFF/WAVE file in the format of Twilio's recordings (8 kHz, 16-bit
 * PCM), mono or with one channel per party. Built once; 16 KB per second and channel. A call hung up early has a
 * shorter recording, whose audio is built when asked for (at most that many seconds).
 */
final class SandboxWav {

    private static final int SAMPLE_RATE = 8000;
    private static final short BITS_PER_SAMPLE = 16;

    static final byte[] SILENCE = silence((int) (SAMPLE_RATE * SandboxCall.DURATION_SECONDS), 1);
    static final byte[] STEREO_SILENCE = silence((int) (SAMPLE_RATE * SandboxCall.DURATION_SECONDS), 2);

    private SandboxWav() {
    }

    static byte[] of(long seconds, boolean stereo) {
        if (seconds == SandboxCall.DURATION_SECONDS) {
            return stereo ? STEREO_SILENCE : SILENCE;
        }
        return silence((int) (SAMPLE_RATE * seconds), stereo ? 2 : 1);
    }

    static byte[] silence(int samples, int channels) {
        int blockAlign = channels * BITS_PER_SAMPLE / 8;
        int dataSize = samples * blockAlign;
        ByteBuffer wav = ByteBuffer.allocate(44 + dataSize).order(ByteOrder.LITTLE_ENDIAN);
        wav.put(ascii("RIFF")).putInt(36 + dataSize).put(ascii("WAVE"));
        wav.put(ascii("fmt ")).putInt(16).putShort((short) 1) // PCM
                .putShort((short) channels).putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * blockAlign)
                .putShort((short) blockAlign).putShort(BITS_PER_SAMPLE);
        wav.put(ascii("data")).putInt(dataSize);
        // The sample bytes stay zero: silence in signed 16-bit PCM.
        return wav.array();
    }

    private static byte[] ascii(String chunkId) {
        return chunkId.getBytes(StandardCharsets.US_ASCII);
    }
}
