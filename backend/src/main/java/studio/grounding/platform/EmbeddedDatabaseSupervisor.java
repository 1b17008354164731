package studio.grounding.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the embedded PostgreSQL (every {@link #CHECK_EVERY}): when its postmaster is gone (killed, crashed, stopped
 * by the process it belonged to), it is started again on the same data directory and port, retrying with backoff
 * (0.5 s doubling up to 10 s) until it runs. The connection pool then reconnects by itself. Meanwhile
 * {@link #isDown()} says so, for the health check and for the API's fast 503.
 */
final class EmbeddedDatabaseSupervisor implements DatabaseAvailability, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseSupervisor.class);
    static final Duration CHECK_EVERY = Duration.ofMillis(250);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final EmbeddedDatabase database;
    private final ScheduledExecutorService timer;
    private final AtomicLong restarts = new AtomicLong();
    private volatile Instant downSince;
    private volatile String lastFailure;
    private Duration backoff = FIRST_BACKOFF;
    private long nextAttemptNanos;

    EmbeddedDatabaseSupervisor(EmbeddedDatabase database) {
        this.database = database;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("embedded-db-supervisor").unstarted(r));
    }

    void start() {
        timer.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: notice a death, restart when the backoff allows. */
    void check() {
        try {
            if (database.isServerAlive()) {
                if (downSince != null) {
                    log.warn("The embedded PostgreSQL is back after {} ms", Duration.between(downSince, Instant.now()).toMillis());
                    downSince = null;
                    backoff = FIRST_BACKOFF;
                }
                return;
            }
            if (downSince == null) {
                downSince = Instant.now();
                nextAttemptNanos = System.nanoTime();
                log.error("The embedded PostgreSQL (pid {}) is gone: restarting it on {}", database.postmasterPid(),
                        database.directory().toAbsolutePath());
            }
            if (System.nanoTime() - nextAttemptNanos < 0) {
                return;
            }
            try {
                database.restart();
                restarts.incrementAndGet();
                lastFailure = null;
            } catch (Exception e) {
                lastFailure = e.getMessage();
                log.warn("Could not restart the embedded PostgreSQL yet (next try in {} ms): {}", backoff.toMillis(), e.getMessage());
                nextAttemptNanos = System.nanoTime() + backoff.toNanos();
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        } catch (RuntimeException e) {
            log.error("The embedded PostgreSQL supervisor failed a round", e);
        }
    }

    /** Down from the moment the postmaster is gone (not only once a round has noticed) until it runs again. */
    @Override
    public boolean isDown() {
        return downSince != null || !database.isServerAlive();
    }

    Instant downSince() {
        return downSince;
    }

    long restarts() {
        return restarts.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
