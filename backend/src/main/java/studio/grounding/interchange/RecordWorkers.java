package studio.grounding.interchange;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A few threads that store records while the reader parses the next ones. At most {@code 4 × threads} tasks
 * wait at any time, so memory stays bounded whatever the file size. The first unexpected failure (the database
 * gone, a full disk) stops the work and is rethrown by {@link #finish()}; bad records are not failures here,
 * they are reported by the importer.
 */
final class RecordWorkers implements AutoCloseable {

    private final ExecutorService pool;
    private final Semaphore slots;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    RecordWorkers(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("import-", 0).daemon().factory());
        this.slots = new Semaphore(4 * threads);
    }

    void submit(Runnable work) {
        rethrowFailure();
        slots.acquireUninterruptibly();
        pool.execute(() -> {
            try {
                if (failure.get() == null) {
                    work.run();
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e instanceof RuntimeException r ? r : new IllegalStateException(e));
            } finally {
                slots.release();
            }
        });
    }

    /** Waits for every submitted record; rethrows the first unexpected failure. */
    void finish() {
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                // keep waiting: records finish in bounded time
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while finishing the import", e);
        }
        rethrowFailure();
    }

    private void rethrowFailure() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
