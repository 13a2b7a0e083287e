package io.backplane.distribution;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

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
        // later locations override earlier ones: built-in defaults, then the installation's, then the directory's
        String home = System.getProperty("backplane.home");
        main.setDefaultPropertyPlaceholderLocation("classpath:application.properties;optional=true"
                                                   + (home != null ? ",file:" + home + "/conf/application.properties;optional=true" : "")
                                                   + ",file:application.properties;optional=true");
        main.configure().addRoutesBuilder(new IngestRoutes());
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
                String host = context.resolvePropertyPlaceholders("{{backplane.http.host}}");
                String port = context.resolvePropertyPlaceholders("{{backplane.http.port}}");
                long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
                LOG.info("Backplane started in {} ms: {} routes, ingest http://{}:{}/events, health "
                         + "http://{}:{}/observe/health", uptime, context.getRoutesSize(), host, port, host, port);
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
