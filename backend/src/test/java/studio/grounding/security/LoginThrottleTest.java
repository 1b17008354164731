package studio.grounding.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Lockouts per account and per address: thresholds, doubling, the cap, reset on success, forgetting. */
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(5, 20, Duration.ofSeconds(30), Duration.ofMinutes(15), clock);

    @Test
    void fiveFailuresLockTheAccountForThirtySecondsThenTheLockoutDoubles() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("Alice", "10.0.0.1");
            assertThat(throttle.locked("alice", "10.0.0.2")).as("after %d failures", i + 1).isFalse();
        }
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.locked("ALICE ", "10.0.0.9")).as("the account, from any address").isTrue();
        assertThat(throttle.locked("bob", "10.0.0.1")).as("another account from that address").isFalse();

        clock.advance(Duration.ofSeconds(29));
        assertThat(throttle.locked("alice", null)).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.locked("alice", null)).isFalse();

        throttle.failed("alice", null); // the sixth: 60 s
        clock.advance(Duration.ofSeconds(59));
        assertThat(throttle.locked("alice", null)).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.locked("alice", null)).isFalse();

        for (int i = 0; i < 20; i++) {
            throttle.failed("alice", null);
        }
        clock.advance(Duration.ofMinutes(14));
        assertThat(throttle.locked("alice", null)).as("capped at 15 minutes").isTrue();
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(throttle.locked("alice", null)).isFalse();
    }

    @Test
    void aSuccessResetsTheAccountsCountButNotTheAddresss() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("carol", "10.0.0.3");
        }
        throttle.succeeded("carol", "10.0.0.3");
        throttle.failed("carol", "10.0.0.3");
        assertThat(throttle.locked("carol", null)).as("counting again from zero").isFalse();

        for (int i = 0; i < 15; i++) {
            throttle.failed("user" + i, "10.0.0.3");
            throttle.succeeded("user" + i, "10.0.0.3");
        }
        assertThat(throttle.locked("dave", "10.0.0.3")).as("20 failures from one address, whoever they were for")
                .isTrue();
        assertThat(throttle.locked("dave", "10.0.0.4")).isFalse();
    }

    @Test
    void countsAreForgottenAfterAQuietWhile() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("erin", null);
        }
        clock.advance(Duration.ofMinutes(16));
        throttle.failed("erin", null);
        assertThat(throttle.locked("erin", null)).isFalse();
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new LoginThrottle(0, 20, Duration.ofSeconds(30), Duration.ofMinutes(15), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("studio.login.max-failures");
        assertThatThrownBy(() -> new LoginThrottle(5, 20, Duration.ofMinutes(30), Duration.ofMinutes(15), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
