package io.backplane.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the Backplane benchmarks and prints one JSON line per scenario and event size on stdout (progress and logs
 * go to stderr).
 *
 * <pre>
 * java -jar benchmarks/target/backplane-benchmarks.jar [--quick] [--sizes=256,1024] [--list] [scenario ...]
 * </pre>
 *
 * A scenario named on the command line brings its baseline along, so its ratio can be computed.
 */
public final class Main {

    /** Targets: minimum events/s (at the given size only, 0 = every size) or minimum ratio to the baseline. */
    private static final Map<String, Target> TARGETS = Map.of(
            "zeromq-route", new Target("ratio", 0.6, 0),
            "bus-hub", new Target("events_per_s", 300_000, 256),
            "bus-hub-1000-routes", new Target("ratio", 0.9, 0),
            "alertmanager-ingest", new Target("events_per_s", 10_000, 0),
            "rules-choice-50", new Target("events_per_s", 200_000, 0),
            "rules-choice-1000", new Target("events_per_s", 200_000, 0),
            "rules-routes-50", new Target("events_per_s", 200_000, 0),
            "rules-routes-1000", new Target("events_per_s", 200_000, 0),
            "ssh-reuse", new Target("ratio", 5, 0));

    /**
     * Targets of the register benchmarks (a map of its own: Map.of takes ten entries at most). register-heap reports
     * heap_headroom_mb = 256 MB minus the heap used, so "under 256 MB" reads as headroom >= 0.
     */
    private static final Map<String, Target> REGISTER_TARGETS = Map.of(
            "register-update-raw", new Target("events_per_s", 1_000_000, 0),
            "register-update", new Target("events_per_s", 1_000_000, 0),
            "register-heap", new Target("heap_headroom_mb", 0, 0));

    private Main() {
    }

