package io.backplane.component.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state file: JSON Lines, one record per line, appended as facts change and compacted (rewritten with only the
 * live facts, to a temporary file that is synced and then atomically renamed over the old one) at start and when it
 * has grown. The first line is a header; then
 * <pre>
 * {"op":"set","key":"maintenance/web01","updated":1718000000000,"expires":1718007200000,"value":true}
 * {"op":"del","key":"maintenance/web01","at":1718000100000}
 * </pre>
 * A record is written to the operating system before the change is visible, so a crash of the process loses
 * nothing that was acknowledged; {@link #sync()} (fsync) runs every few milliseconds, which bounds what a crash of
 * the machine can lose. A last line cut short by such a crash is ignored with a warning; anything else that is not a
 * valid record makes the file corrupt.
 */
final class StateFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);
    static final String FORMAT = "backplane-state";
    static final int VERSION = 1;

    private final Path file;
    private final Path lockPath;
    private FileChannel lockChannel;
    private FileLock lock;
    private FileChannel out;
    private long size;

    private StateFile(Path file) {
        this.file = file;
        this.lockPath = file.resolveSibling(file.getFileName() + ".lock");
    }

    /** Locks the file against a second Backplane using it (another process, or another context in this JVM). */
    static StateFile lock(Path file) {
        StateFile f = new StateFile(file);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            f.lockChannel = FileChannel.open(f.lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                f.lock = f.lockChannel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                f.lock = null;
            }
            if (f.lock == null) {
                f.lockChannel.close();
                throw new StateException.File("state file " + file + " is in use by another Backplane (lock "
                                              + f.lockPath + " is held): two instances must not share one state "
                                              + "file; give each its own backplane.state.file", null);
            }
            return f;
        } catch (IOException e) {
            throw new StateException.File("cannot open state file " + file + ": " + e, e);
        }
    }

    Path path() {
        return file;
    }

    long size() {
        return size;
    }

    /** A record in the file that is not what it should be. */
    static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message);
        }
    }

    /** Reads the facts in the file (none when it does not exist), dropping those expired at {@code now}. */
    Map<String, Fact> load(long now) throws Corrupt, IOException {
        Map<String, Fact> facts = new LinkedHashMap<>();
        if (!Files.exists(file) || Files.size(file) == 0) {
            return facts;
        }
        boolean endsWithNewline = lastByte() == '\n';
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            String pending = null;
            int number = 0;
            int pendingNumber = 0;
            // look one line ahead: only the very last line may be incomplete
            while ((line = reader.readLine()) != null) {
                if (pending != null) {
                    apply(pending, pendingNumber, facts, now, false);
                }
                number++;
                pending = line;
                pendingNumber = number;
            }
            if (pending != null) {
                apply(pending, pendingNumber, facts, now, !endsWithNewline);
            }
        } catch (CharacterCodingException e) {
            throw new Corrupt("it is not UTF-8 text (" + e + ")");
        }
        return facts;
    }

    private int lastByte() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, ch.size() - 1);
            return b.get(0);
        }
    }

    private void apply(String line, int number, Map<String, Fact> facts, long now, boolean mayBeTorn)
            throws Corrupt {
        if (number > 1 && line.isBlank()) {
            return;
        }
        JsonNode record;
        try {
            record = FactStore.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            if (mayBeTorn && number > 1) {
                LOG.warn("state file {}: ignored the incomplete last record on line {} (the process or machine "
                         + "stopped while writing it)", file, number);
                return;
            }
            throw new Corrupt("line " + number + " is not valid JSON: " + shortMessage(e));
        }
        if (record == null || !record.isObject()) {
            throw new Corrupt("line " + number + " is not a JSON object");
        }
        if (number == 1) {
            if (!FORMAT.equals(record.path("format").asText()) || record.path("version").asInt(-1) != VERSION) {
                throw new Corrupt("line 1 is not a Backplane state file header (expected {\"format\":\"" + FORMAT
                                  + "\",\"version\":" + VERSION + ",...})");
            }
            return;
        }
        String op = record.path("op").asText("");
        JsonNode keyNode = record.get("key");
        if (keyNode == null || !keyNode.isTextual() || keyNode.asText().isEmpty()) {
            throw new Corrupt("line " + number + " has no key");
        }
        String key = keyNode.asText();
        switch (op) {
            case "set" -> {
                JsonNode value = record.get("value");
                JsonNode updated = record.get("updated");
                JsonNode expires = record.get("expires");
                if (value == null || value.isNull()) {
                    throw new Corrupt("line " + number + " (set " + key + ") has no value");
                }
                if (updated == null || !updated.canConvertToLong()) {
                    throw new Corrupt("line " + number + " (set " + key + ") has no numeric 'updated'");
                }
                if (expires != null && !expires.canConvertToLong()) {
                    throw new Corrupt("line " + number + " (set " + key + ") has a non-numeric 'expires'");
                }
                long expiresAt = expires == null ? 0 : expires.asLong();
                Fact fact = new Fact(key, FactStore.fromJson(value), updated.asLong(), expiresAt);
                facts.remove(key);
                if (!fact.expiredAt(now)) {
                    facts.put(key, fact);
                }
            }
            case "del" -> facts.remove(key);
            default -> throw new Corrupt("line " + number + " has an unknown op '" + op + "' (expected set or del)");
        }
    }

    /** Jackson's message without its source excerpt and location (the line number says where). */
    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int cut = m.indexOf(" (start marker at");
        if (cut >= 0) {
            m = m.substring(0, cut);
        }
        cut = m.indexOf('\n');
        return cut >= 0 ? m.substring(0, cut) : m;
    }

    /** Writes a new file holding exactly {@code records} (each one line, newline included), atomically. */
    void rewrite(Collection<byte[]> records) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            closeOut();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, header());
                for (byte[] r : records) {
                    writeFully(ch, r);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            size = out.size();
        } catch (IOException e) {
            throw new StateException.File("cannot write state file " + file + ": " + e, e);
        }
    }

    private static byte[] header() {
        return ("{\"format\":\"" + FORMAT + "\",\"version\":" + VERSION + ",\"written\":\"" + Instant.now()
                + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Appends one record; it is in the operating system (safe from a crash of this process) on return. */
    void append(byte[] record) {
        try {
            writeFully(out, record);
            size += record.length;
        } catch (IOException e) {
            throw new StateException.File("cannot write state file " + file + ": " + e, e);
        }
    }

    /** Flushes what was appended to the disk (fsync), so that a crash of the machine cannot lose it. */
    void sync() {
        FileChannel ch = out;
        if (ch == null) {
            return;
        }
        try {
            ch.force(false);
        } catch (java.nio.channels.ClosedChannelException replaced) {
            // compacted meanwhile: the new file was synced before it replaced this one
        } catch (IOException e) {
            LOG.warn("cannot sync state file {}: {}", file, e.toString());
        }
    }

    private void syncDirectory() {
        // makes the rename itself durable; not possible on every platform, where it is skipped
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UncheckedIOException notSupported) {
            LOG.debug("cannot sync directory {}: {}", dir, notSupported.toString());
        }
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private void closeOut() throws IOException {
        if (out != null) {
            out.force(false);
            out.close();
            out = null;
        }
    }

    @Override
    public void close() {
        try {
            closeOut();
        } catch (IOException e) {
            LOG.warn("cannot close state file {}: {}", file, e.toString());
        }
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("cannot release lock {}: {}", lockPath, e.toString());
        }
    }
}
