package studio.grounding.prefill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Which workers count as connected: those that claimed (also in vain) within the window. */
class WorkerSightingsTest {

    /** a clock the test moves on */
    private static final class Hand extends Clock {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aWorkerIsConnectedWhileItClaimedWithinTheWindowTheMostRecentFirst() {
        Hand clock = new Hand();
        WorkerSightings sightings = new WorkerSightings(clock);
        assertThat(sightings.within(Duration.ofMinutes(2))).isEmpty();

        sightings.seen("gpu-1");
        clock.now = clock.now.plusSeconds(30);
        sightings.seen("gpu-2");
        assertThat(sightings.within(Duration.ofMinutes(2))).extracting(WorkerSeen::name)
                .containsExactly("gpu-2", "gpu-1");

        clock.now = clock.now.plusSeconds(100);
        assertThat(sightings.within(Duration.ofMinutes(2))).extracting(WorkerSeen::name).containsExactly("gpu-2");
        sightings.seen("gpu-1");
        assertThat(sightings.within(Duration.ofMinutes(2))).extracting(WorkerSeen::name)
                .containsExactly("gpu-1", "gpu-2");

        clock.now = clock.now.plus(Duration.ofMinutes(3));
        assertThat(sightings.within(Duration.ofMinutes(2))).isEmpty();
    }
}
