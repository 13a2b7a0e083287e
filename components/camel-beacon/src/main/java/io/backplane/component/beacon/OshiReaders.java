package io.backplane.component.beacon;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;
import oshi.software.os.OSProcess;

/** The metric readers, on top of OSHI. */
final class OshiReaders {

    private OshiReaders() {
    }

    static MetricReader create(BeaconEndpoint endpoint, SystemInfo system) {
        return switch (endpoint.metric()) {
            case LOAD -> new LoadReader(system.getHardware().getProcessor()::getSystemLoadAverage,
                    endpoint.getAverage());
            case CPU -> new CpuReader(system.getHardware().getProcessor());
            case MEMORY -> new MemoryReader(system.getHardware().getMemory());
            case SWAP -> new SwapReader(system.getHardware().getMemory());
            case DISK -> new DiskReader(system.getOperatingSystem().getFileSystem(), endpoint.mounts());
            case PROCESS -> new ProcessReader(system, endpoint.processNames());
        };
    }

    /** Two decimals are plenty for percentages and load averages, and keep the JSON readable. */
    static double round2(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    static double percent(double part, double whole) {
        return whole <= 0 ? 0.0 : round2(100.0 * part / whole);
    }

    /** The 1, 5 and 15 minute load averages; the value is the one chosen with {@code average}. */
    static final class LoadReader implements MetricReader {

        private final IntFunction<double[]> loadAverages;
        private final int average;

        LoadReader(IntFunction<double[]> loadAverages, int average) {
            this.loadAverages = loadAverages;
            this.average = average;
        }

        @Override
        public void start() {
            double[] load = loadAverages.apply(3);
            for (double v : load) {
                // OSHI returns a negative value where the OS has no load average (Windows)
                if (v < 0 || Double.isNaN(v)) {
                    throw new IllegalArgumentException("beacon:load is not available on this OS (" + osName()
                                                       + "): it reports no load average");
                }
            }
        }

        @Override
        public List<Reading> read() {
            double[] load = loadAverages.apply(3);
            if (load.length < 3 || load[0] < 0) {
                throw new IllegalStateException("beacon:load: the OS returned no load average");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("average", average);
            details.put("load1", round2(load[0]));
            details.put("load5", round2(load[1]));
            details.put("load15", round2(load[2]));
            double value = average == 1 ? load[0] : average == 5 ? load[1] : load[2];
            return List.of(new Reading("", round2(value), details));
        }
    }

    /** CPU busy percent of all cores since the previous reading (OSHI needs two tick samples). */
    static final class CpuReader implements MetricReader {

        private final CentralProcessor processor;
        private long[] previousTicks;

        CpuReader(CentralProcessor processor) {
            this.processor = processor;
        }

        @Override
        public void start() {
            previousTicks = processor.getSystemCpuLoadTicks();
            if (previousTicks == null || previousTicks.length == 0) {
                throw new IllegalArgumentException("beacon:cpu is not available on this OS (" + osName()
                                                   + "): it reports no CPU ticks");
            }
        }

        @Override
        public List<Reading> read() {
            long[] ticks = processor.getSystemCpuLoadTicks();
            double busy = processor.getSystemCpuLoadBetweenTicks(previousTicks);
            previousTicks = ticks;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("cores", processor.getLogicalProcessorCount());
            return List.of(new Reading("", round2(Math.max(0.0, Math.min(100.0, busy * 100.0))), details));
        }
    }

    /** Memory in use: total minus available (what the kernel could give without swapping), as free(1) shows. */
    static final class MemoryReader implements MetricReader {

        private final GlobalMemory memory;

        MemoryReader(GlobalMemory memory) {
            this.memory = memory;
        }

        @Override
        public void start() {
            if (memory.getTotal() <= 0) {
                throw new IllegalArgumentException("beacon:memory is not available on this OS (" + osName()
                                                   + "): total memory reported as " + memory.getTotal());
            }
        }

        @Override
        public List<Reading> read() {
            long total = memory.getTotal();
            long used = Math.max(0, total - memory.getAvailable());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("totalBytes", total);
            details.put("usedBytes", used);
            return List.of(new Reading("", percent(used, total), details));
        }
    }

    /** Swap in use; a host without swap reads 0%. */
    static final class SwapReader implements MetricReader {

        private final GlobalMemory memory;

        SwapReader(GlobalMemory memory) {
            this.memory = memory;
        }

        @Override
        public void start() {
            // no swap is a valid answer (0 %), so there is nothing to refuse
        }

        @Override
        public List<Reading> read() {
            VirtualMemory vm = memory.getVirtualMemory();
            long total = Math.max(0, vm.getSwapTotal());
            long used = Math.max(0, Math.min(total, vm.getSwapUsed()));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("totalBytes", total);
            details.put("usedBytes", used);
            return List.of(new Reading("", percent(used, total), details));
        }
    }

    /**
     * Disk usage per mount point, as df computes Use%: used / (used + available to unprivileged users), so the
     * blocks reserved for root count as neither.
     */
    static final class DiskReader implements MetricReader {

        private final FileSystem fileSystem;
        private final List<String> mounts;

        /** @param mounts the mount points to watch; empty = every local file system */
        DiskReader(FileSystem fileSystem, List<String> mounts) {
            this.fileSystem = fileSystem;
            this.mounts = mounts;
        }

        @Override
        public void start() {
            if (mounts.isEmpty()) {
                if (localStores().isEmpty()) {
                    throw new IllegalArgumentException("beacon:disk found no local file system on this host");
                }
                return;
            }
            Map<String, OSFileStore> byMount = allStores();
            for (String mount : mounts) {
                if (!byMount.containsKey(mount)) {
                    throw new IllegalArgumentException("beacon:disk: mount point '" + mount + "' does not exist on "
                                                       + "this host; mount points: "
                                                       + String.join(", ", new TreeSet<>(byMount.keySet())));
                }
            }
        }

        @Override
        public List<Reading> read() {
            List<Reading> out = new ArrayList<>();
            if (mounts.isEmpty()) {
                for (OSFileStore store : localStores()) {
                    out.add(reading(store));
                }
                return out;
            }
            Map<String, OSFileStore> byMount = allStores();
            for (String mount : mounts) {
                OSFileStore store = byMount.get(mount);
                if (store == null) {
                    // it was there at start: unmounted since; the poll fails and is logged until it is back
                    throw new IllegalStateException("beacon:disk: mount point '" + mount + "' is no longer mounted");
                }
                out.add(reading(store));
            }
            return out;
        }

        private static Reading reading(OSFileStore store) {
            long total = store.getTotalSpace();
            long used = Math.max(0, total - store.getFreeSpace());
            long available = Math.max(0, store.getUsableSpace());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mount", store.getMount());
            details.put("fsType", store.getType());
            details.put("totalBytes", total);
            details.put("usedBytes", used);
            details.put("availableBytes", available);
            return new Reading(store.getMount(), percent(used, used + available), details);
        }

        private List<OSFileStore> localStores() {
            List<OSFileStore> stores = new ArrayList<>();
            for (OSFileStore store : fileSystem.getFileStores(true)) {
                if (store.getTotalSpace() > 0) {
                    stores.add(store);
                }
            }
            return stores;
        }

        private Map<String, OSFileStore> allStores() {
            // named mounts may be network file systems, so look among all of them
            Map<String, OSFileStore> byMount = new LinkedHashMap<>();
            for (OSFileStore store : fileSystem.getFileStores(false)) {
                byMount.putIfAbsent(store.getMount(), store);
            }
            return byMount;
        }
    }

    /**
     * Counts the processes with a given name: the name the OS reports (on Linux the first 15 characters of the
     * command, as ps shows) or the file name of the executable.
     */
    static final class ProcessReader implements MetricReader {

        private final SystemInfo system;
        private final List<String> names;

        ProcessReader(SystemInfo system, List<String> names) {
            this.system = system;
            this.names = names;
        }

        @Override
        public void start() {
            if (system.getOperatingSystem().getProcessCount() <= 0) {
                throw new IllegalArgumentException("beacon:process is not available on this OS (" + osName()
                                                   + "): it lists no processes");
            }
        }

        @Override
        public List<Reading> read() {
            Set<String> wanted = new HashSet<>(names); // contains(null) is false, not an exception
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String name : names) {
                counts.put(name, 0);
            }
            List<OSProcess> processes = system.getOperatingSystem()
                    .getProcesses(p -> wanted.contains(p.getName()) || wanted.contains(fileName(p.getPath())),
                            null, 0);
            for (OSProcess p : processes) {
                String fileName = fileName(p.getPath());
                for (String name : names) {
                    if (name.equals(p.getName()) || name.equals(fileName)) {
                        counts.merge(name, 1, Integer::sum);
                    }
                }
            }
            List<Reading> out = new ArrayList<>(names.size());
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("process", e.getKey());
                details.put("count", e.getValue());
                out.add(new Reading(e.getKey(), e.getValue(), details));
            }
            return out;
        }

        private static String fileName(String path) {
            if (path == null || path.isEmpty()) {
                return null;
            }
            // not Path.of: a process's path is whatever the OS reports, and need not be a valid Path here
            String name = path.substring(path.lastIndexOf('/') + 1);
            return name.isEmpty() ? null : name;
        }
    }

    private static String osName() {
        return System.getProperty("os.name");
    }
}
