package csirt.agent;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import csirt.agent.cases.CaseChange;
import csirt.agent.triage.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The case stage: the level 1-2 verdicts the judge thread hands over wait here (bounded: when the
 * cases fall behind, judging waits, then reading) and one thread applies them in order, a batch per
 * transaction, then starts a delivery pass. A batch the case database refuses (PostgreSQL down, a
 * lock, a full disk) is retried with growing waits for up to five minutes while everything before
 * it waits — the journal keeps the records — and health says why; only then is it given up, with
 * the journal seqs to replay. Drained at stop, after the judge thread.
 */
final class CaseStage {

    private static final Logger LOG = LoggerFactory.getLogger(CaseStage.class);
    /** How long a batch the case database refuses is retried before it is left to replay. */
    private static final long RETRY_MILLIS = 5 * 60_000;

    /** Applies a batch to the cases (one transaction) and returns what changed; throws when the database refuses it. */
    interface Apply {
        List<CaseChange> apply(List<Verdict> batch);
    }

    private final BlockingQueue<List<Verdict>> queue = new ArrayBlockingQueue<>(1000);
    private final Apply apply;
    private final Consumer<List<CaseChange>> changed;
    private final IntConsumer settled;
    private final Thread thread = new Thread(this::run, "csirt-cases");
    private volatile Runnable afterBatch = () -> { };
    private volatile boolean stopping;
    private volatile boolean applying;
    private volatile String error;

    /**
     * @param changed sees what each applied batch changed (metrics, log lines)
     * @param settled told how many verdicts a batch held once it is applied or given up
     */
    CaseStage(Apply apply, Consumer<List<CaseChange>> changed, IntConsumer settled) {
        this.apply = apply;
        this.changed = changed;
        this.settled = settled;
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Runs after each batch (a delivery pass of the outbox, once Camel runs). */
    void afterBatch(Runnable r) {
        this.afterBatch = r;
    }

    /** From the judge thread: waits while the queue is full. */
    void handOver(List<Verdict> incidents) {
        try {
            queue.put(incidents);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted handing incidents to the case stage", e);
        }
    }

    /** Batches waiting, the one being applied included. */
    int backlog() {
        return queue.size() + (applying ? 1 : 0);
    }

    /** What the case database said when it last refused a batch, while it still does; null otherwise. */
    String error() {
        return error;
    }

    boolean stopped() {
        return !stopping && !thread.isAlive();
    }

    /** Applies what is queued, then stops (give a batch still refused up at once). */
    void drain(long waitMillis) throws InterruptedException {
        stopping = true;
        thread.join(waitMillis);
    }

    private void run() {
        while (true) {
            List<Verdict> vs;
            try {
                vs = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (vs == null) {
                if (stopping) {
                    return;
                }
                continue;
            }
            applying = true;
            try {
                applyRetrying(vs);
                afterBatch.run();
            } finally {
                applying = false;
            }
        }
    }

    private void applyRetrying(List<Verdict> vs) {
        long deadline = System.currentTimeMillis() + RETRY_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                changed.accept(apply.apply(vs));
                settled.accept(vs.size());
                if (error != null) {
                    LOG.warn("The case database takes incidents again (after {} attempts)", attempt);
                    error = null;
                }
                return;
            } catch (RuntimeException e) {
                error = String.valueOf(e.getMessage());
                if (stopping || System.currentTimeMillis() > deadline) {
                    settled.accept(vs.size());
                    LOG.error("Gave up recording {} incidents in the case database after {} attempts ({}); they are journaled "
                            + "(seq {}..{}): `replay` judges them again once the database is back", vs.size(), attempt, e.toString(),
                            vs.get(0).event().seq(), vs.get(vs.size() - 1).event().seq());
                    return;
                }
                if (attempt == 1) {
                    LOG.error("Cannot record {} incidents in the case database ({}); retrying for up to 5 minutes while the "
                            + "inputs wait", vs.size(), e.toString());
                }
                try {
                    Thread.sleep(Math.min(10_000, 500L * attempt));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    settled.accept(vs.size());
                    return;
                }
            }
        }
    }
}
