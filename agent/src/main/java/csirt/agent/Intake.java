package csirt.agent;

import java.util.List;

import csirt.agent.cases.CaseChange;
import csirt.agent.notify.NoticeComposer;
import csirt.agent.pipeline.IngestPipeline;
import csirt.agent.triage.Verdict;

/**
 * Reports from people (plan 4(2)②): journaled like any message, decided on the judge thread, and
 * recorded by the one case writer; the caller waits for the case it made.
 */
final class Intake {

    private final IngestPipeline pipeline;
    private final CaseStage caseStage;
    private final NoticeComposer composer;

    Intake(IngestPipeline pipeline, CaseStage caseStage, NoticeComposer composer) {
        this.pipeline = pipeline;
        this.caseStage = caseStage;
        this.composer = composer;
    }

    /** What an intake did: the record it made and a sentence for the reporter's handler. */
    record Result(boolean ok, String message, String caseId, int level) {
    }

    /**
     * Records a report from a person: journaled (input {@code intake}), decided by the theft-and-loss
     * table or by the handler's Annex decision, then a case (level 1-2) or a not-an-incident record
     * with a notice to the CSIRT manager (level 0).
     */
    Result record(java.util.Map<String, Object> body) {
        List<String> problems = new java.util.ArrayList<>();
        csirt.agent.intake.ManualReport r = csirt.agent.intake.ManualReport.from(body, problems);
        if (!problems.isEmpty()) {
            return new Result(false, "The report was not recorded: " + String.join("; ", problems), null, -1);
        }
        String host = r.host() == null || r.host().isBlank() ? "intake" : r.host();
        csirt.agent.journal.Receipt receipt = new csirt.agent.journal.Receipt(java.time.Instant.now(), "intake", "manual",
                "-", 0);
        String line = r.line();
        java.util.concurrent.atomic.AtomicReference<Verdict> decided = new java.util.concurrent.atomic.AtomicReference<>();
        // journaled now, decided on the judge thread in journal order, recorded by the case stage like any incident
        java.util.concurrent.CompletableFuture<List<CaseChange>> applied = pipeline.submitReport(receipt,
                line.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                seq -> new csirt.agent.parse.Event(seq, receipt, csirt.agent.parse.Format.UNPARSED, -1, -1, null, host, "intake", null,
                        null, null, r.summary(), line, null, null, r.facts()),
                e -> {
                    Verdict v;
                    if (r.annexId() != null) {
                        csirt.agent.triage.AnnexTable.Example ex = csirt.agent.triage.AnnexTable.get(r.annexId());
                        v = new Verdict(e, pipeline.triage().assets().lookup(host), "MANUAL", r.summary(),
                                csirt.agent.triage.Category.of(ex.category()), ex.level(), ex.id(), ex.japanese(),
                                List.of("the handler's decision on a report from " + r.reporterKind()), null, List.of(),
                                pipeline.triage().criteria().hash(), 0, 0);
                    } else {
                        v = pipeline.triage().evaluate(e).get(0);
                    }
                    // every report is its own case: reports are not folded like bursts of log lines
                    Verdict own = new Verdict(v.event(), v.asset(), v.criterionId(), v.criterionId() == null ? r.summary() : v.title(),
                            v.category() == null ? csirt.agent.triage.Category.of(r.category()) : v.category(), v.level(), v.annexId(),
                            v.annexText(), v.facts(), r.category() + ":report:" + e.seq(), v.relatedSeqs(), v.criteriaHash(), 0, 0);
                    decided.set(own);
                    return List.of(own);
                });
        List<CaseChange> changes;
        try {
            changes = CaseStage.await(applied, "the report");
        } catch (IllegalArgumentException e) {
            return new Result(false, "The report is journaled but not yet in a case: " + e.getMessage(), null, -1);
        }
        Verdict v = decided.get();
        String verification = r.needsVerification()
                ? "未確認: 計画4(2)②(I) の確認（" + ("citizen".equals(r.reporterKind()) ? "折り返し電話による確認" : "代表番号・電話での確認")
                + "）をしてから事実確認へ進むこと" : (r.verified() ? "確認済み" + (r.verification() == null ? "" : ": " + r.verification()) : "確認不要");
        String note = "報告者 " + r.reporterKind() + "（" + r.reporterContact() + "）、" + verification;
        if (v.level() == 0) {
            csirt.agent.cases.CaseRecord c = CaseStage.await(caseStage.write("record a report that is not an incident", store ->
                    store.recordNotAnIncident(v, note, cr -> {
                        csirt.agent.notify.Notice n = composer.notAnIncident(cr, r.reporterKind(), r.reporterContact(), v.annexText());
                        return new csirt.agent.cases.NoticeFactory.Queued(n.kind(), 0, n.messageId(), csirt.agent.notify.NoticeComposer.bytes(n));
                    })), "the report");
            return new Result(true, c.displayId() + ": not an incident (level 0, " + (v.criterionId() == null ? "no criterion" : v.criterionId())
                    + "); the CSIRT manager is notified (plan 4(2)②(III)). " + verification, c.displayId(), 0);
        }
        csirt.agent.cases.CaseRecord c = changes.get(0).caseRecord();
        CaseStage.await(caseStage.write("note the reporter on " + c.displayId(), store -> {
            store.note(c.id(), "intake", note);
            return null;
        }), "the reporter's note");
        return new Result(true, c.displayId() + ": level " + v.level() + " " + v.category().id() + " by " + v.criterionId()
                + (v.annexId() == null ? "" : " (Annex " + v.annexId() + ")") + ". " + verification, c.displayId(), v.level());
    }
}
