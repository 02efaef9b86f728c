package dev.nabla.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CPU backend's thread pool: one worker per core beyond the caller, which always takes a share
 * itself. Work is split into at most {@link #threads()} contiguous chunks, and only above a grain
 * size, so small tensors never pay for a hand-off (a hand-off costs a few microseconds).
 * Thread count: {@code -Dnabla.cpu.threads} or {@code NABLA_CPU_THREADS}, else the core count.
 */
final class Parallel {

    /** A range body: process indices [from, to). */
    @FunctionalInterface
    interface Range {
        void run(long from, long to);
    }

    private static final int THREADS = configuredThreads();
    private static final ExecutorService POOL = THREADS > 1
            ? Executors.newFixedThreadPool(THREADS - 1, r -> {
                Thread t = new Thread(r, "nabla-cpu");
                t.setDaemon(true);
                return t;
            })
            : null;

    /** Set on pool threads so nested parallel calls run inline instead of deadlocking the pool. */
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);

    private Parallel() {}

    static int threads() { return THREADS; }

    private static int configuredThreads() {
        String s = System.getProperty("nabla.cpu.threads", System.getenv("NABLA_CPU_THREADS"));
        if (s != null) {
            try {
                return Math.max(1, Integer.parseInt(s.trim()));
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs body over [0, n), split into chunks of at least {@code grain} indices, one per thread at
     * most; runs inline when there is one chunk.
     */
    static void forRange(long n, long grain, Range body) {
        if (n <= 0) return;
        int chunks = (int) Math.min(THREADS, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || POOL == null || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        CountDownLatch done = new CountDownLatch(chunks - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long step = (n + chunks - 1) / chunks;
        for (int c = 1; c < chunks; c++) {
            long from = c * step, to = Math.min(n, from + step);
            POOL.execute(() -> {
                IN_WORKER.set(true);
                try {
                    if (from < to) body.run(from, to);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    IN_WORKER.set(false);
                    done.countDown();
                }
            });
        }
        try {
            body.run(0, Math.min(n, step));
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error er) throw er;
        if (t != null) throw new IllegalStateException(t);
    }
}
