package csirt.agent.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import csirt.agent.intake.ManualReport;
import csirt.agent.triage.AnnexTable;
import csirt.agent.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code intake}: record a report from a person with the running agent. */
@Command(name = "intake", mixinStandardHelpOptions = true,
        description = {"Record a report from a person (plan 4(2)②): the running agent journals it, decides its level "
                + "(theft and loss by the decision table of config/criteria/theft.yaml; other categories by the Annex "
                + "example you give), and opens a case or records it as not an incident and tells the CSIRT manager.",
                "Example: intake --reporter staff --contact 'somu 1234' --category theft --summary 'USB memory lost' "
                        + "--fact kind=lost --fact item=medium --fact holds=personal --fact encrypted=false"})
public final class IntakeCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--file", paramLabel = "FILE", description = "The report as YAML or JSON (instead of the options below).")
    Path file;
    @Option(names = "--reporter", paramLabel = "KIND", description = "staff, system, citizen, city, prefecture, state, jlis.")
    String reporter;
    @Option(names = "--contact", paramLabel = "TEXT", description = "How to reach the reporter.")
    String contact;
    @Option(names = "--verified", description = "The plan's check for this kind of reporter was done (call-back etc.).")
    boolean verified;
    @Option(names = "--verification", paramLabel = "TEXT", description = "How it was checked.")
    String verification;
    @Option(names = "--category", paramLabel = "CAT", description = "outage, cyber or theft.")
    String category;
    @Option(names = "--summary", paramLabel = "TEXT", description = "What was reported, in a sentence.")
    String summary;
    @Option(names = "--host", paramLabel = "NAME", description = "The device or system concerned, if any.")
    String host;
    @Option(names = "--fact", paramLabel = "K=V", description = "Theft/loss facts: kind, item, holds, encrypted, affects_work, found_safe.")
    Map<String, String> facts = new LinkedHashMap<>();
    @Option(names = "--annex", paramLabel = "ID", description = "The handler's decision as an Annex table 1 example, e.g. cyber.1.4.")
    String annex;

    /** Where the interactive questions go: the terminal, or a test's scripted answers. */
    @FunctionalInterface
    interface Prompter {
        /** The answer to {@code question}, or null at the end of input. */
        String ask(String question);

        default void say(String line) {
            System.out.println(line);
        }
    }

    /**
     * Interactive: asks for each part of the report (plan 4(2)②) with the allowed answers, and asks
     * again after an answer that is not one of them, so nothing typed so far is lost.
     */
    void prompt(Prompter p) {
        reporter = choose(p, "報告者の種別 (" + String.join("/", ManualReport.REPORTERS.keySet()) + "): ",
                List.copyOf(ManualReport.REPORTERS.keySet()));
        contact = required(p, "連絡先（電話番号・所属など）: ");
        verified = List.of("はい", "yes", "y").contains(
                choose(p, "計画4(2)②(I) の確認（折り返し電話等）は済みましたか (はい/いいえ): ", List.of("はい", "いいえ", "yes", "no", "y", "n")));
        if (verified) {
            verification = required(p, "確認の方法: ");
        }
        category = choose(p, "区分 (outage=情報システムの停止等 / cyber=サイバー攻撃 / theft=盗難・紛失等): ", ManualReport.CATEGORIES);
        summary = required(p, "報告の概要: ");
        String h = ask(p, "対象の機器・システム（なければ空欄）: ");
        host = h == null || h.isEmpty() ? null : h;
        if ("theft".equals(category)) {
            for (Map.Entry<String, List<String>> f : ManualReport.FACTS.entrySet()) {
                String question = FACT_QUESTIONS.get(f.getKey()) + " (" + String.join("/", f.getValue()) + "): ";
                while (true) {
                    String answer = ask(p, question);
                    String value = ManualReport.factValue(f.getKey(), answer);
                    if (value != null) {
                        facts.put(f.getKey(), value);
                        break;
                    }
                    p.say("次のいずれかで答えてください: " + String.join("、", f.getValue()));
                }
            }
        } else {
            while (true) {
                annex = ask(p, "担当者の判断: 別表1の事例の番号 (例 cyber.1.4): ");
                if (annex != null && AnnexTable.get(annex) != null && annex.startsWith(category + ".")) {
                    break;
                }
                p.say("区分 " + category + " の別表1の事例の番号で答えてください（例 " + category + ".1.1）。");
            }
        }
    }

    private static final Map<String, String> FACT_QUESTIONS = Map.of(
            "kind", "何が起きたか (lost=紛失 stolen=盗難 leaked=漏えい exposed=閲覧可能な状態 taken-out=持ち出し)",
            "item", "対象 (device=機器 medium=記録媒体 information=情報)",
            "holds", "保存されていた情報 (none=なし non-personal=個人情報以外 staff-personal=職員の個人情報 personal=個人情報 business=業務情報 design=設計情報)",
            "encrypted", "暗号化されていたか",
            "affects_work", "職員の業務やネットワークの運用に影響するか",
            "found_safe", "すぐに、他人の目に触れない場所で見つかったか");

    private static String ask(Prompter p, String question) {
        String a = p.ask(question);
        if (a == null) {
            throw new IllegalStateException("入力が終わりました。報告は送られていません。");
        }
        return a.strip();
    }

    private static String required(Prompter p, String question) {
        while (true) {
            String a = ask(p, question);
            if (!a.isEmpty()) {
                return a;
            }
            p.say("空欄にはできません。");
        }
    }

    private static String choose(Prompter p, String question, List<String> allowed) {
        while (true) {
            String a = ask(p, question);
            if (allowed.contains(a.toLowerCase(java.util.Locale.ROOT))) {
                return a.toLowerCase(java.util.Locale.ROOT);
            }
            p.say("次のいずれかで答えてください: " + String.join("、", allowed));
        }
    }

    @Override
    public Integer call() throws Exception {
        String body;
        if (file == null && reporter == null && System.console() != null) {
            java.io.Console c = System.console();
            try {
                prompt(c::readLine);
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
        if (file != null) {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } else {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("kind", reporter);
            rep.put("contact", contact);
            rep.put("verified", verified);
            if (verification != null) {
                rep.put("verification", verification);
            }
            m.put("reporter", rep);
            m.put("category", category);
            m.put("summary", summary);
            if (host != null) {
                m.put("host", host);
            }
            if (!facts.isEmpty()) {
                m.put("facts", facts);
            }
            if (annex != null) {
                m.put("annex", annex);
            }
            body = Json.value(m);
        }
        return LocalApi.post(options, "/api/intake", body);
    }
}
