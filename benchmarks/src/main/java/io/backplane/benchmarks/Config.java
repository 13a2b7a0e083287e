package io.backplane.benchmarks;

/** Durations and limits of a run, from the command line. */
final class Config {

    /** Seconds of unmeasured load before each measurement (JIT, pools, socket buffers). */
    double warmupSeconds = 3;
    /** Seconds of the throughput measurement. */
    double measureSeconds = 4;
    /** Seconds of the paced latency measurement. */
    double pacedSeconds = 1;
    /** Events per second of the paced latency measurement (at most half the measured throughput). */
    int pacedRate = 10_000;
    /**
     * Most events sent but not yet received: the sender waits rather than outrun the receiver, so no ZeroMQ queue
     * ever holds more than this, which is well under every high-water mark used (100,000): nothing is dropped.
     */
    int window = 5_000;
    /** ZeroMQ high-water marks of the benchmark's own sockets (send side of the raw PUB, receive side of SUBs). */
    int highWaterMark = 100_000;
    /** Concurrent HTTP clients of ingest-http. */
    int httpClients = 4;
    /** Most latencies kept per phase. */
    int maxSamples = 20_000_000;

    static Config quick() {
        Config c = new Config();
        c.warmupSeconds = 0.5;
        c.measureSeconds = 1;
        c.pacedSeconds = 0.5;
        return c;
    }

    static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }
}
