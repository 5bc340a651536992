package csirt.agent.journal;

/**
 * Holds a reader to a rate in bytes per second by sleeping when it is ahead. The scheduled
 * verification of a large journal, read at full speed, took a core and gigabytes of short-lived
 * garbage for as long as it ran: the inputs' threads then lost CPU and paused for collections,
 * and UDP, which cannot wait, lost datagrams. Paced, it is a steady small load instead.
 * One reader (thread) per instance.
 */
public final class ReadPace {

    /** No pace: as fast as the disk and CPU go (the `verify` command, where a user waits for it). */
    public static final ReadPace NONE = new ReadPace(0);

    private final long bytesPerSecond;
    private final long startNanos = System.nanoTime();
    private long bytes;

    private ReadPace(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    public static ReadPace of(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("a pace must be positive, was " + bytesPerSecond + " bytes per second");
        }
        return new ReadPace(bytesPerSecond);
    }

    /** Counts {@code n} bytes read; sleeps while more has been read than the pace allows by now. */
    public void read(long n) {
        if (bytesPerSecond == 0) {
            return;
        }
        bytes += n;
        long dueNanos = startNanos + bytes * 1_000_000_000L / bytesPerSecond;
        long ahead = dueNanos - System.nanoTime();
        // sleep in steps of at least 10 ms: the scheduler's resolution, and few wake-ups
        if (ahead >= 10_000_000L) {
            try {
                Thread.sleep(ahead / 1_000_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pacing a read", e);
            }
        }
    }
}
