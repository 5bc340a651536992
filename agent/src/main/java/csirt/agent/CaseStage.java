package csirt.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import csirt.agent.cases.CaseChange;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.NoticeFactory;
import csirt.agent.pipeline.CaseSink;
import csirt.agent.triage.TriageState;
import csirt.agent.triage.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of cases. What the judge thread hands on (incidents, triage-state snapshots) and
 * what people ask for (notes, state changes, reports) waits here in order, bounded: when the cases
 * fall behind, judging waits, then reading. One thread applies each item in its own transaction,
 * with the notices it calls for and the journal coverage it earns, then starts a delivery pass.
 *
 * <p>A database that refuses (a full disk, PostgreSQL down, a lock held) holds the item and
 * everything after it: retried with growing waits for as long as it refuses, health says why, the
 * log says so once a minute, and the journal keeps the records meanwhile. A triage-state snapshot
 * is saved only when it is reached, so the state never covers an incident that is not in a case.
 */
public final class CaseStage implements CaseSink {

    private static final Logger LOG = LoggerFactory.getLogger(CaseStage.class);
    /** The longest wait between two attempts at an item the database refuses. */
    private static final long MAX_RETRY_WAIT_MILLIS = 5_000;
    /** How long a person's request waits for a refusing database before it is answered with the refusal. */
    private static final long TASK_PATIENCE_MILLIS = 20_000;
    /** A batch that fails for another reason than the database refusing (a defect) is tried this often. */
    private static final int DEFECT_ATTEMPTS = 3;

    /** Something for the cases to record, in order. */
    private sealed interface Item permits Batch, Snapshot, Task {
    }

    private record Batch(List<Verdict> verdicts, long judgedThrough, CompletableFuture<List<CaseChange>> done) implements Item {
    }

    private record Snapshot(long seq, byte[] state, CompletableFuture<Long> done) implements Item {
    }

    private record Task(String what, Function<CaseStore, Object> work, CompletableFuture<Object> done) implements Item {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(1000);
    private final CaseStore cases;
    private final NoticeFactory notices;
    private final Path stateFile;
    private final Consumer<List<CaseChange>> changed;
    private final Thread thread = new Thread(this::run, "csirt-cases");
    private volatile Runnable afterBatch = () -> { };
    private volatile boolean stopping;
    private volatile long stopBy = Long.MAX_VALUE;
    private volatile boolean applying;
    private volatile String error;
    /** Set when a batch could not be recorded at all: coverage then stays where it was until a restart judges again from there. */
    private volatile String gap;

    /**
     * @param stateFile where the triage state is saved once a snapshot reaches the cases
     * @param changed   sees what each applied batch changed (metrics, log lines)
     */
    CaseStage(CaseStore cases, NoticeFactory notices, Path stateFile, Consumer<List<CaseChange>> changed) {
        this.cases = cases;
        this.notices = notices;
        this.stateFile = stateFile;
        this.changed = changed;
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Runs after each batch and write (a delivery pass of the outbox, once Camel runs). */
    void afterBatch(Runnable r) {
        this.afterBatch = r;
    }

    @Override
    public void incidents(List<Verdict> incidents, long judgedThrough, CompletableFuture<List<CaseChange>> done) {
        put(new Batch(incidents, judgedThrough, done));
    }

    @Override
    public void snapshot(long seq, byte[] state, CompletableFuture<Long> done) {
        put(new Snapshot(seq, state, done));
    }

    /**
     * A write a person asked for (a note, a state change, a report), after everything queued before
     * it; the future gets its result, or the reason it was refused.
     */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> write(String what, Function<CaseStore, T> work) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        put(new Task(what, (Function<CaseStore, Object>) work, done));
        return (CompletableFuture<T>) done;
    }

