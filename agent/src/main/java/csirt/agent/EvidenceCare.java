package csirt.agent;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import csirt.agent.cases.CaseStore;
import csirt.agent.health.ReadinessCheck;
import csirt.agent.journal.Journal;
import csirt.agent.journal.JournalVerifier;
import csirt.agent.journal.ReadPace;
import csirt.agent.journal.Retention;
import csirt.agent.journal.VerifyResult;
import csirt.agent.metrics.AgentMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's scheduled care, on a thread of its own: delete sealed segments past the retention
 * that no case holds (each deletion journaled), then verify the whole journal, paced; a failure is
 * raised as an incident (EVD-200) through the same road as any alert, and fails readiness.
 */
public final class EvidenceCare {

    private static final Logger LOG = LoggerFactory.getLogger(EvidenceCare.class);

    /** What care needs of the settings. */
    public record Settings(Duration retention, Duration verifyEvery, Duration firstAfter, long verifyBytesPerSecond) {
    }

    private final Journal journal;
    private final CaseStore cases;
    private final OwnMessages own;
    private final AgentMetrics metrics;
    private final String hostName;
    private final Settings settings;
    private final Object lock = new Object();
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "csirt-evidence");
        t.setDaemon(true);
        return t;
    });
    private volatile String lastProblem;
    private Instant nextRun;

    EvidenceCare(Journal journal, CaseStore cases, OwnMessages own, AgentMetrics metrics, String hostName, Settings settings, Instant start) {
        this.journal = journal;
        this.cases = cases;
        this.own = own;
        this.metrics = metrics;
        this.hostName = hostName;
        this.settings = settings;
        // the first run shortly after start, out of the way of start-up and recovery
        this.nextRun = start.plus(settings.firstAfter());
    }

    /** The timer's job: starts a run on the care thread when one is due and none is running. */
    public synchronized void runIfDue(Instant now) {
        if (now.isBefore(nextRun) || !running.compareAndSet(false, true)) {
            return;
        }
        nextRun = now.plus(settings.verifyEvery());
        worker.submit(() -> {
            try {
                run(Instant.now());
            } finally {
                running.set(false);
            }
        });
    }

    /** One run, on the caller's thread (its own lock: a long verification holds up nothing else). */
    public void run(Instant now) {
        synchronized (lock) {
            try {
                Set<Long> held = cases.heldSeqs(now.minus(settings.retention()));
                for (Retention.Deleted d : Retention.apply(journal, settings.retention(), held::contains, now)) {
                    own.send("journal-retention", d.record());
                    LOG.info("Retention: {}", d.record());
                }
                // paced: read at full speed, a large journal took a core and made GC pauses that cost UDP datagrams
                VerifyResult r = JournalVerifier.verify(journal.file().getParent(), ReadPace.of(settings.verifyBytesPerSecond()));
                metrics.verification(r.ok() ? "ok" : "failed");
                if (r.ok()) {
                    lastProblem = null;
                    LOG.info("Scheduled verification of the journal: OK, {} records, chain head seq {} {}", r.records(), r.lastSeq(), r.headHash());
                    return;
                }
                lastProblem = "the scheduled verification failed at seq " + r.problemSeq() + ": " + r.problem();
                LOG.error("Scheduled verification of the journal FAILED at seq {} ({}): {}. Keep a copy of the data directory "
                        + "and compare the journal with the chain heads in past notices and digests.", r.problemSeq(), r.problemFile(), r.problem());
                String file = r.problemFile() == null ? "-" : r.problemFile().getFileName().toString();
                own.send("journal-verifier", "<10>1 " + now + " " + hostName + " csirt-agent - - - evidence verification FAILED at seq "
                        + r.problemSeq() + " (" + file + "): " + r.problem());
            } catch (IOException | RuntimeException e) {
                metrics.verification("error");
                LOG.error("The journal's scheduled care failed: {}", e.toString());
            }
        }
    }

    /** Readiness: the last verification's failure, until one passes. */
    public ReadinessCheck check() {
        return ReadinessCheck.of("journal", () -> lastProblem);
    }

    void close() {
        worker.shutdownNow();
    }
}
