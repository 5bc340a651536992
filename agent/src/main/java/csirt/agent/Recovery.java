package csirt.agent;

import java.io.IOException;
import java.util.List;

import csirt.agent.cases.CaseChange;
import csirt.agent.journal.Journal;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.pipeline.IngestPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Recovery at start: the records neither the saved triage state nor the cases cover are judged again, the one road like any batch. */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
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
        List<java.util.concurrent.CompletableFuture<List<CaseChange>>> applied = new java.util.ArrayList<>();
        List<csirt.agent.journal.JournalRecord> chunk = new java.util.ArrayList<>(RECOVERY_CHUNK);
        // through the judge queue and the case stage, like any batch: the same order, retries and coverage
        csirt.agent.journal.JournalReader.read(journal.file().getParent(), coveredAtStart + 1, r -> {
            records[0]++;
            chunk.add(r);
            if (chunk.size() == RECOVERY_CHUNK) {
                applied.add(pipeline.rejudgeAsync(List.copyOf(chunk), Recovery::sourceOf));
                chunk.clear();
            }
        });
        applied.add(pipeline.rejudgeAsync(chunk, Recovery::sourceOf));
        long[] kinds = new long[2];
        for (java.util.concurrent.CompletableFuture<List<CaseChange>> f : applied) {
            try {
                for (CaseChange c : f.join()) {
                    kinds[c.kind() == CaseChange.Kind.DUPLICATE ? 1 : 0]++;
                }
            } catch (java.util.concurrent.CompletionException e) {
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

    private static csirt.agent.parse.EventParser.Source sourceOf(csirt.agent.journal.JournalRecord r) {
        return "file".equals(r.receipt().transport()) ? csirt.agent.parse.EventParser.Source.CLAMAV_LOG
                : csirt.agent.parse.EventParser.Source.SYSLOG;
    }
}
