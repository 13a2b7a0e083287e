package io.backplane.component.zeromq;

import java.nio.charset.StandardCharsets;

import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZeroMQReqRepTest extends ZeroMQTestSupport {

    @Test
    void requestReplyRoundTrip() throws Exception {
        int port = freePort();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from(tcp(port) + "?socketType=REP&bind=true").process(e -> {
                    String request = e.getMessage().getBody(String.class);
                    if (request.equals("fail")) {
                        throw new IllegalStateException("boom");
                    }
                    if (request.equals("slow")) {
                        Thread.sleep(800);
                    }
                    e.getMessage().setBody(request.toUpperCase());
                });
                from("direct:req").to(tcp(port) + "?socketType=REQ&receiveTimeout=600");
            }
        });

        assertThat(text(template.requestBody("direct:req", "hello"))).isEqualTo("HELLO");
        assertThat(text(template.requestBody("direct:req", "again"))).isEqualTo("AGAIN");
        // a failing route still answers (a REP must), with an empty frame
        assertThat(text(template.requestBody("direct:req", "fail"))).isEmpty();

        assertThatThrownBy(() -> template.requestBody("direct:req", "slow"))
                .hasCauseInstanceOf(ExchangeTimedOutException.class);
        // the REQ socket is usable after a timeout; the late reply to "slow" is dropped, not taken for this one
        assertThat(text(template.requestBody("direct:req", "after"))).isEqualTo("AFTER");
    }

    private static String text(Object body) {
        return new String((byte[]) body, StandardCharsets.UTF_8);
    }
}
