package io.backplane.component.beacon;

import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Every bad option and every metric this host cannot give fails the route start with a message naming it. */
class BeaconValidationTest extends BeaconTestSupport {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "beacon:temperature                         | unknown beacon metric 'temperature': use one of load, cpu, memory, swap, disk, process",
            "beacon:load?above=3&below=4                | beacon:load: below (4.0) must not be greater than above (3.0)",
            "beacon:disk?mount=/&below=80               | beacon:disk: below needs above",
            "beacon:cpu?emit=threshold                  | beacon:cpu: emit=threshold needs above",
            "beacon:process                             | beacon:process needs name=<process name>",
            "beacon:process?name=                       | beacon:process needs name=<process name>",
            "beacon:process?name=sshd&above=2           | beacon:process has no thresholds (above, below)",
            "beacon:memory?name=sshd                    | name applies to beacon:process only, not beacon:memory",
            "beacon:cpu?mount=/                         | mount applies to beacon:disk only, not beacon:cpu",
            "beacon:load?average=10                     | average must be 1, 5 or 15 (minutes), was 10",
            "beacon:cpu?average=5                       | average applies to beacon:load only, not beacon:cpu",
            "beacon:memory?deadband=-1                  | beacon:memory: deadband must be a number >= 0, was -1.0",
            "beacon:memory?above=90&deadband=5          | deadband applies to emit=change, not emit=threshold",
            "beacon:memory?emit=always&deadband=5       | deadband applies to emit=change, not emit=always",
            "beacon:memory?interval=0                   | interval must be a positive duration such as 10s or 1m, was 0 ms",
            "beacon:memory?interval=often               | interval must be a positive duration",
            "beacon:memory?initialDelay=-1              | initialDelay must be >= 0",
    })
    void badOptionsAreRefusedWithAClearMessage(String uri, String message) throws Exception {
        start();
        assertThatThrownBy(() -> context.getEndpoint(uri))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void badOptionsFailTheRouteStart() {
        assertThatThrownBy(() -> start(collect("beacon:load?above=3&below=4")))
                .isInstanceOf(FailedToCreateRouteException.class)
                .rootCause()
                .hasMessageContaining("below (4.0) must not be greater than above (3.0)");
    }

    @Test
    void unknownOptionIsRefused() throws Exception {
        start();
        assertThatThrownBy(() -> context.getEndpoint("beacon:cpu?treshold=3"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("treshold");
    }

    @Test
    void unknownEmitModeIsRefused() throws Exception {
        start();
        assertThatThrownBy(() -> context.getEndpoint("beacon:cpu?emit=sometimes"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause()
                .hasMessageContaining("sometimes");
    }

    @Test
    void mountThatDoesNotExistFailsTheRouteStartNamingIt() {
        assertStartFails("beacon:disk?mount=/no/such/mount&above=90")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beacon:disk: mount point '/no/such/mount' does not exist on this host")
                // and says which mount points there are
                .hasMessageContaining("mount points: ")
                .hasMessageContaining("/");
    }

    @Test
    void aDirectoryIsNotAMountPoint() {
        assertStartFails("beacon:disk?mount=/tmp,/")
                .hasMessageContaining("mount point '/tmp' does not exist");
    }

    /** Starts a route from the URI; returns an assertion on the innermost cause of its failure. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertStartFails(String uri) {
        Throwable thrown = catchThrowable(() -> start(collect(uri)));
        assertThat(thrown).as("start of a route from " + uri).isNotNull();
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // the route is not running
        assertThat(context.getRoutes()).allSatisfy(r -> assertThat(
                context.getRouteController().getRouteStatus(r.getId()).isStarted()).isFalse());
        return assertThat(root);
    }

    @Test
    void loadAverageMissingOnThisOsIsAClearError() {
        // OSHI answers -1 where the OS has no load average (Windows); this Linux host has one, so it is faked
        MetricReader reader = new OshiReaders.LoadReader(n -> new double[] {-1, -1, -1}, 1);
        assertThatThrownBy(reader::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beacon:load is not available on this OS");
    }

    @Test
    void realLoadAverageIsAvailableHere() throws Exception {
        start(collect("beacon:load?initialDelay=0"));
        assertThat(context.getRouteController().getRouteStatus(context.getRoutes().get(0).getId()).isStarted())
                .isTrue();
    }

    @Test
    void beaconCannotBeSentTo() {
        assertThatThrownBy(() -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:x").to("beacon:cpu");
            }
        }))
                .rootCause()
                .hasMessageContaining("beacon: only emits events");
    }

    @Test
    void schedulerThreadsMustBePositive() {
        context.getComponent("beacon", BeaconComponent.class).setSchedulerThreads(0);
        assertStartFails("beacon:cpu")
                .hasMessageContaining("schedulerThreads of the beacon component must be >= 1, was 0");
    }
}
