package csirt.agent.health;

import java.util.ArrayList;
import java.util.List;

import csirt.agent.CaseStage;
import csirt.agent.pipeline.IngestPipeline;

/** The judge and case threads: running, and the case database taking what they hand it. */
public final class StagesCheck implements ReadinessCheck {

    private final IngestPipeline pipeline;
    private final CaseStage caseStage;

    public StagesCheck(IngestPipeline pipeline, CaseStage caseStage) {
        this.pipeline = pipeline;
        this.caseStage = caseStage;
    }

    @Override
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        String caseError = caseStage.error();
        if (caseError != null) {
            out.add("cases: the case database refuses incidents (" + caseError + "); retrying, the inputs wait");
        }
        if (caseStage.gap() != null) {
            out.add("cases: " + caseStage.gap() + "; restart the agent to judge them again from the journal");
        }
        if (caseStage.stopped()) {
            out.add("internal: the case stage thread stopped; restart the agent (the journal keeps everything)");
        }
        if (pipeline.judgeStopped()) {
            out.add("internal: the judge thread stopped; restart the agent (the journal keeps everything)");
        }
        return out;
    }
}
