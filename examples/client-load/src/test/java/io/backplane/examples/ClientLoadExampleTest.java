package io.backplane.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.backplane.core.Event;
import io.backplane.core.EventCodec;
import io.backplane.core.client.Emitter;
import io.backplane.distribution.BackplaneProcess;
import io.backplane.distribution.HttpRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The talk's example end to end: the distribution jar runs as its own process with this example's routes/;
 * two applications emit client-load over ZeroMQ; the busy one gets scaled by the HTTP actor and the result event
 * comes back on the bus.
 */
class ClientLoadExampleTest {

    @TempDir
    Path workDir;

    @Test
    void busyServiceIsScaledAndTheResultGoesBackOnTheBus() throws Exception {
        Path exampleRoutes = Path.of(System.getProperty("example.dir"), "routes");
        Files.createDirectories(workDir.resolve("routes"));
        try (var files = Files.list(exampleRoutes)) {
            for (Path f : files.toList()) {
                Files.copy(f, workDir.resolve("routes").resolve(f.getFileName()));
            }
        }
        try (HttpRecorder actor = new HttpRecorder(); BackplaneProcess bp = new BackplaneProcess()) {
            bp.startJar(workDir, "-Dclient-load.actor-url=http://127.0.0.1:" + actor.port() + "/scale");
            Event firstShopReport = null;
            try (Emitter shop = Emitter.zeromq("tcp://127.0.0.1:" + bp.publishPort, "/shop");
                 Emitter blog = Emitter.zeromq("tcp://127.0.0.1:" + bp.publishPort, "/blog")) {
                for (double load : List.of(0.9, 0.95, 0.85)) {
                    Event report = Event.builder("app/shop/client-load").subject("shop").source("/shop")
                            .data(Map.of("load", load)).build();
                    if (firstShopReport == null) {
                        firstShopReport = report;
                    }
                    shop.emit(report);
                    blog.emit("app/blog/client-load", "blog", Map.of("load", load > 0.9 ? 0.9 : 0.2));
                }
            }

            await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> assertThat(actor.requests())
                    .as("actor calls; Backplane said:%n%s", bp.output()).hasSize(1));
            HttpRecorder.Request call = actor.requests().get(0);
            assertThat(call.path()).isEqualTo("/scale");
            Map<String, Object> sent = EventCodec.readObject(call.body(), "actor request");
            assertThat(sent).containsEntry("service", "shop");
            assertThat(sent.get("loads")).isEqualTo(List.of(0.9, 0.95, 0.85));

            // the result event, logged by the audit rule as it came back from the bus
            await().atMost(10, TimeUnit.SECONDS).until(() -> bp.output().contains("action action/http/scale-out/ok"));
            Matcher m = Pattern.compile("action action/http/scale-out/ok (\\{.*})").matcher(bp.output());
            assertThat(m.find()).isTrue();
            Event result = EventCodec.defaults().parse(m.group(1));
            assertThat(result.subject()).isEqualTo("shop");
            assertThat(result.data()).containsEntry("status", 200).containsEntry("service", "shop");
            assertThat(result.causationId()).isEqualTo(firstShopReport.id());

            Thread.sleep(500);
            assertThat(actor.requests()).as("the quiet blog service is left alone").hasSize(1);
        }
    }
}
