package io.backplane.component.state;

import java.time.Instant;

/**
 * One fact: a key, a JSON value (string, number, boolean, map or list; maps and lists are read-only), when it was
 * last set, and when it expires ({@code 0} = never).
 *
 * @param key     the key, e.g. {@code maintenance/web01}
 * @param value   the value
 * @param updated epoch milliseconds of the last set
 * @param expires epoch milliseconds at which the fact vanishes, or 0 for no TTL
 */
public record Fact(String key, Object value, long updated, long expires) {

    /** True when the fact has a TTL and it has passed at {@code now}. */
    public boolean expiredAt(long now) {
        return expires != 0 && now >= expires;
    }

    /** The expiry as RFC 3339, or null without a TTL. */
    public String expiresText() {
        return expires == 0 ? null : Instant.ofEpochMilli(expires).toString();
    }
}
