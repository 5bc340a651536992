package csirt.agent.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Keeps a port scan or a misconfigured sender from filling the log: at most {@value #PER_MINUTE}
 * warnings per input and minute are written; the rest are only counted (the metrics count every
 * one), and the first warning of the next minute says how many were left out.
 */
public final class WarningLimiter {

    static final int PER_MINUTE = 20;

    private record Window(AtomicLong minute, AtomicInteger written, AtomicInteger dropped) {
    }

    private static final ConcurrentHashMap<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private WarningLimiter() {
    }

    public static void warn(Logger log, String input, String format, Object... args) {
        warnAt(System.currentTimeMillis(), log, input, format, args);
    }

    static void warnAt(long nowMillis, Logger log, String input, String format, Object... args) {
        long minute = nowMillis / 60_000;
        Window w = WINDOWS.computeIfAbsent(input, k -> new Window(new AtomicLong(minute), new AtomicInteger(), new AtomicInteger()));
        long was = w.minute().get();
        if (was != minute && w.minute().compareAndSet(was, minute)) {
            int dropped = w.dropped().getAndSet(0);
            w.written().set(0);
            if (dropped > 0) {
                log.warn("Input {}: {} more warnings like the ones below were left out of the log in the last minute (see the metrics)",
                        input, dropped);
            }
        }
        if (w.written().incrementAndGet() <= PER_MINUTE) {
            log.warn(format, args);
        } else {
            w.dropped().incrementAndGet();
        }
    }
}
