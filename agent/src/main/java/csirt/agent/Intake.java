package csirt.agent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import csirt.agent.cases.CaseChange;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.NoticeFactory;
import csirt.agent.intake.ManualReport;
import csirt.agent.intake.ReporterChecks;
import csirt.agent.journal.Receipt;
import csirt.agent.notify.Notice;
import csirt.agent.notify.NoticeComposer;
import csirt.agent.parse.Event;
import csirt.agent.parse.Format;
import csirt.agent.pipeline.IngestPipeline;
import csirt.agent.triage.AnnexTable;
import csirt.agent.triage.Category;
import csirt.agent.triage.FactWording;
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
    Result record(Map<String, Object> body) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> report = new java.util.LinkedHashMap<>(body);
        report.remove("drill");
        ManualReport r = ManualReport.from(report, problems);
        if (!problems.isEmpty()) {
            return new Result(false, "報告は記録していません。直してから送り直してください: " + String.join("／", problems), null, -1);
        }
        String host = r.host() == null || r.host().isBlank() ? "intake" : r.host();
        // a drill's report (drill run) is journaled as one, and its case is kept apart from real ones
        boolean drill = Boolean.TRUE.equals(body.get("drill"));
        Receipt receipt = new Receipt(Instant.now(), drill ? "drill-intake" : "intake", "manual",
                "-", 0);
        String line = r.line();
        AtomicReference<Verdict> decided = new AtomicReference<>();
        // journaled now, decided on the judge thread in journal order, recorded by the case stage like any incident
        CompletableFuture<List<CaseChange>> applied = pipeline.submitReport(receipt,
                line.getBytes(StandardCharsets.UTF_8),
                seq -> new Event(seq, receipt, Format.UNPARSED, -1, -1, null, host, "intake", null,
                        null, null, r.summary(), line, null, null, r.facts()),
                e -> {
                    Verdict v;
                    if (r.annexId() != null) {
                        AnnexTable.Example ex = AnnexTable.get(r.annexId());
                        v = new Verdict(e, pipeline.triage().assets().lookup(host), "MANUAL", r.summary(),
                                Category.of(ex.category()), ex.level(), ex.id(), ex.japanese(),
                                List.of("the handler's decision on a report from " + r.reporterKind()), null, List.of(), List.of(),
                                pipeline.triage().criteria().hash(), 0, 0);
                    } else {
                        v = pipeline.triage().evaluate(e).get(0);
                    }
                    // every report is its own case: reports are not folded like bursts of log lines
                    Verdict own = new Verdict(v.event(), v.asset(), v.criterionId(), v.criterionId() == null ? r.summary() : v.title(),
                            v.category() == null ? Category.of(r.category()) : v.category(), v.level(), v.annexId(),
                            v.annexText(), v.facts(), r.category() + ":report:" + e.seq(), v.relatedSeqs(), v.relatedLines(), v.criteriaHash(), 0, 0);
                    decided.set(own);
                    return List.of(own);
                });
        List<CaseChange> changes;
        try {
            changes = CaseStage.await(applied, "the report");
        } catch (IllegalArgumentException e) {
            return new Result(false, "報告はジャーナルに記録しましたが、まだ案件になっていません（エージェントが再開すると案件になります）: " + e.getMessage(), null, -1);
        }
        Verdict v = decided.get();
        String verification = r.needsVerification()
                ? "未確認: 計画4(2)②(I) の確認（" + ("citizen".equals(r.reporterKind()) ? "折り返し電話による確認" : "代表番号・電話での確認")
                + "）をしてから事実確認へ進むこと" : (r.verified() ? "確認済み" + (r.verification() == null ? "" : ": " + r.verification()) : "確認不要");
        StringBuilder checked = new StringBuilder();
        for (ReporterChecks.Check k : ReporterChecks.forKind(r.reporterKind())) {
            String a = r.checks().get(k.id());
            if (a != null) {
                checked.append("、").append(k.question()).append(": ").append(k.yesNo() ? ("true".equals(a) ? "済" : "未実施") : a);
            }
        }
        String note = "報告者 " + FactWording.reporter(r.reporterKind()) + "（" + r.reporterContact() + "）、" + verification + checked;
        if (v.level() == 0) {
            CaseRecord c = CaseStage.await(caseStage.write("record a report that is not an incident", store ->
                    store.recordNotAnIncident(v, note, cr -> {
                        Notice n = composer.notAnIncident(cr, r.reporterKind(), r.reporterContact(), v.annexText());
                        return new NoticeFactory.Queued(n.kind(), 0, n.messageId(), NoticeComposer.bytes(n));
                    })), "the report");
            return new Result(true, c.displayId() + ": インシデントとはみなさない（レベル0、" + (v.criterionId() == null ? "一致する判定基準なし" : "判定基準 " + v.criterionId())
                    + "）。CSIRT管理者に連絡しました（計画4(2)②(III)）。" + verification, c.displayId(), 0);
        }
        CaseRecord c = changes.get(0).caseRecord();
        CaseStage.await(caseStage.write("note the reporter on " + c.displayId(), store -> {
            store.note(c.id(), "intake", note);
            return null;
        }), "the reporter's note");
        return new Result(true, c.displayId() + ": レベル" + v.level() + "（" + Category.levelJapanese(v.level()) + "）" + v.category().japanese()
                + "、判定基準 " + v.criterionId() + (v.annexId() == null ? "" : "（別表1 " + v.annexId() + "）") + "。" + verification, c.displayId(), v.level());
    }
}
