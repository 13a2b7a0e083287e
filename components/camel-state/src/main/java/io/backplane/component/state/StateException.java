package io.backplane.component.state;

/**
 * A fact that cannot be written: a bad key or value, a store over its limits, or a state file that cannot be read or
 * written. The message names the key, the limit or the file.
 */
public class StateException extends IllegalArgumentException {

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The store is full (max-keys or max-bytes): the write is refused, nothing live is evicted. */
    public static class Full extends StateException {
        public Full(String message) {
            super(message);
        }
    }

    /** The state file is corrupt, locked by another process, or cannot be read or written. */
    public static class File extends StateException {
        public File(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