    /** Waits for a write of the case stage; its refusal comes back as an IllegalArgumentException with the reason. */
    static <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("The case database did not take " + what + " within 60 s (see /health/ready); "
                    + "it is done once the database takes writes again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted waiting for " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalArgumentException("The case database refused " + what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void put(Item item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted handing work to the case stage", e);
        }
    }

    /** Items waiting, the one being applied included. */
    public int backlog() {
        return queue.size() + (applying ? 1 : 0);
    }

    /** What the case database said when it last refused, while it still does; null otherwise. */
    public String error() {
        return error;
    }

    /** Why the cases stopped covering the journal until a restart, or null. */
    public String gap() {
        return gap;
    }

    public boolean stopped() {
        return !stopping && !thread.isAlive();
    }

    /**
     * Applies what is queued, then stops. An item the database still refuses after
     * {@code waitMillis} is left unrecorded: the cases' coverage stays before it, so the next start
     * judges it again from the journal.
     */
    void drain(long waitMillis) throws InterruptedException {
        stopBy = System.currentTimeMillis() + waitMillis;
        stopping = true;
        thread.join(waitMillis + MAX_RETRY_WAIT_MILLIS + 1_000);
    }

    private void run() {
        while (true) {
            Item item;
            try {
                item = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (item == null) {
                if (stopping) {
                    return;
                }
                continue;
            }
            applying = true;
            try {
                apply(item instanceof Batch b ? coalesce(b) : item);
            } finally {
                applying = false;
            }
        }
    }

    /** Batches applied in one transaction at most: one commit (one fsync) for all that waited. */
    private static final int MAX_COALESCED_VERDICTS = 5_000;
    /**
     * The batch and the batches queued right behind it, as one (group commit): every commit is
     * forced to disk, and one per batch of a burst would make the disk, not the judge, set the pace.
     */
    private Item coalesce(Batch first) {
        if (!(queue.peek() instanceof Batch)) {
            return first;
        }
        List<Batch> group = new ArrayList<>();
        group.add(first);
        int verdicts = first.verdicts().size();
        while (queue.peek() instanceof Batch b && verdicts + b.verdicts().size() <= MAX_COALESCED_VERDICTS) {
            group.add((Batch) queue.poll());
            verdicts += b.verdicts().size();
        }
        if (group.size() == 1) {
            return first;
        }
        List<Verdict> all = new ArrayList<>(verdicts);
        group.forEach(b -> all.addAll(b.verdicts()));
        CompletableFuture<List<CaseChange>> done = new CompletableFuture<>();
        done.whenComplete((changes, failure) -> {
            int at = 0;
            for (Batch b : group) {
                int n = b.verdicts().size();
                if (failure != null) {
                    fail(b.done(), failure);
                } else {
                    complete(b.done(), changes.subList(at, at + n));
                }
                at += n;
            }
        });
        return new Batch(all, group.get(group.size() - 1).judgedThrough(), done);
    }

    private void apply(Item item) {
        if (item instanceof Batch b) {
            List<CaseChange> out = retrying("record " + b.verdicts().size() + " incidents (seq " + b.verdicts().get(0).event().seq()
                    + ".." + b.judgedThrough() + ")", Long.MAX_VALUE, b.done(),
                    () -> cases.applyAll(b.verdicts(), notices, gap == null ? b.judgedThrough() : 0));
            if (out != null) {
                changed.accept(out);
                complete(b.done(), out);
                afterBatch.run();
            } else if (gap == null) {
                gap = "incidents of seq " + b.verdicts().get(0).event().seq() + ".." + b.judgedThrough() + " are in no case";
            }
        } else if (item instanceof Snapshot s) {
            if (gap != null) {
                LOG.warn("Triage state not saved: {}; a restart judges the journal again from where the cases cover it", gap);
                complete(s.done(), null);
                return;
            }
            Boolean covered = retrying("record that the cases cover the journal to seq " + s.seq(), Long.MAX_VALUE, s.done(), () -> {
                cases.cover(s.seq());
                return Boolean.TRUE;
            });
            if (covered == null) {
                return;
            }
            try {
                TriageState.write(s.state(), stateFile);
                complete(s.done(), s.seq());
            } catch (IOException e) {
                // the cases hold the coverage: the next start judges from the older state, which is exact
                LOG.warn("Could not save the triage state to {} ({}); the next snapshot tries again", stateFile, e.toString());
                complete(s.done(), null);
            }
        } else if (item instanceof Task t) {
            Object result = retrying(t.what(), System.currentTimeMillis() + TASK_PATIENCE_MILLIS, t.done(), () -> t.work().apply(cases));
            if (!t.done().isDone()) {
                t.done().complete(result);
                afterBatch.run(); // a report or the housekeeping may have queued notices
            }
        }
    }

    private static <T> void complete(CompletableFuture<T> f, T value) {
        if (f != null) {
            f.complete(value);
        }
    }

    /**
     * Runs {@code work} until it succeeds: retried while the database refuses (an SQL error),
     * until {@code giveUpAt} or the stop deadline; a defect (any other error) is tried a few times.
     * Returns null, with {@code done} completed exceptionally, when it gave up.
     */
    private <T> T retrying(String what, long giveUpAt, CompletableFuture<?> done, Supplier<T> work) {
        long firstFailure = 0;
        long lastLog = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                T out = work.get();
                if (error != null) {
                    LOG.warn("The case database takes writes again (after {} attempts in {} s)", attempt,
                            (System.currentTimeMillis() - firstFailure) / 1000);
                    error = null;
                }
                return out;
            } catch (IllegalArgumentException refused) {
                // a person's request the rules refuse (a state the plan does not allow): the answer, not a failure
                fail(done, refused);
                return null;
            } catch (RuntimeException e) {
                long now = System.currentTimeMillis();
                boolean database = causedBySql(e);
                if (firstFailure == 0) {
                    firstFailure = now;
                }
                error = String.valueOf(e.getMessage());
                if (!database && attempt >= DEFECT_ATTEMPTS) {
                    LOG.error("Could not {} after {} attempts: {}; the records are journaled, and the cases stop covering the "
                            + "journal here until a restart judges them again", what, attempt, e.toString(), e);
                    error = null;
                    fail(done, e);
                    return null;
                }
                if (now > giveUpAt || (stopping && now > stopBy)) {
                    LOG.error("Gave up trying to {} ({}); {}", what, e.getMessage(), stopping
                            ? "at stop: the cases cover the journal only to before these records, so the next start judges them again"
                            : "the request was not done");
                    if (stopping) {
                        error = null;
                    }
                    fail(done, e);
                    return null;
                }
                if (now - lastLog >= 60_000) {
                    // once a minute, not once an attempt: a full disk must not fill itself further with logs
                    LOG.error("Cannot {} in the case database ({}); holding it and everything after it, retrying{}", what,
                            e.getMessage(), attempt == 1 ? "" : " (" + attempt + " attempts so far)");
                    lastLog = now;
                }
                try {
                    Thread.sleep(Math.min(MAX_RETRY_WAIT_MILLIS, 250L * attempt));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    fail(done, stop);
                    return null;
                }
            }
        }
    }

    private static void fail(CompletableFuture<?> done, Throwable e) {
        if (done != null) {
            done.completeExceptionally(e);
        }
    }

    private static boolean causedBySql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }
}
