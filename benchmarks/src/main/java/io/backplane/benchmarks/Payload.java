package io.backplane.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * Structured-mode CloudEvents JSON of an exact size, with two fixed-width fields written in place per event: a
 * sequence number in {@code id} and the sender's {@link System#nanoTime()} in {@code data.t} (a string of 19 digits,
 * because JSON numbers may not have leading zeros). Every send gets a fresh copy: JeroMQ does not copy what it
 * queues.
 */
final class Payload {

    static final String TAG = "bench/load/e";
    static final byte[] TAG_BYTES = TAG.getBytes(StandardCharsets.UTF_8);
    private static final String SEQ_MARK = "SSSSSSSSSSSS";          // 12 digits
    private static final String TIME_MARK = "TTTTTTTTTTTTTTTTTTT";  // 19 digits

    private static final int TIME_OFFSET = new Payload(256).timeOffset;

    /** Stamps are nanoTime relative to start-up, so they are never negative. */
    private static final long ORIGIN = System.nanoTime() - 1;

    private final byte[] template;
    private final int seqOffset;
    private final int timeOffset;

    Payload(int size) {
        String head = "{\"specversion\":\"1.0\",\"id\":\"b-" + SEQ_MARK + "\",\"source\":\"/bench\",\"type\":\"" + TAG
                      + "\",\"subject\":\"host01\",\"time\":\"2025-01-01T00:00:00Z\",\"datacontenttype\":"
                      + "\"application/json\",\"data\":{\"t\":\"" + TIME_MARK + "\",\"load\":0.93,\"pad\":\"";
        String tail = "\"}}";
        int pad = size - head.length() - tail.length();
        if (pad < 0) {
            throw new IllegalArgumentException("events must be at least " + (head.length() + tail.length())
                                               + " bytes, not " + size);
        }
        String json = head + "x".repeat(pad) + tail;
        template = json.getBytes(StandardCharsets.US_ASCII);
        seqOffset = json.indexOf(SEQ_MARK);
        timeOffset = json.indexOf(TIME_MARK);
        writeDigits(template, seqOffset, SEQ_MARK.length(), 0);
        writeDigits(template, timeOffset, TIME_MARK.length(), 0);
    }

    int size() {
        return template.length;
    }

    /** A new event with this sequence number, stamped with the current nanoTime. */
    byte[] stamped(long seq) {
        byte[] b = template.clone();
        writeDigits(b, seqOffset, SEQ_MARK.length(), seq);
        writeDigits(b, timeOffset, TIME_MARK.length(), now());
        return b;
    }

    /**
     * The send stamp, read straight from the bytes (what a raw receiver can do without parsing). The stamp sits
     * before the padding, so its offset is the same at every size.
     */
    static long sentNanos(byte[] json) {
        return readDigits(json, TIME_OFFSET, TIME_MARK.length());
    }

    /** The send stamp from a parsed event's data. */
    static long sentNanos(java.util.Map<String, Object> data) {
        return Long.parseLong((String) data.get("t"));
    }

    /** The clock of the stamps: {@link System#nanoTime()} minus a fixed origin. */
    static long now() {
        return System.nanoTime() - ORIGIN;
    }

    private static void writeDigits(byte[] b, int off, int width, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative stamp " + value);
        }
        for (int i = off + width - 1; i >= off; i--) {
            b[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
    }

    private static long readDigits(byte[] b, int off, int width) {
        long v = 0;
        for (int i = off; i < off + width; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }
}
