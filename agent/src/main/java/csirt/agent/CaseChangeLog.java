package csirt.agent;

import java.util.List;
import java.util.function.Consumer;

import csirt.agent.cases.CaseChange;
import csirt.agent.cases.CaseStore;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.triage.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What each case-writer transaction changed, in the log and the metrics (opened, escalated; attached at debug). */
final class CaseChangeLog implements Consumer<List<CaseChange>> {

    private static final Logger LOG = LoggerFactory.getLogger(CaseChangeLog.class);

    private final AgentMetrics metrics;

    CaseChangeLog(AgentMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void accept(List<CaseChange> changes) {
        for (CaseChange change : changes) {
            Verdict v = change.verdict();
            switch (change.kind()) {
                case OPENED -> {
                    if (!CaseStore.drill(change.caseRecord())) { // a drill's cases are kept out of the counts
                        metrics.caseOpened(v.category().id(), change.caseRecord().level());
                    }
                    metrics.noticeQueued("opened");
                    LOG.info("Opened case {} level {} {} by {} ({})", change.caseRecord().displayId(), change.caseRecord().level(),
                            v.category().id(), v.criterionId(), v.summary());
                }
                case ESCALATED -> {
                    if (!CaseStore.drill(change.caseRecord())) {
                        metrics.caseEscalated(v.category().id(), change.caseRecord().level());
                    }
                    metrics.noticeQueued("escalated");
                    LOG.info("Escalated case {} from level {} to {} by {} ({})", change.caseRecord().displayId(),
                            change.previousLevel(), change.caseRecord().level(), v.criterionId(), v.summary());
                }
                default -> LOG.debug("Attached {} to case {}", v.summary(), change.caseRecord().displayId());
            }
        }
    }
}
