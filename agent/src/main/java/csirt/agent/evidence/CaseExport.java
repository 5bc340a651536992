package csirt.agent.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import csirt.agent.cases.CaseEvent;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.TimelineEntry;
import csirt.agent.journal.JournalReader;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.JournalVerifier;
import csirt.agent.journal.VerifyResult;
import csirt.agent.util.Json;

/**
 * Writes the evidence of one case as a bundle a court or an auditor can check without this
 * program: the exact bytes received, their receipt metadata and chain proofs, the case and its
 * timeline, a {@code SHA256SUMS} that {@code sha256sum -c} accepts, and a Japanese README on how to
 * verify. The export itself is written into the case timeline (chain of custody).
 */
public final class CaseExport {

    /** What was exported. */
    public record Result(int records, Path dir, String sumsSha256) {
    }

    private CaseExport() {
    }

    public static Result export(CaseStore cases, Path journalDir, long caseId, Path out, String who) throws IOException {
        CaseRecord c = cases.find(caseId).orElseThrow(() -> new IllegalArgumentException(
                "No case " + CaseRecord.displayId(caseId) + " (`csirt-agent cases list` shows the cases)"));
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(out + " is not empty: export into a new or empty directory");
                }
            }
        }
        // evidence holds personal data: the bundle is its owner's only, as the data directory is
        csirt.agent.PrivateFiles.directory(out);
        csirt.agent.PrivateFiles.directory(out.resolve("records"));
        List<CaseEvent> events = cases.events(caseId, Integer.MAX_VALUE);
        TreeSet<Long> seqs = new TreeSet<>();
        events.forEach(e -> seqs.add(e.journalSeq()));
        List<Long> found = new ArrayList<>();
        JournalReader.readProven(journalDir, seqs, p -> {
            JournalRecord r = p.record();
            String base = String.format("records/%020d", r.seq());
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("seq", r.seq());
            meta.put("received_at", r.receipt().receivedAt().toString());
            meta.put("input", r.receipt().input());
            meta.put("transport", r.receipt().transport());
            meta.put("peer_address", r.receipt().peerAddress());
            meta.put("peer_port", r.receipt().peerPort());
            meta.put("flags", r.flags());
            meta.put("payload_file", base + ".raw");
            meta.put("body_file", base + ".body");
            meta.put("prev_hash", HexFormat.of().formatHex(p.prevHash()));
            meta.put("hash", r.hashHex());
            try {
                Files.write(out.resolve(base + ".raw"), r.payload());
                Files.write(out.resolve(base + ".body"), p.body());
                Files.writeString(out.resolve(base + ".json"), Json.value(meta) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            found.add(r.seq());
        });
        VerifyResult head = JournalVerifier.verify(journalDir, Long.MAX_VALUE, Long.MAX_VALUE, r -> { });
        Map<String, Object> caseJson = new LinkedHashMap<>();
        caseJson.put("id", c.displayId());
        caseJson.put("level", c.level());
        caseJson.put("category", c.category());
        caseJson.put("state", c.state());
        caseJson.put("title", c.title());
        caseJson.put("criterion", c.criterionId());
        caseJson.put("annex", c.annexId());
        caseJson.put("host", c.host());
        caseJson.put("first_seen", c.firstSeen().toString());
        caseJson.put("last_seen", c.lastSeen().toString());
        caseJson.put("journal_seqs", new ArrayList<>(seqs));
        caseJson.put("records_exported", found.size());
        caseJson.put("exported_at", Instant.now().toString());
        caseJson.put("exported_by", who);
        caseJson.put("journal_head", Map.of("seq", head.lastSeq(), "hash", head.headHash()));
        Files.writeString(out.resolve("case.json"), Json.value(caseJson) + "\n", StandardCharsets.UTF_8);
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (TimelineEntry t : cases.timeline(caseId)) {
            timeline.add(Map.of("at", t.at().toString(), "kind", t.kind(), "actor", t.actor(), "text", t.text()));
        }
        Files.writeString(out.resolve("timeline.json"), Json.value(timeline) + "\n", StandardCharsets.UTF_8);
        Files.writeString(out.resolve("README.ja.txt"), readme(c, found.size()), StandardCharsets.UTF_8);
        String sums = ExportVerifier.writeSums(out);
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.toList()) {
                csirt.agent.PrivateFiles.restrict(f);
            }
        }
        cases.recordCustody(caseId, who, "証拠をエクスポート: レコード " + found.size() + " 件を " + out.toAbsolutePath()
                + " に出力（SHA256SUMS の SHA-256: " + sums + "）");
        return new Result(found.size(), out, sums);
    }

    private static String readme(CaseRecord c, int records) {
        return """
                csirt-agent 証拠エクスポート（案件 %s）

                この フォルダには、案件 %s に関係するログを csirt-agent が受信したときのバイト列そのままと、
                受信時刻・受信口・送信元などの記録、ハッシュチェーンの証明、案件の記録（時系列）が入っています。

                ■ 改ざんされていないことの確認方法
                1. ファイルが書き出し時のままであること:
                     sha256sum -c SHA256SUMS
                   すべて「OK」と表示されれば、どのファイルも書き出し後に変更されていません。
                2. 各レコードがジャーナルのハッシュチェーンに含まれていたこと（csirt-agent なしでも確認できます）:
                     records/<seq>.json の prev_hash（16進）をバイト列に戻し、records/<seq>.body を続けた
                     バイト列の SHA-256 が hash と一致することを確かめます。例:
                     ( xxd -r -p <<< "<prev_hash>"; cat records/<seq>.body ) | sha256sum
                   hash は、通知メールや日報に記載された「チェーン先頭」へ、ジャーナルの中でつながっています。
                3. csirt-agent がある場合は、まとめて確認できます:
                     csirt-agent evidence verify-export <このフォルダ>

                ■ ファイル
                  case.json        案件の概要（レベル、区分、判定基準、書き出し日時・書き出した人、ジャーナル先頭）
                  timeline.json    受信から書き出しまでの時系列の記録（計画4(2)①）
                  records/*.raw    受信したバイト列そのもの（%d 件）
                  records/*.body   ジャーナルのレコード本体（seq、受信時刻、受信口、送信元、受信バイト列）
                  records/*.json   上記の説明とハッシュチェーンの証明（prev_hash, hash）
                  SHA256SUMS       上記すべてのファイルの SHA-256

                記録形式の詳細: csirt-agent の docs/JOURNAL.md
                """.formatted(c.displayId(), c.displayId(), records);
    }
}
