package io.backplane.component.sshaction;

import java.io.OutputStream;
import java.util.Arrays;

import io.backplane.core.action.ActionResult;

/**
 * Captures a command's output stream up to a bound: bytes past {@code max} are counted and dropped, never buffered,
 * so {@code yes} on the remote side costs a counter, not memory. The SSH channel keeps reading (and granting window)
 * while this drops, so the remote command is never blocked by a full pipe. Written by an SSHD I/O thread and read by
 * the producer thread: every method is synchronized.
 */
final class BoundedOutput extends OutputStream {

    private final int max;
    // grows up to max: most commands print a line or two, so many parallel actions should not each hold max bytes
    private byte[] buffer;
    private int kept;
    private long total;

    BoundedOutput(int max) {
        this.max = max;
        this.buffer = new byte[Math.min(max, 512)];
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int room = Math.min(max - kept, length);
        if (room > 0) {
            if (kept + room > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(max, Math.max(kept + room, buffer.length * 2)));
            }
            System.arraycopy(bytes, offset, buffer, kept, room);
            kept += room;
        }
        total += length;
    }

    /** Total bytes the command wrote, kept or not. */
    synchronized long total() {
        return total;
    }

    synchronized boolean truncated() {
        return total > kept;
    }

    /** What was kept, as UTF-8 text, followed by a marker saying how much was dropped. */
    synchronized String text() {
        String head = ActionResult.truncate(buffer, kept, max);
        return total > kept ? head + "\n[truncated: " + (total - kept) + " more bytes]" : head;
    }

    /** Bytes held in memory: never more than the bound. */
    synchronized int held() {
        return buffer.length;
    }
}
