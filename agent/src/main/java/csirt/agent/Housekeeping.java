package csirt.agent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;

import csirt.agent.cases.CaseStore;
import csirt.agent.cases.Peers;
import csirt.agent.cases.SourceTally;
import csirt.agent.cases.VerdictTally;
import csirt.agent.journal.Journal;
import csirt.agent.notify.NoticeService;
import csirt.agent.pipeline.IngestPipeline;

/**
 * The agent's timed jobs, each called by its own timer route ({@code routes/housekeeping.camel.yaml}):
 * the triage clock, the state snapshot, the journal's group commit, the configuration watch, silent
 * sources, the journal's care, and the notices that are due. Each job is short; none holds the
 * inputs back (the snapshot and the triage clock are markers on the judge queue).
 */
public final class Housekeeping {

    private final IngestPipeline pipeline;
    private final Journal journal;
    private final Reloader reloader;
    private final SilenceReporter silence;
    private final EvidenceCare evidence;
    private final NoticeService notices;
    private final CaseStage caseStage;
    private final VerdictTally tally;
    private final SourceTally sources;
    private final ZoneId zone;
    private CompletableFuture<Long> lastSnapshot = CompletableFuture.completedFuture(0L);
    private CompletableFuture<Object> lastNotices = CompletableFuture.completedFuture(null);

    Housekeeping(IngestPipeline pipeline, Journal journal, Reloader reloader, SilenceReporter silence, EvidenceCare evidence,
                 NoticeService notices, CaseStage caseStage, VerdictTally tally, SourceTally sources, ZoneId zone) {
        this.tally = tally;
        this.sources = sources;
        this.zone = zone;
        this.pipeline = pipeline;
        this.journal = journal;
        this.reloader = reloader;
        this.silence = silence;
        this.evidence = evidence;
        this.notices = notices;
        this.caseStage = caseStage;
    }

    /** Every second: held events whose time is up are decided, on the judge thread. */
    public void triageTick() {
        pipeline.tick(Instant.now());
    }

    /**
     * Every ten seconds: a snapshot marker on the judge queue; the triage state is saved once the
     * cases hold everything before it. A snapshot still on its way is not doubled.
     */
    public synchronized void stateSnapshot() {
        if (lastSnapshot.isDone()) {
            lastSnapshot = pipeline.snapshot();
        }
    }

    /** Every second: forces what the journal wrote since the last time to disk (group commit). */
    public void syncJournal() {
        journal.sync();
    }

    /** Every five seconds: reloads criteria, assets and contacts when their files changed. */
    public void watchConfig() {
        reloader.reloadIfChanged();
    }

    /** Every second: sources that fell silent or spoke again. */
    public void watchSilence() {
        silence.check(Instant.now());
    }

    /** Every second: starts the journal's care (retention, verification) on its own thread when due. */
    public void evidenceCare() {
        evidence.runIfDue(Instant.now());
    }

    private Peers peers;

    /** The agents sharing the case database, this one among them (see {@link Peers#joinAs}). */
    void beatWith(Peers peers) {
        this.peers = peers;
    }

    /** Every five seconds: this agent's beat in a shared case database (and the lease of the timed jobs below). */
    public void beat() {
        if (peers != null) {
            peers.beat(Instant.now());
        }
    }

    /**
     * Every minute: queues the updates that are due and, once a day, the digest, by the case writer.
     * With agents sharing the case database only the holder of the lease does (the others' counts
     * are the same stream's: dropped, not added twice).
     */
    public synchronized void notices() {
        if (peers != null && !peers.leader()) {
            tally.drain();
            sources.drain();
            return;
        }
        if (lastNotices.isDone()) {
            Instant now = Instant.now();
            lastNotices = caseStage.write("queue notice updates and the digest", store -> {
                notices.queueUpdates(now);
                notices.remindUnacknowledged(now);
                notices.remindLegal(now);
                notices.digestIfDue(now);
                store.addVerdictCounts(LocalDate.ofInstant(now, zone), tally.drain());
                store.addSourceCounts(LocalDate.ofInstant(now, zone), sources.drain());
                return null;
            });
        }
    }

    /** At a clean stop: the last minute's verdict counts (the case writer has stopped; the store takes them directly). */
    void addVerdictCounts(CaseStore store) {
        try {
            store.addVerdictCounts(LocalDate.now(zone), tally.drain());
            store.addSourceCounts(LocalDate.now(zone), sources.drain());
        } catch (RuntimeException e) {
            // only the overview's last minute of counts: the stop goes on (journal, cases and state are what matter)
            org.slf4j.LoggerFactory.getLogger(Housekeeping.class).warn("The last minute's verdict counts are not saved: {}", e.getMessage());
        }
    }
}
