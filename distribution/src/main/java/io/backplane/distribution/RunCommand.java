package io.backplane.distribution;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.backplane.gate.GatesRoutes;
import io.backplane.ingest.IngestRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Runs Backplane on camel-main: the bus (embedded ZeroMQ hub by default), the HTTP ingest, health and metrics, and
 * the YAML rules in ./routes. Stops cleanly on Ctrl-C (camel-main's shutdown hook stops routes, then the bus).
 */
@Command(name = "run", description = "Run Backplane (the default when no command is given).")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    static final String DEFAULT_ROUTES = "file:routes/*.yaml,file:routes/*.yml";

    @Override
    public Integer call() {
        Main main = new Main();
        // Camel takes each key from the first location that has it: the working directory's file wins over the
        // installation's conf/, which wins over the built-in defaults (and -D and environment variables over all)
        String home = System.getProperty("backplane.home");
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true"
                                                   + (home != null ? ",file:" + home + "/conf/application.properties;optional=true" : "")
                                                   + ",classpath:application.properties;optional=true");
        main.configure().addRoutesBuilder(new IngestRoutes());
        // GET /gates/<name> for deploy pipelines, and gate flips as events (gates.yaml in the working directory)
        main.configure().addRoutesBuilder(new GatesRoutes());
        // the rules in ./routes; camel.main.routesIncludePattern, when the user sets it, replaces this default
        if (Files.isDirectory(Path.of("routes"))) {
            main.configure().withRoutesIncludePattern(DEFAULT_ROUTES);
        } else {
            LOG.info("no routes/ directory in {}: no rules loaded from it", Path.of("").toAbsolutePath());
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                String base = "http://" + context.resolvePropertyPlaceholders("{{backplane.http.host}}") + ":"
                              + context.resolvePropertyPlaceholders("{{backplane.http.port}}");
                String path = context.resolvePropertyPlaceholders("{{backplane.http.path:/events}}");
                long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
                String gates = context.resolvePropertyPlaceholders("{{backplane.gates.path:/gates}}");
                LOG.info("Backplane started in {} ms: {} routes, ingest {}{}, health {}/observe/health, gates {}{}",
                        uptime, context.getRoutesSize(), base, path, base, base, gates);
            }
        });
        try {
            main.run();
            return main.getExitCode();
        } catch (Exception e) {
            LOG.error("Backplane failed to start: {}", e.getMessage(), e);
            return 1;
        }
    }
}
