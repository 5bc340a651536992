package csirt.agent.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import csirt.agent.cases.CaseChange;
import csirt.agent.triage.Verdict;

/**
 * Where the judge thread hands on, in journal order, what the cases must record: the incidents of
 * each batch, and snapshots of the triage state. The one case writer behind it completes each
 * future once what it carries is durable. It may block: judging then waits (back-pressure).
 */
public interface CaseSink {

    /**
     * Level 1-2 verdicts judged from records up to {@code judgedThrough}; {@code done} (may be null)
     * gets what they changed once they are in the cases.
     */
    void incidents(List<Verdict> incidents, long judgedThrough, CompletableFuture<List<CaseChange>> done);

    /**
     * The triage state after judging every record up to {@code seq}; {@code done} (may be null)
     * completes once the cases cover {@code seq} and the state is saved.
     */
    void snapshot(long seq, byte[] state, CompletableFuture<Long> done);
}
