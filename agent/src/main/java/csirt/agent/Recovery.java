package csirt.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import csirt.agent.cases.CaseChange;
import csirt.agent.journal.Journal;
import csirt.agent.journal.JournalReader;
import csirt.agent.journal.JournalRecord;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.parse.EventParser;
import csirt.agent.pipeline.IngestPipeline;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.TriageState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Recovery at start: the records neither the saved triage state nor the cases cover are judged again, the one road like any batch. */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    /**
     * Restores the saved triage state into {@code triage}; returns how far it covers the journal,
     * or -1 when there is none (or it cannot be read: then windows and holds start empty).
     */
    static long restoreState(TriageEngine triage, Path stateFile) {
        if (!Files.exists(stateFile)) {
            return -1;
        }
        try {
            TriageState.Restored restored = TriageState.restore(triage, stateFile);
            LOG.info("Restored triage state from {} (covers the journal to seq {}): {} held events{}", stateFile, restored.coveredSeq(),
                    triage.heldCount(), restored.dropped() > 0 ? ", " + restored.dropped() + " dropped because their criteria are gone" : "");
            return restored.coveredSeq();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not restore the triage state from {} ({}); starting with empty windows and holds", stateFile, e.toString());
            return -1;
        }
    }

    /**
     * Where judging starts again: the saved triage state says how far it judged, the cases how far
     * their incidents are recorded; after a crash the smaller wins, so no incident is left out (the
     * cases recognise those they hold). Without a state, the cases' coverage; with neither, the
     * whole journal; a store that never recorded coverage (an earlier version's) leaves the state's word.
     */
    static long coveredAtStart(long stateCovered, long casesCovered) {
        if (stateCovered < 0) {
            return Math.max(0, casesCovered);
        }
        if (casesCovered >= 0 && casesCovered < stateCovered) {
            LOG.warn("The triage state covers the journal to seq {} but the cases only to seq {}: judging again from seq {}",
                    stateCovered, casesCovered, casesCovered + 1);
            return casesCovered;
        }
        return stateCovered;
    }

    /**
     * After a crash: the records journaled after the saved triage state are judged again, in journal
     * order, and their incidents applied to the cases, which recognise what they already hold (the
     * same event and revision), so nothing is missing and no case or notice is doubled.
     */
    static void run(Journal journal, IngestPipeline pipeline, AgentMetrics metrics, long coveredAtStart) throws IOException {
        long last = journal.lastSeq();
        if (last <= coveredAtStart) {
            return;
        }
        long[] records = new long[1];
        List<CompletableFuture<List<CaseChange>>> applied = new ArrayList<>();
        List<JournalRecord> chunk = new ArrayList<>(RECOVERY_CHUNK);
        // through the judge queue and the case stage, like any batch: the same order, retries and coverage
        JournalReader.read(journal.file().getParent(), coveredAtStart + 1, r -> {
            records[0]++;
            chunk.add(r);
            if (chunk.size() == RECOVERY_CHUNK) {
                applied.add(pipeline.rejudgeAsync(List.copyOf(chunk), Recovery::sourceOf));
                chunk.clear();
            }
        });
        applied.add(pipeline.rejudgeAsync(chunk, Recovery::sourceOf));
        long[] kinds = new long[2];
        for (CompletableFuture<List<CaseChange>> f : applied) {
            try {
                for (CaseChange c : f.join()) {
                    kinds[c.kind() == CaseChange.Kind.DUPLICATE ? 1 : 0]++;
                }
            } catch (CompletionException e) {
                LOG.error("Recovery could not record some incidents: {}", e.getCause().toString());
            }
        }
        pipeline.snapshot().join(); // the state and the cases now cover the journal: a second crash starts from here
        metrics.recovered(records[0]);
        LOG.warn("Recovered after an unclean stop: judged again {} records journaled after the saved triage state (seq {}..{}); "
                + "{} incident verdicts applied now, {} were already in the cases", records[0], coveredAtStart + 1, last, kinds[0], kinds[1]);
    }

    /** Records judged again per batch in recovery (a batch of the judge queue, one transaction of the cases). */
    private static final int RECOVERY_CHUNK = 1_000;

    private static EventParser.Source sourceOf(JournalRecord r) {
        return "file".equals(r.receipt().transport()) ? EventParser.Source.CLAMAV_LOG
                : EventParser.Source.SYSLOG;
    }
}
