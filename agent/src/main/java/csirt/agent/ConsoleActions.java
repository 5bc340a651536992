package csirt.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseState;
import csirt.agent.cases.CaseStore;
import csirt.agent.console.CaseActions;
import csirt.agent.evidence.CaseExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console's actions on a case, by the one case writer, answered in Japanese for the person who asked. */
final class ConsoleActions implements CaseActions {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleActions.class);

    private final CaseStore cases;
    private final CaseStage caseStage;
    private final Intake intake;
    private final Path dataDir;
    private final ToLongFunction<String> custody;

    /**
     * @param custody journals an export's custody statement (the agent's own writer of the journal)
     */
    ConsoleActions(CaseStore cases, CaseStage caseStage, Intake intake, Path dataDir, ToLongFunction<String> custody) {
        this.cases = cases;
        this.caseStage = caseStage;
        this.intake = intake;
        this.dataDir = dataDir;
        this.custody = custody;
    }

    private volatile Drills drills;

    /** Where the console starts drills. */
    void drills(Drills d) {
        this.drills = d;
    }

    @Override
    public Map<String, String> drills() {
        return drills == null ? Map.of() : drills.titles();
    }

    @Override
    public Outcome drill(String name, String who) {
        if (drills == null) {
            return new Outcome(false, "訓練はこのエージェントでは使えません。");
        }
        try {
            return new Outcome(true, drills.run(name, who));
        } catch (IllegalArgumentException e) {
            return new Outcome(false, e.getMessage());
        }
    }

    @Override
    public Outcome legal(long caseId, String who, Map<String, Object> answers) {
        return onCase(caseId, "personal-data answers of ", store -> LegalAnswers.apply(store, caseId, who, answers),
                "個人データの漏えい等の回答を記録できませんでした（はい・いいえ、本人の数は0以上の数）。");
    }

    @Override
    public Outcome intake(Map<String, Object> report, String who) {
        Intake.Result r = intake.record(report);
        if (!r.ok()) {
            return new Outcome(false, r.message());
        }
        long id = CaseRecord.parseId(r.caseId());
        run("the intake's recorder on " + r.caseId(), store -> {
            store.recordingNote(id, who, "報告の受付をコンソールで記録");
            return "";
        }, "");
        return new Outcome(true, r.message(), r.caseId());
    }

    @Override
    public Export export(long caseId, String who) {
        if (cases.find(caseId).isEmpty()) {
            return new Export(missing(caseId), null, null);
        }
        String name = CaseRecord.displayId(caseId) + "-evidence";
        Path dir = dataDir.resolve("exports").resolve(name + "-" + System.nanoTime());
        try {
            PrivateFiles.directory(dir.getParent());
            CaseExport.Result r = CaseExport.export(cases, dataDir.resolve("journal"), caseId, dir, who, custody::applyAsLong);
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(zip); Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted().toList()) {
                    if (Files.isRegularFile(f)) {
                        out.putNextEntry(new ZipEntry(name + "/" + dir.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
            LOG.info("{} exported the evidence of {} from the console: {} records, chain head {}:{}", who, CaseRecord.displayId(caseId),
                    r.records(), r.headSeq(), r.headHash());
            return new Export(new Outcome(true, r.headSeq() + ":" + r.headHash()), zip.toByteArray(), name + ".zip");
        } catch (IllegalArgumentException e) {
            return new Export(new Outcome(false, "書き出せませんでした: " + e.getMessage()), null, null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("The console's evidence export of {} failed: {}", CaseRecord.displayId(caseId), e.toString());
            return new Export(new Outcome(false, "証拠を書き出せませんでした。エージェントのログを確認してください。"), null, null);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The bundle was only the zip's source: it goes once sent (the journal keeps the records, the zip the copy). */
    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("Cannot remove the export's working copy {}: {}", dir, e.getMessage());
        }
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
            if ((csirt.agent.cases.ReportForm1.FIELDS.containsKey(f) || csirt.agent.cases.PpcReport.FIELDS.containsKey(f)) && !t.strip().equals(before.getOrDefault(f, "").strip())) {
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
