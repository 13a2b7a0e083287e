package io.backplane.component.zeromq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ZeroMQPubSubTest extends ZeroMQTestSupport {

    @Test
    void subscriberBindsAndFiltersOnTopicPrefix() throws Exception {
        int port = freePort();
        BlockingQueue<Received> received = queue();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(tcp(port) + "?socketType=SUB&bind=true&topics=a").process(collect(received));
                from("direct:pub").to(tcp(port) + "?socketType=PUB");
            }
        });

        // a subscription reaches the publisher some time after connecting; until then PUB drops everything
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            template.sendBodyAndHeader("direct:pub", "warm-up", ZeroMQConstants.TOPIC, "a/warm-up");
            return !received.isEmpty();
        });
        template.sendBodyAndHeader("direct:pub", "not for me", ZeroMQConstants.TOPIC, "b/x");
        // without a topic the body is a single frame, and SUB filters on it: "a-single" starts with "a"
        template.sendBody("direct:pub", "a-single");
        template.sendBodyAndHeader("direct:pub", "for me", ZeroMQConstants.TOPIC, "a/x");
        // one connection keeps the order: once "for me" is here, "not for me" would have been too
        await().atMost(Duration.ofSeconds(5)).until(() -> hasBody(received, "for me"));

        assertThat(received).noneMatch(r -> r.body().equals("not for me"));
        Received single = received.stream().filter(r -> r.body().equals("a-single")).findFirst().orElseThrow();
        assertThat(single.topic()).isNull();
        assertThat(single.frames()).isNull();
        assertThat(received).filteredOn(r -> r != single).allMatch(r -> r.topic().startsWith("a/"));
        Received last = received.stream().filter(r -> r.body().equals("for me")).findFirst().orElseThrow();
        assertThat(last.topic()).isEqualTo("a/x");
        assertThat(last.frames()).hasSize(2);
        assertThat(new String(last.frames().get(0), StandardCharsets.UTF_8)).isEqualTo("a/x");
    }

    @Test
    void publisherBindsWithEndpointTopicAndSeveralSubscriptions() throws Exception {
        int port = freePort();
        BlockingQueue<Received> received = queue();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(tcp(port) + "?socketType=SUB&topics=a,c").process(collect(received));
                from("direct:a").to(tcp(port) + "?socketType=PUB&bind=true&topic=a/1");
            }
        });
        String pubUri = tcp(port) + "?socketType=PUB&bind=true&topic=a/1";

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            template.sendBody("direct:a", "warm-up");
            return !received.isEmpty();
        });
        // the same producer: the header overrides the endpoint's topic
        template.sendBodyAndHeader("direct:a", "b", ZeroMQConstants.TOPIC, "b/1");
        template.sendBodyAndHeader("direct:a", "c", ZeroMQConstants.TOPIC, "c/1");
        template.sendBody("direct:a", "a-last");
        await().atMost(Duration.ofSeconds(5)).until(() -> hasBody(received, "a-last"));

        assertThat(received).noneMatch(r -> r.body().equals("b"));
        assertThat(received).anyMatch(r -> r.body().equals("c") && "c/1".equals(r.topic()));
        assertThat(received.stream().filter(r -> r.body().equals("a-last")).findFirst().orElseThrow().topic())
                .isEqualTo("a/1");
        assertThat(context.getEndpoint(pubUri, ZeroMQEndpoint.class).getTopic()).isEqualTo("a/1");
    }

    @Test
    void xsubToXpubForwarder() throws Exception {
        int front = freePort();
        int back = freePort();
        BlockingQueue<Received> received = queue();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                // the forwarder: publishers connect to the XSUB side, subscribers to the XPUB side
                from(tcp(front) + "?socketType=XSUB&bind=true").to(tcp(back) + "?socketType=XPUB&bind=true");
                from("direct:pub").to(tcp(front) + "?socketType=PUB");
                from(tcp(back) + "?socketType=SUB&topics=t/").process(collect(received));
            }
        });

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            template.sendBodyAndHeader("direct:pub", "forwarded", ZeroMQConstants.TOPIC, "t/1");
            return !received.isEmpty();
        });
        Received first = received.take();
        assertThat(first.body()).isEqualTo("forwarded");
        assertThat(first.topic()).isEqualTo("t/1");
    }

    @Test
    void xpubConsumerReceivesSubscriptions() throws Exception {
        int port = freePort();
        BlockingQueue<Received> received = queue();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(tcp(port) + "?socketType=XPUB&bind=true").process(collect(received));
                from(tcp(port) + "?socketType=SUB&topics=news").log("${body}");
            }
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
        byte[] subscription = received.take().body().getBytes(StandardCharsets.UTF_8);
        assertThat(subscription[0]).isEqualTo((byte) 1);
        assertThat(new String(subscription, 1, subscription.length - 1, StandardCharsets.UTF_8)).isEqualTo("news");
    }
}
