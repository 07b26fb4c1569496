package dev.netkeeper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Items 0..n-1 run at a given concurrency, on platform threads, each taking the next item when done. */
final class Parallel {
    interface Item {
        void run(int i) throws Exception;
    }

    private Parallel() {}

    /** Concurrency 1 (or less): in order on the calling thread. The first failure is thrown. */
    static void each(int n, int concurrency, Item item) throws Exception {
        if (concurrency <= 1) {
            for (int i = 0; i < n; i++) {
                item.run(i);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                all.add(pool.submit(() -> {
                    item.run(k);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
