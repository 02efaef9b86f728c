package dev.nabla.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU backend's threads: one worker per core beyond the caller, which always takes a share
 * itself. Work is split into at most {@link #threads()} contiguous chunks, and only above a grain
 * size, so small tensors never pay for a hand-off.
 *
 * <p>Why not an {@code ExecutorService}: handing a task to a parked pool thread costs a futex wake
 * and a reschedule, 20–60 µs on a virtual machine, which ate a third of the second core's gain on a
 * 300 µs matmul. Workers here spin (with {@link Thread#onSpinWait}) for {@link #SPIN_NANOS} after
 * each task before they park, as OpenMP runtimes do, so the back-to-back parallel calls of a
 * training step find them awake; a hand-off is then a volatile write. Each worker has its own slot,
 * claimed by compare-and-set: when two application threads call in at once, the one that finds a
 * worker busy runs that chunk itself, so nothing ever waits on another caller's work.
 *
 * <p>Thread count: {@code -Dnabla.cpu.threads} or {@code NABLA_CPU_THREADS}, else the core count.
 */
final class Parallel {

    /** A range body: process indices [from, to). */
    @FunctionalInterface
    interface Range {
        void run(long from, long to);
    }

    /** How long an idle worker stays awake for the next task before it parks. */
    static final long SPIN_NANOS = 200_000;

    private static final int THREADS = configuredThreads();
    private static final Worker[] WORKERS = startWorkers(THREADS - 1);

    /** Set on worker threads so nested parallel calls run inline. */
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

    private static Worker[] startWorkers(int n) {
        Worker[] w = new Worker[Math.max(0, n)];
        for (int i = 0; i < w.length; i++) {
            w[i] = new Worker();
            Thread t = new Thread(w[i], "nabla-cpu-" + (i + 1));
            t.setDaemon(true);
            w[i].thread = t;
            t.start();
        }
        return w;
    }

    /** One chunk of a parallel call, and the call's shared completion state. */
    private record Task(Range body, long from, long to, AtomicInteger pending, AtomicReference<Throwable> failure) {
        void run() {
            try {
                if (from < to) body.run(from, to);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private static final class Worker implements Runnable {
        final AtomicBoolean busy = new AtomicBoolean();
        volatile Task task;
        volatile boolean parked;
        Thread thread;

        @Override
        public void run() {
            IN_WORKER.set(true);
            while (true) {
                Task t = awaitTask();
                task = null;
                t.run();
                busy.set(false);
            }
        }

        private Task awaitTask() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Task t = task;
                if (t != null) return t;
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                // park only after announcing it, so a submitter that sees parked == false knows we
                // will look at the slot again (both fields are volatile)
                parked = true;
                if (task == null) LockSupport.park(this);
                parked = false;
                spinUntil = System.nanoTime() + SPIN_NANOS;
            }
        }

        /** Hands t to this worker if it is free; false when another call holds it. */
        boolean offer(Task t) {
            if (!busy.compareAndSet(false, true)) return false;
            task = t;
            if (parked) LockSupport.unpark(thread);
            return true;
        }
    }

    /**
     * Runs body over [0, n), split into chunks of at least {@code grain} indices, one per thread at
     * most; runs inline when there is one chunk.
     */
    static void forRange(long n, long grain, Range body) {
        if (n <= 0) return;
        int chunks = (int) Math.min(THREADS, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || WORKERS.length == 0 || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        long step = (n + chunks - 1) / chunks;
        AtomicInteger pending = new AtomicInteger(chunks - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Task[] own = null;
        for (int c = 1; c < chunks; c++) {
            Task t = new Task(body, c * step, Math.min(n, (c + 1) * step), pending, failure);
            if (!WORKERS[c - 1].offer(t)) {
                if (own == null) own = new Task[chunks];
                own[c] = t;
            }
        }
        new Task(body, 0, Math.min(n, step), new AtomicInteger(1), failure).run();
        if (own != null) {
            for (Task t : own) if (t != null) t.run();
        }
        // the workers' chunks are about as long as ours: wait for them awake, then politely (a
        // worker may have been descheduled, and spinning would keep it off the core)
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() > 0) {
            if (System.nanoTime() < spinUntil) Thread.onSpinWait();
            else Thread.yield();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error er) throw er;
        if (t != null) throw new IllegalStateException(t);
    }
}
