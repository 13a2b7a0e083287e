package io.backplane.component.ansible;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One lock per (action, host): the same playbook never runs twice at once on one host, as Event-Driven Ansible's
 * {@code lock} does. Several keys are taken in sorted order, so two group runs cannot deadlock each other.
 */
final class Locks {

    /** What {@link #acquire} returns: either the held locks (release them) or the host that stayed busy. */
    static final class Held implements AutoCloseable {
        private final List<Semaphore> held;
        private final String busyHost;

        private Held(List<Semaphore> held, String busyHost) {
            this.held = held;
            this.busyHost = busyHost;
        }

        boolean acquired() {
            return busyHost == null;
        }

        String busyHost() {
            return busyHost;
        }

        @Override
        public void close() {
            held.forEach(Semaphore::release);
            held.clear();
        }
    }

    // Entries are never removed: there is one per playbook and host of the inventory, a bounded number.
    private final ConcurrentMap<String, Semaphore> locks = new ConcurrentHashMap<>();

    /**
     * Takes the lock of {@code action} (a playbook's real path, or a module and its arguments) on every host, waiting
     * at most {@code waitMillis} in all (0 = do not wait).
     */
    Held acquire(String action, List<String> hosts, long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        List<Semaphore> held = new ArrayList<>();
        for (String host : new TreeSet<>(hosts)) {
            Semaphore lock = locks.computeIfAbsent(action + '\0' + host, k -> new Semaphore(1, true));
            long remaining = Math.max(0, deadline - System.nanoTime());
            boolean ok;
            try {
                ok = lock.tryAcquire(remaining, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                held.forEach(Semaphore::release);
                throw e;
            }
            if (!ok) {
                held.forEach(Semaphore::release);
                return new Held(new ArrayList<>(), host);
            }
            held.add(lock);
        }
        return new Held(held, null);
    }
}
