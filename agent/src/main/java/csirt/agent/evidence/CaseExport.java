package csirt.agent.evidence;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import csirt.agent.PrivateFiles;
import csirt.agent.cases.CaseRecord;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.TimelineEntry;
import csirt.agent.journal.JournalFormat;
import csirt.agent.journal.JournalReader;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.SegmentManifest;
import csirt.agent.util.Json;

/**
 * Writes the evidence of one case as a bundle a court or an auditor can check without this
 * program: the exact bytes received, their receipt metadata and chain proofs, the case and its
 * timeline, a {@code SHA256SUMS} that {@code sha256sum -c} accepts, and a Japanese README on how to
 * verify. The export itself is written into the case timeline (chain of custody).
 */
public final class CaseExport {

    /** What was exported; {@code headSeq}/{@code headHash}: the chain head at the export's custody record. */
    public record Result(int records, Path dir, String sumsSha256, long headSeq, String headHash, long chainLines) {
    }

    /** Journals the export's custody statement (through the running agent when there is one); returns its seq. */
    @FunctionalInterface
    public interface Custody {
        long journal(String statement) throws IOException;
    }

    /** The chain proof's file in the bundle. */
    public static final String CHAIN_FILE = "chain.txt";

    private CaseExport() {
    }

    /**
     * Writes the bundle. Order matters: the case and its timeline are written first; their SHA-256
     * go into a custody record journaled by {@code custody}; then the chain proof runs from the
     * case's first record to that custody record, so a chain head at it proves the records, the
     * case file and the timeline together.
     */
    public static Result export(CaseStore cases, Path journalDir, long caseId, Path out, String who, Custody custody) throws IOException {
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
        PrivateFiles.directory(out);
        PrivateFiles.directory(out.resolve("records"));
        TreeSet<Long> seqs = new TreeSet<>();
        if (cases.shared()) {
            // agents sharing the database each have a journal: this agent's records of the case, mirrors included
            seqs.addAll(cases.journalSeqs(caseId));
        } else {
            cases.events(caseId, Integer.MAX_VALUE).forEach(e -> seqs.add(e.journalSeq()));
        }
        if (seqs.isEmpty()) {
            throw new IllegalArgumentException(c.displayId() + " holds no journal record: there is no evidence to export");
        }
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
        caseJson.put("exported_at", Instant.now().toString());
        caseJson.put("exported_by", who);
        Files.writeString(out.resolve("case.json"), Json.value(caseJson) + "\n", StandardCharsets.UTF_8);
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (TimelineEntry t : cases.timeline(caseId)) {
            timeline.add(Map.of("at", t.at().toString(), "kind", t.kind(), "actor", t.actor(), "text", t.text()));
        }
        Files.writeString(out.resolve("timeline.json"), Json.value(timeline) + "\n", StandardCharsets.UTF_8);

        long custodySeq = custody.journal(ExportVerifier.custodyStatement(c.displayId(), who, seqs.size(),
                seqs.first(), seqs.last(), SegmentManifest.sha256(out.resolve("case.json")), SegmentManifest.sha256(out.resolve("timeline.json"))));
        TreeSet<Long> exported = new TreeSet<>(seqs);
        exported.add(custodySeq);
        List<Long> found = new ArrayList<>();
        byte[][] head = new byte[1][];
        long[] lines = new long[1];
        MessageDigest digest = JournalFormat.sha256();
        try (BufferedWriter chain = Files.newBufferedWriter(out.resolve(CHAIN_FILE), StandardCharsets.US_ASCII)) {
            chain.write(ExportVerifier.CHAIN_HEADER);
            JournalReader.readChain(journalDir, seqs.first(), custodySeq, link -> {
                try {
                    if (lines[0] == 0) {
                        chain.write("prev " + HEX.formatHex(link.prevHash()) + "\n");
                    }
                    String bodyColumn = link.version() == 1 ? HEX.formatHex(link.body()) : HEX.formatHex(digest.digest(link.body()));
                    chain.write(link.seq() + " " + link.version() + " " + bodyColumn + " " + HEX.formatHex(link.hash()) + "\n");
                    lines[0]++;
                    head[0] = link.hash();
                    if (exported.contains(link.seq())) {
                        writeRecord(out, link);
                        found.add(link.seq());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!found.contains(custodySeq)) {
            throw new IOException("The export's custody record (seq " + custodySeq + ") is not in the journal in " + journalDir
                    + ": is this the running agent's --data directory?");
        }
        Files.writeString(out.resolve("README.ja.txt"), readme(c, found.size() - 1, custodySeq, HEX.formatHex(head[0])), StandardCharsets.UTF_8);
        String sums = ExportVerifier.writeSums(out);
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.toList()) {
                PrivateFiles.restrict(f);
            }
        }
        cases.recordCustody(caseId, who, "証拠をエクスポート: レコード " + (found.size() - 1) + " 件を " + out.toAbsolutePath()
                + " に出力（SHA256SUMS の SHA-256: " + sums + "、保管の記録はジャーナル seq " + custodySeq + "、照合するチェーン先頭 --head "
                + custodySeq + ":" + HEX.formatHex(head[0]) + "）");
        return new Result(found.size() - 1, out, sums, custodySeq, HEX.formatHex(head[0]), lines[0]);
    }

    private static final HexFormat HEX = HexFormat.of();

    private static void writeRecord(Path out, JournalReader.Link link) throws IOException {
        JournalRecord r = JournalFormat.readBody(ByteBuffer.wrap(link.body()), link.hash());
        String base = String.format("records/%020d", r.seq());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("seq", r.seq());
        meta.put("format", link.version());
        meta.put("received_at", r.receipt().receivedAt().toString());
        meta.put("input", r.receipt().input());
        meta.put("transport", r.receipt().transport());
        meta.put("peer_address", r.receipt().peerAddress());
        meta.put("peer_port", r.receipt().peerPort());
        meta.put("flags", r.flags());
        meta.put("payload_file", base + ".raw");
        meta.put("body_file", base + ".body");
        meta.put("prev_hash", HEX.formatHex(link.prevHash()));
        meta.put("hash", r.hashHex());
        Files.write(out.resolve(base + ".raw"), r.payload());
        Files.write(out.resolve(base + ".body"), link.body());
        Files.writeString(out.resolve(base + ".json"), Json.value(meta) + "\n", StandardCharsets.UTF_8);
    }

    private static String readme(CaseRecord c, int records, long custodySeq, String headHash) {
        return """
                csirt-agent 証拠エクスポート（案件 %s）

                このフォルダには、案件 %s に関係するログを csirt-agent が受信したときのバイト列そのままと、
                受信時刻・受信口・送信元などの記録、ハッシュチェーンの証明、案件の記録（時系列）が入っています。

                ■ 改ざんされていないことの確認方法
                1. ファイルが書き出し時のままであること:
                     sha256sum -c SHA256SUMS
                   すべて「OK」と表示されれば、どのファイルも書き出し後に変更されていません。
                2. 各レコード・案件の概要・時系列の記録が、ジャーナルのハッシュチェーンにつながっていること:
                     csirt-agent evidence verify-export <このフォルダ> --head <seq>:<SHA-256>
                   <seq>:<SHA-256> には、外部に残っている「チェーン先頭」を指定します。
                   ・書き出し時のチェーン先頭（保管の記録 seq %d）: %d:%s
                     この値を引渡しの記録などに控えておけば、レコード・case.json・timeline.json のすべてを証明できます。
                   ・通知メールや日報に記載されたチェーン先頭でも、その seq までのレコードを証明できます。
                   csirt-agent がなくても、chain.txt の各行（seq、形式、本体の SHA-256、ハッシュ）から
                   ハッシュ = SHA-256(前の行のハッシュ ‖ 本体の SHA-256) を順に計算し、指定した seq の値と
                   一致することを確かめられます（手順は docs/JOURNAL.md）。
                3. 書き出し後に変更がないかだけを確かめる場合（外部の値なし）:
                     csirt-agent evidence verify-export <このフォルダ>

                ■ ファイル
                  case.json        案件の概要（レベル、区分、判定基準、関係するレコードの seq、書き出し日時・書き出した人）
                  timeline.json    受信から書き出しまでの時系列の記録（計画4(2)①）
                  records/*.raw    受信したバイト列そのもの（%d 件と、書き出しを記録した保管の記録 1 件）
                  records/*.body   ジャーナルのレコード本体（seq、受信時刻、受信口、送信元、受信バイト列）
                  records/*.json   上記の説明とハッシュチェーンの証明（prev_hash, hash）
                  chain.txt        最初のレコードから保管の記録までのハッシュチェーン（他のログの内容は含みません）
                  SHA256SUMS       上記すべてのファイルの SHA-256

                記録形式の詳細: csirt-agent の docs/JOURNAL.md
                """.formatted(c.displayId(), c.displayId(), custodySeq, custodySeq, headHash, records);
    }
}
