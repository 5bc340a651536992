package csirt.agent;

import java.util.Optional;
import java.util.stream.Collectors;

import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseState;
import csirt.agent.cases.CaseStore;
import csirt.agent.console.CaseActions;

/** The console's actions on a case, by the one case writer, answered in Japanese for the person who asked. */
final class ConsoleActions implements CaseActions {

    private final CaseStore cases;
    private final CaseStage caseStage;

    ConsoleActions(CaseStore cases, CaseStage caseStage) {
        this.cases = cases;
        this.caseStage = caseStage;
    }

    @Override
    public Outcome transition(long caseId, String who, String state, String why) {
        Optional<CaseRecord> c = cases.find(caseId);
        if (c.isEmpty()) {
            return missing(caseId);
        }
        if (!CaseState.allowed(c.get().state(), state)) {
            return new Outcome(false, "「" + CaseState.japanese(c.get().state()) + "」からは「" + CaseState.japanese(state)
                    + "」に変更できません（変更できる状態: " + CaseState.next(c.get().state()).stream().map(CaseState::japanese)
                    .collect(Collectors.joining("、")) + "）。");
        }
        return run("state of " + CaseRecord.displayId(caseId), store -> {
            CaseRecord after = store.transition(caseId, state, who, why);
            return after.displayId() + " の状態を「" + CaseState.japanese(after.state()) + "」にしました。";
        }, "同じ事象の別の案件が対応中のため、この案件は再開できません。そちらの案件を使ってください。");
    }

    @Override
    public Outcome note(long caseId, String who, String text) {
        return onCase(caseId, "note on ", store -> {
            store.note(caseId, who, text);
            return "メモを記録しました。";
        }, "メモを記録できませんでした。");
    }

    @Override
    public Outcome assign(long caseId, String who, String assignee) {
        return onCase(caseId, "assignment of ", store -> {
            store.assign(caseId, who, assignee);
            return "担当者を " + assignee + " にしました。";
        }, "担当者を設定できませんでした。");
    }

    /** {@code work} on an existing case by the case writer; a missing case is said so first. */
    private Outcome onCase(long caseId, String what, java.util.function.Function<CaseStore, String> work, String refused) {
        if (cases.find(caseId).isEmpty()) {
            return missing(caseId);
        }
        return run(what + CaseRecord.displayId(caseId), work, refused);
    }

    @Override
    public Outcome report(long caseId, String who, java.util.Map<String, String> fields) {
        if (cases.find(caseId).isEmpty()) {
            return missing(caseId);
        }
        java.util.Map<String, String> before = cases.reportFields(caseId);
        java.util.Map<String, String> changed = new java.util.LinkedHashMap<>();
        fields.forEach((f, t) -> {
            if (csirt.agent.cases.ReportForm1.FIELDS.containsKey(f) && !t.strip().equals(before.getOrDefault(f, "").strip())) {
                changed.put(f, t.strip());
            }
        });
        if (changed.isEmpty()) {
            return new Outcome(true, "報告様式1に変更はありません。");
        }
        return run("report of " + CaseRecord.displayId(caseId), store -> {
            changed.forEach((f, t) -> store.writeReportField(caseId, f, t, who));
            return "報告様式1を保存しました（" + changed.size() + " 項目）。";
        }, "報告様式1を保存できませんでした。");
    }

    private Outcome run(String what, java.util.function.Function<CaseStore, String> work, String refused) {
        try {
            return new Outcome(true, CaseStage.await(caseStage.write(what, work), what));
        } catch (IllegalArgumentException e) {
            return new Outcome(false, refused);
        } catch (IllegalStateException e) {
            return new Outcome(false, "案件データベースに書き込めませんでした。少し待ってからやり直してください。");
        }
    }

    private static Outcome missing(long caseId) {
        return new Outcome(false, CaseRecord.displayId(caseId) + " という案件はありません。");
    }
}
