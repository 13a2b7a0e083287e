package io.backplane.component.ansible;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.InvalidEventException;
import io.backplane.core.action.ActionResult;
import io.backplane.core.action.ActionResult.Outcome;
import io.backplane.core.template.Template;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one ansible-playbook or ansible process in a private temporary directory (its own ansible.cfg, callback
 * plugin, known_hosts, extra-vars file, local temp and SSH control sockets, all deleted afterwards), waits for it
 * with a deadline, and reads what Backplane's callback wrote into a result.
 */
final class AnsibleRunner {

    private static final Logger LOG = LoggerFactory.getLogger(AnsibleRunner.class);

    /** Stands for {@code @<extra-vars file>} in a command until the run's directory exists. */
    static final String EXTRA_VARS_PLACEHOLDER = "\0extra-vars";
    static final String CALLBACK = "backplane_json";
    /** At most this many failed tasks are listed in a result; the counts in {@code hosts} stay exact. */
    static final int MAX_FAILURES = 20;
    /** The least a per-host or per-failure text keeps when the maxOutput budget is shared by many. */
    static final int MIN_SHARE = 128;
    private static final long KILL_GRACE_MILLIS = 2000;

    /** Everything one run needs, decided by the producer. */
    record Run(String program, Path binary, List<String> command, List<String> knownHosts, Event event,
               Path ansibleConfig, boolean pipelining, long sshControlPersistMillis, long timeoutMillis,
               int maxOutput, boolean adHoc) {
    }

    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /** Runs and finishes {@code result}: ok when the program exits 0, failed otherwise, timeout when killed. */
    Event run(Run run, ActionResult result) throws InterruptedException {
        Path dir;
        try {
            dir = Files.createTempDirectory("backplane-ansible-");
        } catch (IOException e) {
            return result.finish(Outcome.FAILED, "cannot create a temporary directory for " + run.program() + ": " + e);
        }
        try {
            return run(run, result, dir);
        } catch (IOException | UncheckedIOException e) {
            return result.finish(Outcome.FAILED, "cannot run " + run.program() + ": " + e.getMessage());
        } finally {
            closeSharedConnections(dir.resolve("cp"));
            delete(dir);
        }
    }

    private Event run(Run run, ActionResult result, Path dir) throws IOException, InterruptedException {
        Path resultFile = dir.resolve("result.json");
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Path extraVars = writeExtraVars(dir, run.event());
        List<String> command = new ArrayList<>(run.command());
        command.replaceAll(word -> EXTRA_VARS_PLACEHOLDER.equals(word) ? "@" + extraVars : word);

        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        environment(builder.environment(), run, dir, resultFile);

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return result.finish(Outcome.FAILED, "cannot start " + run.program() + " (" + run.binary() + "): "
                                                 + e.getMessage());
        }
        running.add(process);
        boolean finished;
        try {
            finished = process.waitFor(run.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            int killed = killTree(process);
            result.put("stdout", read(stdout, run.maxOutput())).put("stderr", read(stderr, run.maxOutput()));
            Thread.currentThread().interrupt();
            return result.finish(Outcome.FAILED, run.program() + " was interrupted (Camel is stopping): killed it "
                                                 + "and " + (killed - 1) + " child processes");
        } finally {
            running.remove(process);
        }
        if (!finished) {
            int killed = killTree(process);
            result.put("hosts", Map.of()).put("failures", List.of());
            result.put("stdout", read(stdout, run.maxOutput())).put("stderr", read(stderr, run.maxOutput()));
            return result.finish(Outcome.TIMEOUT, run.program() + " did not finish within "
                                                  + seconds(run.timeoutMillis()) + ": killed it and "
                                                  + (killed - 1) + " child processes");
        }
        int exitCode = process.exitValue();
        String err = read(stderr, run.maxOutput());
        Map<String, Object> report = readReport(resultFile);
        Map<String, Object> hosts = hosts(report, run.adHoc(), run.maxOutput());
        List<Map<String, Object>> failures = failures(report);
        result.put("exitCode", exitCode)
                .put("hosts", hosts)
                .put("failures", bounded(failures, run.maxOutput()))
                .put("stdout", read(stdout, run.maxOutput()))
                .put("stderr", err);
        if (exitCode == 0) {
            return result.finish(Outcome.OK, null);
        }
        return result.finish(Outcome.FAILED, failureMessage(run.program(), exitCode, failures, err));
    }

