package csirt.agent.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

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

    /** Interactive: asks for each part of the report (plan 4(2)②), with the allowed answers. */
    private void prompt() {
        java.io.Console c = System.console();
        reporter = c.readLine("報告者の種別 reporter (staff/system/citizen/city/prefecture/state/jlis): ").strip();
        contact = c.readLine("連絡先 contact: ").strip();
        verified = c.readLine("計画4(2)②(I) の確認（折り返し等）は済みましたか verified (y/n): ").strip().toLowerCase().startsWith("y");
        if (verified) {
            verification = c.readLine("確認の方法 verification: ").strip();
        }
        category = c.readLine("区分 category (outage/cyber/theft): ").strip();
        summary = c.readLine("報告の概要 summary: ").strip();
        String h = c.readLine("対象の機器・システム host (空欄可): ").strip();
        host = h.isEmpty() ? null : h;
        if ("theft".equals(category)) {
            facts.put("kind", c.readLine("何が起きたか kind (lost/stolen/leaked/exposed/taken-out): ").strip());
            facts.put("item", c.readLine("対象 item (device/medium/information): ").strip());
            facts.put("holds", c.readLine("保存されていた情報 holds (none/non-personal/staff-personal/personal/business/design): ").strip());
            facts.put("encrypted", c.readLine("暗号化されていたか encrypted (true/false): ").strip());
            facts.put("affects_work", c.readLine("業務・ネットワークに影響するか affects_work (true/false): ").strip());
            facts.put("found_safe", c.readLine("すぐに安全な場所で見つかったか found_safe (true/false): ").strip());
        } else {
            annex = c.readLine("担当者の判断: 別表1の事例 id annex (例 cyber.1.4): ").strip();
        }
    }

    @Override
    public Integer call() throws Exception {
        String body;
        if (file == null && reporter == null && System.console() != null) {
            prompt();
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