    static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (Scenario s : List.of(new JeromqPubSub(), new ZeromqRoute(), new BusHub(0), new BusHub(1000),
                                  new ParseScenario(false), new ParseScenario(true), new IngestHttp(),
                                  new AlertmanagerIngest(),
                                  // rules: the naive Camel baselines first, then ev (choice and one route per rule)
                                  new RulesChoice("simple", 50), new RulesChoice("jsonpath", 50),
                                  new RulesChoice("simple", 1000), new RulesChoice("ev", 50),
                                  new RulesChoice("ev", 1000), new RulesRoutes(50), new RulesRoutes(1000),
                                  new RegisterUpdate(true), new RegisterUpdate(false), new RegisterHeap(),
                                  new DedupeOnce(false), new DedupeOnce(true),
                                  // SSH actions: a new connection per action (the baseline), reuse, end to end
                                  new SshActions(false), new SshActions(true), new SshEndToEnd())) {
            all.put(s.name(), s);
        }
        return all;
    }

    public static void main(String[] args) throws Exception {
        Config config = new Config();
        List<Integer> sizes = List.of(256, 1024);
        Set<String> wanted = new LinkedHashSet<>();
        Map<String, Scenario> all = scenarios();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                Config q = Config.quick();
                q.pacedRate = config.pacedRate;
                q.httpClients = config.httpClients;
                config = q;
            } else if (arg.equals("--list")) {
                all.values().forEach(s -> System.out.printf("%-22s %s%n", s.name(), s.description()));
                return;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                usage();
                return;
            } else if (arg.startsWith("--sizes=")) {
                sizes = new ArrayList<>();
                for (String v : value(arg).split(",")) {
                    sizes.add(Integer.parseInt(v.trim()));
                }
            } else if (arg.startsWith("--warmup=")) {
                config.warmupSeconds = Double.parseDouble(value(arg));
            } else if (arg.startsWith("--measure=")) {
                config.measureSeconds = Double.parseDouble(value(arg));
            } else if (arg.startsWith("--paced=")) {
                config.pacedSeconds = Double.parseDouble(value(arg));
            } else if (arg.startsWith("--paced-rate=")) {
                config.pacedRate = Integer.parseInt(value(arg));
            } else if (arg.startsWith("--window=")) {
                config.window = Integer.parseInt(value(arg));
            } else if (arg.startsWith("--http-clients=")) {
                config.httpClients = Integer.parseInt(value(arg));
            } else if (arg.startsWith("-")) {
                System.err.println("unknown option " + arg);
                usage();
                System.exit(2);
            } else if (!all.containsKey(arg)) {
                System.err.println("unknown scenario " + arg + "; known: " + all.keySet());
                System.exit(2);
            } else {
                wanted.add(arg);
            }
        }
        if (wanted.isEmpty()) {
            wanted.addAll(all.keySet());
        }
        // baselines first, in the declared order
        Set<String> toRun = new LinkedHashSet<>();
        for (String name : all.keySet()) {
            boolean needed = wanted.contains(name);
            for (String w : wanted) {
                needed |= name.equals(all.get(w).baseline());
            }
            if (needed) {
                toRun.add(name);
            }
        }

        Map<String, Result> done = new HashMap<>();
        long t0 = System.nanoTime();
        int failures = 0;
        for (String name : toRun) {
            Scenario s = all.get(name);
            System.err.printf("[bench] %s: %s%n", name, s.description());
            try {
                long setUp = System.nanoTime();
                s.setUp(config);
                System.err.printf("[bench] %s set up in %.1f s%n", name, (System.nanoTime() - setUp) / 1e9);
                for (int size : s.sizeIndependent() ? sizes.subList(0, 1) : sizes) {
                    Result r;
                    try {
                        r = s.run(size, config);
                        addRatioAndTarget(r, s, done);
                        done.put(name + "@" + size, r);
                    } catch (Exception | Error e) {
                        failures++;
                        r = new Result(name, size).put("error", String.valueOf(e));
                        e.printStackTrace();
                    }
                    System.out.println(r.toJson());
                    System.out.flush();
                }
            } catch (Exception | Error e) {
                failures++;
                e.printStackTrace();
                System.out.println(new Result(name, sizes.get(0)).put("error", "set up failed: " + e).toJson());
            } finally {
                try {
                    s.tearDown();
                } catch (Exception e) {
                    System.err.println("[bench] " + name + " tear down: " + e);
                }
            }
        }
        System.err.printf("[bench] done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void addRatioAndTarget(Result r, Scenario s, Map<String, Result> done) {
        String baseline = s.baseline();
        if (baseline != null) {
            Result base = done.get(baseline + "@" + r.size());
            r.put("baseline", baseline);
            Double mine = r.eventsPerSecond();
            Double theirs = base == null ? null : base.eventsPerSecond();
            r.put("ratio", mine == null || theirs == null || theirs == 0 ? null
                    : Math.round(mine / theirs * 1000) / 1000.0);
        }
        Target t = TARGETS.containsKey(s.name()) ? TARGETS.get(s.name()) : REGISTER_TARGETS.get(s.name());
        if (t != null && (t.size == 0 || t.size == r.size())) {
            Object v = r.get(t.field);
            r.put("target", t.field + ">=" + (t.min == Math.rint(t.min) && t.min > 1 ? String.valueOf((long) t.min)
                                                                                   : String.valueOf(t.min)));
            r.put("target_met", v instanceof Number ? ((Number) v).doubleValue() >= t.min : null);
        }
    }

    private static String value(String arg) {
        return arg.substring(arg.indexOf('=') + 1);
    }

    private static void usage() {
        System.err.println("usage: java -jar backplane-benchmarks.jar [--quick] [--sizes=256,1024] [--warmup=S]"
                           + " [--measure=S] [--paced=S] [--paced-rate=N] [--window=N] [--http-clients=N] [--list]"
                           + " [scenario ...]");
    }

    private static final class Target {
        final String field;
        final double min;
        final int size;

        Target(String field, double min, int size) {
            this.field = field;
            this.min = min;
            this.size = size;
        }
    }
}
