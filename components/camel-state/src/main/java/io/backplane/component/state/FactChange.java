package io.backplane.component.state;

/**
 * A change of one fact, as given to {@link FactStore} listeners after the change is written.
 *
 * @param kind     set, deleted or expired
 * @param key      the key
 * @param fact     the new fact for {@link Kind#SET}, the removed one otherwise
 * @param previous the fact the key held before a set, or null
 */
public record FactChange(Kind kind, String key, Fact fact, Fact previous) {

    public enum Kind {
        SET("set"),
        DELETED("deleted"),
        EXPIRED("expired");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The word used in tags and messages: set, deleted, expired. */
        public String word() {
            return word;
        }
    }

    /** Listens to fact changes; called in the thread that made the change, after the store's lock is released. */
    @FunctionalInterface
    public interface Listener {
        void onChange(FactChange change);
    }
}
