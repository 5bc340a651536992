package csirt.agent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import csirt.agent.asset.SilenceWatch;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asset fell silent or spoke again: the agent's own line, journaled and judged (criteria
 * SIL-*); speaking again is also noted on the asset's open silence case, by the case writer.
 */
final class SilenceReporter {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceReporter.class);

    private final SilenceWatch silence;
    private final OwnMessages own;
    private final CaseStage caseStage;

    SilenceReporter(SilenceWatch silence, OwnMessages own, CaseStage caseStage) {
        this.silence = silence;
        this.own = own;
        this.caseStage = caseStage;
    }

    /** The timer's job: reports each asset that fell silent or spoke again since the last look. */
    void check(Instant now) {
        for (SilenceWatch.Change c : silence.check(now)) {
            changed(c, now);
        }
    }

    private void changed(SilenceWatch.Change c, Instant now) {
        String t = now.truncatedTo(ChronoUnit.SECONDS).toString();
        String since = c.lastSeen().truncatedTo(ChronoUnit.SECONDS).toString();
        if (c.silent()) {
            LOG.warn("{} has sent nothing since {} (expected at least every {})", c.host(), since, c.expectedEvery());
            own.send("silence-watch", "<27>1 " + t + " " + c.host() + " csirt-agent - SILENT - " + c.host()
                    + " has sent nothing since " + since + " (expected at least every " + c.expectedEvery() + ")");
            return;
        }
        LOG.info("{} speaks again (silent since {})", c.host(), since);
        own.send("silence-watch", "<30>1 " + t + " " + c.host() + " csirt-agent - SPOKE - " + c.host()
                + " speaks again (silent since " + since + ")");
        caseStage.write("note that " + c.host() + " speaks again", store -> {
            for (CaseRecord open : store.list()) {
                if (CaseState.open(open.state()) && c.host().equalsIgnoreCase(open.host())
                        && open.criterionId() != null && open.criterionId().startsWith("SIL-")) {
                    store.note(open.id(), "silence-watch", c.host() + " speaks again at " + t + " (silent since " + since
                            + "); close the case once the cause is known");
                }
            }
            return null;
        });
    }
}