    /**
     * The event as Ansible extra vars: {@code {"event": {...}}}. The whole event is wrapped in Ansible's
     * {@code __ansible_unsafe} marker, so every string in it is data to Ansible: a value like
     * <code>{{ lookup('pipe', 'id') }}</code> stays that text instead of being evaluated when a task uses it.
     */
    static Path writeExtraVars(Path dir, Event event) throws IOException {
        Path file = dir.resolve("event.json");
        Map<String, Object> vars = Map.of("event", Map.of("__ansible_unsafe", event));
        Files.write(file, EventCodec.toJsonBytes(vars));
        return file;
    }

    /**
     * The first key in the event starting with {@code __ansible_} (Ansible's JSON reader turns objects with such a
     * key into vaulted or unsafe values), or null.
     */
    static String reservedKey(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (String.valueOf(entry.getKey()).startsWith("__ansible_")) {
                    return String.valueOf(entry.getKey());
                }
                String inner = reservedKey(entry.getValue());
                if (inner != null) {
                    return inner;
                }
            }
        } else if (value instanceof Iterable<?> list) {
            for (Object item : list) {
                String inner = reservedKey(item);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /**
     * The process environment: the JVM's, without any ANSIBLE_* setting it happens to carry, plus Backplane's. Host
     * keys are checked against a known_hosts file written from the inventory, and nothing else.
     */
    private static void environment(Map<String, String> env, Run run, Path dir, Path resultFile) throws IOException {
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_") || k.startsWith("BACKPLANE_ANSIBLE_"));
        Path callbacks = Files.createDirectories(dir.resolve("callback"));
        try (InputStream in = AnsibleRunner.class.getResourceAsStream(CALLBACK + ".py")) {
            if (in == null) {
                throw new IOException("the callback plugin " + CALLBACK + ".py is missing from the jar");
            }
            Files.copy(in, callbacks.resolve(CALLBACK + ".py"));
        }
        Path knownHosts = dir.resolve("known_hosts");
        Files.write(knownHosts, run.knownHosts());
        Path config = run.ansibleConfig();
        if (config == null) {
            config = Files.writeString(dir.resolve("ansible.cfg"), "");
        }
        Path controlDir = Files.createDirectories(dir.resolve("cp"));
        Path localTemp = Files.createDirectories(dir.resolve("tmp"));

        StringBuilder ssh = new StringBuilder();
        if (run.sshControlPersistMillis() > 0) {
            long seconds = Math.max(1, (run.sshControlPersistMillis() + 999) / 1000);
            ssh.append("-o ControlMaster=auto -o ControlPersist=").append(seconds).append('s');
        } else {
            ssh.append("-o ControlMaster=no");
        }
        ssh.append(" -o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null -o UserKnownHostsFile=")
                .append(Template.shellQuote(knownHosts.toString()));

        env.put("ANSIBLE_CONFIG", config.toString());
        env.put("ANSIBLE_STDOUT_CALLBACK", CALLBACK);
        env.put("ANSIBLE_CALLBACK_PLUGINS", callbacks.toString());
        env.put("ANSIBLE_LOAD_CALLBACK_PLUGINS", "True");
        env.put("ANSIBLE_CALLBACKS_ENABLED", "");
        env.put("BACKPLANE_ANSIBLE_RESULT", resultFile.toString());
        env.put("BACKPLANE_ANSIBLE_MAX_TEXT", String.valueOf(run.maxOutput()));
        env.put("ANSIBLE_NOCOLOR", "True");
        env.put("ANSIBLE_FORCE_COLOR", "False");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        env.put("ANSIBLE_LOCAL_TEMP", localTemp.toString());
        // Ansible's default, stated so that no inherited setting moves it; each task makes its own random dir there
        env.put("ANSIBLE_REMOTE_TEMP", "~/.ansible/tmp");
        env.put("ANSIBLE_HOST_KEY_CHECKING", "True");
        env.put("ANSIBLE_SSH_ARGS", ssh.toString());
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", controlDir.toString());
        env.put("ANSIBLE_PIPELINING", run.pipelining() ? "True" : "False");
    }

    /** Kills the process and every process it started (SIGTERM, then SIGKILL after a grace period); returns how many. */
    static int killTree(Process process) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_GRACE_MILLIS);
        while (System.nanoTime() < deadline && all.stream().anyMatch(ProcessHandle::isAlive)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // children started during the grace period are caught too
        process.descendants().forEach(h -> {
            if (!all.contains(h)) {
                all.add(h);
            }
        });
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all.size();
    }

    /**
     * Ends the run's shared SSH connections now ({@code ssh -O exit}) rather than ControlPersist later. The master
     * of a shared connection detaches from the process tree, so killing the tree on a timeout would not reach it,
     * and it would keep a hanging task's session open.
     */
    static void closeSharedConnections(Path controlDir) {
        List<Path> sockets;
        try (Stream<Path> files = Files.list(controlDir)) {
            sockets = files.toList();
        } catch (IOException e) {
            return; // no directory: nothing was shared
        }
        List<Process> exits = new ArrayList<>();
        for (Path socket : sockets) {
            try {
                exits.add(new ProcessBuilder("ssh", "-o", "ControlPath=" + socket, "-O", "exit", "backplane")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
            } catch (IOException e) {
                LOG.warn("cannot close the shared SSH connection {}: {}", socket, e.getMessage());
            }
        }
        for (Process exit : exits) {
            try {
                if (!exit.waitFor(10, TimeUnit.SECONDS)) {
                    exit.destroyForcibly();
                }
            } catch (InterruptedException e) {
                exit.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills every process still running (the route is stopping). */
    void killAll() {
        for (Process process : List.copyOf(running)) {
            LOG.warn("stopping: killing running ansible process {}", process.pid());
            killTree(process);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readReport(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of(); // the run ended before any play (bad options, syntax error)
        }
        try {
            return EventCodec.readObject(Files.readAllBytes(file), "the ansible callback's report");
        } catch (IOException | InvalidEventException e) {
            LOG.warn("cannot read {}: {}", file, e.getMessage());
            return Map.of();
        }
    }

    /** Per-host counts from the play recap, plus (for module runs) what the module returned. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> hosts(Map<String, Object> report, boolean adHoc, int maxOutput) {
        Map<String, Object> hosts = new LinkedHashMap<>();
        Map<String, Object> stats = (Map<String, Object>) report.getOrDefault("stats", Map.of());
        Map<String, Object> last = (Map<String, Object>) report.getOrDefault("last", Map.of());
        int share = share(maxOutput, stats.size());
        stats.forEach((host, value) -> {
            Map<String, Object> counts = (Map<String, Object>) value;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", counts.getOrDefault("ok", 0));
            out.put("changed", counts.getOrDefault("changed", 0));
            out.put("failed", counts.getOrDefault("failures", 0));
            out.put("unreachable", counts.getOrDefault("unreachable", 0));
            out.put("skipped", counts.getOrDefault("skipped", 0));
            out.put("rescued", counts.getOrDefault("rescued", 0));
            out.put("ignored", counts.getOrDefault("ignored", 0));
            Object result = last.get(host);
            if (adHoc && result instanceof Map<?, ?> module) {
                for (String key : List.of("rc", "stdout", "stderr", "msg")) {
                    if (module.get(key) != null) {
                        out.put(key, bound(module.get(key), share));
                    }
                }
            }
            hosts.put(host, out);
        });
        return hosts;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> failures(Map<String, Object> report) {
        List<Map<String, Object>> failures = new ArrayList<>();
        for (Object item : (List<Object>) report.getOrDefault("failures", List.of())) {
            Map<String, Object> failure = (Map<String, Object>) item;
            Map<String, Object> out = new LinkedHashMap<>();
            for (String key : List.of("host", "task", "action", "status", "msg", "rc", "stdout", "stderr")) {
                Object value = failure.get(key);
                if (value != null && !"".equals(value)) {
                    out.put(key, value);
                }
            }
            failures.add(out);
        }
        return failures;
    }

    /**
     * The first {@link #MAX_FAILURES} failures, their texts sharing the maxOutput budget, so that a run failing on a
     * thousand hosts still makes an event far below the bus's size limit.
     */
    static List<Map<String, Object>> bounded(List<Map<String, Object>> failures, int maxOutput) {
        List<Map<String, Object>> first = failures.size() > MAX_FAILURES ? failures.subList(0, MAX_FAILURES) : failures;
        int share = share(maxOutput, first.size());
        List<Map<String, Object>> out = new ArrayList<>(first.size());
        for (Map<String, Object> failure : first) {
            Map<String, Object> copy = new LinkedHashMap<>(failure);
            copy.replaceAll((key, value) -> bound(value, share));
            out.add(copy);
        }
        return out;
    }

    private static int share(int maxOutput, int parts) {
        return Math.max(MIN_SHARE, maxOutput / Math.max(1, parts));
    }

    private static Object bound(Object value, int max) {
        return value instanceof String text ? ActionResult.truncate(text, max) : value;
    }

    /** One sentence saying what went wrong: the first failed task, else Ansible's own ERROR! message. */
    static String failureMessage(String program, int exitCode, List<Map<String, Object>> failures, String stderr) {
        if (!failures.isEmpty()) {
            Map<String, Object> first = failures.get(0);
            StringBuilder message = new StringBuilder();
            message.append(first.get("host"));
            if ("unreachable".equals(first.get("status"))) {
                message.append(" unreachable");
            } else {
                message.append(": task '").append(first.get("task")).append("' failed");
            }
            message.append(": ").append(headline(String.valueOf(first.getOrDefault("msg", "(no message)"))));
            if (first.get("rc") != null) {
                message.append(" (rc=").append(first.get("rc")).append(')');
            }
            Object taskStderr = first.get("stderr");
            if (taskStderr != null && !taskStderr.toString().isBlank()) {
                message.append(": ").append(taskStderr.toString().strip());
            }
            if (failures.size() > 1) {
                message.append(" (and ").append(failures.size() - 1).append(" more failures)");
            }
            return message.toString();
        }
        String detail = stderr == null ? "" : stderr.strip();
        int error = detail.indexOf("ERROR!");
        if (error >= 0) {
            detail = detail.substring(error);
        }
        return program + " exited with " + exitCode + (detail.isEmpty() ? "" : ": " + detail);
    }

    /**
     * A multi-line message cut to its first words and its last line: ssh's banner about a changed host key becomes
     * "Failed to connect to the host via ssh: Host key verification failed." (the whole text stays in failures).
     */
    static String headline(String msg) {
        String text = msg.strip();
        int newline = text.indexOf('\n');
        if (newline < 0) {
            return text;
        }
        String first = text.substring(0, newline);
        String last = text.substring(text.lastIndexOf('\n') + 1).strip();
        int colon = first.indexOf(": ");
        return (colon > 0 ? first.substring(0, colon) : first.strip()) + ": " + last;
    }

    /** At most {@code max} characters of a captured output file. */
    static String read(Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(max);
            long size = Files.size(file);
            return ActionResult.truncate(head, (int) Math.min(size, Integer.MAX_VALUE), max);
        } catch (IOException e) {
            return "";
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete the temporary directory {}: {}", dir, e.getMessage());
        }
    }
}
