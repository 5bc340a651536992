package csirt.agent.evidence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import csirt.agent.journal.JournalFormat;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.SegmentManifest;

/**
 * Checks an evidence bundle without the live journal: every file against SHA256SUMS (and no file
 * unlisted), every record's body against its raw bytes and metadata, and the chain proof: from the
 * hash before the case's first record, each line's hash follows from the one before and the
 * record's body digest, through every exported record, to the export's custody record, which
 * holds the SHA-256 of case.json and timeline.json. Given a chain head printed outside the server
 * ({@code --head SEQ:SHA256}), the chain must reach exactly that hash at that seq: then no record up
 * to it, and (with the head at the custody record) neither the case file nor the timeline, can
 * have been edited, added, removed or reordered without a SHA-256 collision.
 */
public final class ExportVerifier {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|-?\\d+)");
    private static final Pattern STATEMENT = Pattern.compile(
            "evidence export of (C-\\d+) by .*: (\\d+) records \\(seq (\\d+)\\.\\.(\\d+)\\); case\\.json sha256 ([0-9a-f]{64}); "
                    + "timeline\\.json sha256 ([0-9a-f]{64})$");
    private static final Pattern CHAIN_LINE = Pattern.compile("^(\\d+) ([12]) ([0-9a-f]+) ([0-9a-f]{64})$");
    private static final HexFormat HEX = HexFormat.of();

    static final String CHAIN_HEADER = "# csirt-agent chain proof: every journal record from the case's first record to the export's custody\n"
            + "# record, in order: seq, format, SHA-256 of the record body (format 1: the body itself), the record's hash.\n"
            + "# hash = SHA-256(previous hash || SHA-256(body)) (format 1: SHA-256(previous hash || body)); \"prev\": the hash before.\n";

    /** A chain head as printed in a notice or digest: {@code SEQ:SHA256}. */
    public record Head(long seq, String hash) {
        public static Head parse(String s) {
            // SEQ:SHA256, or the notice's own words pasted: "seq 1234 sha256 ab12..."
            Matcher m = Pattern.compile("^(?:seq\\s+)?(\\d+)(?::|\\s+sha256\\s+)([0-9a-fA-F]{64})$").matcher(s.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("--head " + s + " is not SEQ:SHA256 (a sequence number, a colon and 64 hex digits, "
                        + "as a notice prints the chain head)");
            }
            return new Head(Long.parseLong(m.group(1)), m.group(2).toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** What the check found: problems (none when it passes) and, when it passes, what exactly it proved. */
    public record Report(List<String> problems, List<String> proved) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ExportVerifier() {
    }

    /** The custody statement journaled for an export: what the verifier reads back from the bundle's custody record. */
    static String custodyStatement(String caseId, String who, int records, long first, long last, String caseSha, String timelineSha) {
        String by = who.codePoints().filter(ch -> ch >= 0x20 && ch != 0x7F && !Character.isISOControl(ch))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return "evidence export of " + caseId + " by " + (by.isEmpty() ? "unknown" : by.length() > 64 ? by.substring(0, 64) : by) + ": "
                + records + " records (seq " + first + ".." + last + "); case.json sha256 " + caseSha + "; timeline.json sha256 " + timelineSha;
    }

    /** Writes SHA256SUMS (sha256sum's format) for every file of the bundle; returns its own SHA-256. */
    static String writeSums(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path f : files(dir)) {
            b.append(SegmentManifest.sha256(f)).append("  ").append(dir.relativize(f).toString().replace('\\', '/')).append('\n');
        }
        Path sums = dir.resolve("SHA256SUMS");
        Files.writeString(sums, b.toString(), StandardCharsets.UTF_8);
        return SegmentManifest.sha256(sums);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("SHA256SUMS")).sorted().toList();
        }
    }

    /** The problems found, one sentence each; empty when the bundle checks (no outside witness). */
    public static List<String> verify(Path dir) throws IOException {
        return verify(dir, null).problems();
    }

    /** Checks the bundle, against {@code head} when given (a chain head printed outside the server). */
    public static Report verify(Path dir, Head head) throws IOException {
        List<String> problems = new ArrayList<>();
        checkSums(dir, problems);
        if (!problems.isEmpty() && !Files.exists(dir.resolve("SHA256SUMS"))) {
            return new Report(problems, List.of());
        }
        Map<Long, Exported> records = records(dir, problems);
        if (records.isEmpty()) {
            problems.add("records/ holds no records");
            return new Report(problems, List.of());
        }
        Map<String, String> caseJson = Files.exists(dir.resolve("case.json"))
                ? fields(Files.readString(dir.resolve("case.json"), StandardCharsets.UTF_8)) : Map.of();
        Chain chain = chain(dir, records, problems);
        if (chain == null) {
            return new Report(problems, List.of());
        }
        // the custody record: the last line of the chain, exported, attesting case.json and timeline.json
        Exported custody = records.get(chain.lastSeq);
        Matcher st = custody == null ? null : STATEMENT.matcher(new String(custody.raw, StandardCharsets.UTF_8));
        TreeSet<Long> caseSeqs = new TreeSet<>(records.keySet());
        caseSeqs.remove(chain.lastSeq);
        if (st == null || !st.find() || !"evidence-export".equals(custody.meta.get("input"))) {
            problems.add("the chain proof does not end at the export's custody record (seq " + chain.lastSeq
                    + "): the bundle is incomplete or was cut");
        } else {
            if (!st.group(5).equals(sha256(dir.resolve("case.json")))) {
                problems.add("case.json is not the one the export attested in its custody record seq " + chain.lastSeq + " (changed after the export)");
            }
            if (!st.group(6).equals(sha256(dir.resolve("timeline.json")))) {
                problems.add("timeline.json is not the one the export attested in its custody record seq " + chain.lastSeq
                        + " (a timeline entry was edited, added, removed or reordered)");
            }
            if (!st.group(1).equals(caseJson.get("id"))) {
                problems.add("the custody record attests case " + st.group(1) + ", not " + caseJson.get("id"));
            }
            String listed = caseJson.getOrDefault("journal_seqs", "");
            if (Integer.parseInt(st.group(2)) != caseSeqs.size() || caseSeqs.isEmpty() || !listed.equals(caseSeqs.toString().replace(" ", ""))
                    || Long.parseLong(st.group(3)) != caseSeqs.first() || Long.parseLong(st.group(4)) != caseSeqs.last()) {
                problems.add("the exported records (" + caseSeqs.size() + ", seqs " + caseSeqs + ") are not the " + st.group(2)
                        + " records (seq " + st.group(3) + ".." + st.group(4) + ") the export attested: a record was added or removed");
            }
        }
        List<String> proved = new ArrayList<>();
        if (head == null) {
            if (problems.isEmpty()) {
                proved.add("every file is as exported and the chain proof is whole from seq " + chain.firstSeq + " to the custody record seq "
                        + chain.lastSeq + " (chain head " + chain.lastSeq + ":" + HEX.formatHex(chain.hashAt.get(chain.lastSeq)) + ")");
                proved.add("not yet proven against a witness: give a chain head printed outside the server, "
                        + "e.g. verify-export DIR --head " + chain.lastSeq + ":<the head the export printed>");
            }
            return new Report(problems, proved);
        }
        if (head.seq() < chain.firstSeq || head.seq() > chain.lastSeq) {
            problems.add("the head given is seq " + head.seq() + ", but the chain proof covers seq " + chain.firstSeq + ".." + chain.lastSeq
                    + (head.seq() > chain.lastSeq ? " (it ends at the export's custody record): give a head printed at or before seq "
                    + chain.lastSeq + ", or export again" : ": a head printed before the case's first record proves none of it"));
            return new Report(problems, List.of());
        }
        byte[] at = chain.hashAt.get(head.seq());
        if (!HEX.formatHex(at).equals(head.hash())) {
            problems.add("the chain proof reaches seq " + head.seq() + " with hash " + HEX.formatHex(at) + ", not the head given ("
                    + head.hash() + "): a record, the case file or the timeline differs from what the journal held");
            return new Report(problems, List.of());
        }
        if (problems.isEmpty()) {
            long covered = caseSeqs.stream().filter(q -> q <= head.seq()).count();
            long later = caseSeqs.size() - covered;
            proved.add(covered + " of the case's " + caseSeqs.size() + " records (seq " + caseSeqs.first() + ".."
                    + caseSeqs.stream().filter(q -> q <= head.seq()).reduce((a, b) -> b).orElse(caseSeqs.first())
                    + ") are byte for byte what the journal held, in the chain that has head " + head.seq() + ":" + head.hash());
            if (later > 0) {
                proved.add(later + " records after seq " + head.seq() + " are not covered by this head (they came later): "
                        + "give a later head, up to the custody record seq " + chain.lastSeq);
            }
            if (head.seq() == chain.lastSeq) {
                proved.add("case.json and timeline.json are the ones the export attested in its custody record seq " + chain.lastSeq
                        + ", and the set of records is complete");
            } else {
                proved.add("case.json, timeline.json and the set of records are attested by the custody record seq " + chain.lastSeq
                        + ", which this head does not reach: check them with --head " + chain.lastSeq + ":<the head the export printed>");
            }
        }
        return new Report(problems, proved);
    }

    private static void checkSums(Path dir, List<String> problems) throws IOException {
        Path sums = dir.resolve("SHA256SUMS");
        if (!Files.exists(sums)) {
            problems.add("SHA256SUMS is missing: this is not a complete csirt-agent evidence bundle");
            return;
        }
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            int sp = line.indexOf("  ");
            if (sp != 64) {
                problems.add("SHA256SUMS has a malformed line: " + line);
                continue;
            }
            listed.put(line.substring(sp + 2), line.substring(0, 64));
        }
        for (Map.Entry<String, String> e : listed.entrySet()) {
            Path f = dir.resolve(e.getKey()).normalize();
            if (!f.startsWith(dir.normalize()) || !Files.isRegularFile(f)) {
                problems.add(e.getKey() + ": listed in SHA256SUMS but missing");
            } else if (!SegmentManifest.sha256(f).equals(e.getValue())) {
                problems.add(e.getKey() + ": its SHA-256 differs from SHA256SUMS (changed after the export)");
            }
        }
        for (Path f : files(dir)) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if (!listed.containsKey(rel)) {
                problems.add(rel + ": not listed in SHA256SUMS (added after the export)");
            }
        }
    }

    /** One exported record: its metadata, body and raw bytes. */
    private record Exported(String name, Map<String, String> meta, byte[] body, byte[] raw, int version) {
    }

    /** The exported records by seq, each checked against its own metadata and chain proof. */
    private static Map<Long, Exported> records(Path dir, List<String> problems) throws IOException {
        Map<Long, Exported> out = new TreeMap<>();
        if (!Files.isDirectory(dir.resolve("records"))) {
            return out;
        }
        MessageDigest d = JournalFormat.sha256();
        List<Path> metas;
        try (Stream<Path> s = Files.list(dir.resolve("records"))) {
            metas = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path meta : metas) {
            String name = dir.relativize(meta).toString();
            try {
                Map<String, String> m = fields(Files.readString(meta, StandardCharsets.UTF_8));
                byte[] body = Files.readAllBytes(dir.resolve(m.get("body_file")));
                byte[] raw = Files.readAllBytes(dir.resolve(m.get("payload_file")));
                int version = Integer.parseInt(m.getOrDefault("format", "1"));
                String computed = HEX.formatHex(JournalFormat.chainHash(d, version, HEX.parseHex(m.get("prev_hash")), body));
                if (!computed.equals(m.get("hash"))) {
                    problems.add(name + ": its hash does not follow from prev_hash and the body (" + computed
                            + "): the record is not the one journaled");
                    continue;
                }
                JournalRecord r = JournalFormat.readBody(ByteBuffer.wrap(body), HEX.parseHex(m.get("hash")));
                long seq = Long.parseLong(m.get("seq"));
                if (r.seq() != seq || !Arrays.equals(r.payload(), raw) || !r.receipt().receivedAt().toString().equals(m.get("received_at"))
                        || !r.receipt().peerAddress().equals(m.get("peer_address")) || !r.receipt().input().equals(m.get("input"))
                        || !name.equals(String.format("records/%020d.json", seq))) {
                    problems.add(name + ": the metadata or raw bytes differ from the journaled record body");
                }
                out.put(r.seq(), new Exported(name, m, body, raw, version));
            } catch (IOException | RuntimeException e) {
                problems.add(name + ": cannot be checked (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** The chain proof recomputed: the hash at every seq it covers. */
    private record Chain(long firstSeq, long lastSeq, Map<Long, byte[]> hashAt) {
    }

    private static Chain chain(Path dir, Map<Long, Exported> records, List<String> problems) throws IOException {
        Path file = dir.resolve(CaseExport.CHAIN_FILE);
        if (!Files.exists(file)) {
            problems.add(CaseExport.CHAIN_FILE + " is missing: the records cannot be tied to a chain head "
                    + "(a bundle of an earlier version: export the case again)");
            return null;
        }
        MessageDigest d = JournalFormat.sha256();
        byte[] prev = null;
        long expected = -1;
        long first = -1;
        Map<Long, byte[]> hashAt = new java.util.HashMap<>();
        int lineNo = 0;
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (prev == null) {
                    if (!line.startsWith("prev ") || line.length() != 5 + 64) {
                        problems.add(CaseExport.CHAIN_FILE + " line " + lineNo + ": expected \"prev\" and the hash before the first record");
                        return null;
                    }
                    prev = HEX.parseHex(line.substring(5));
                    continue;
                }
                Matcher m = CHAIN_LINE.matcher(line);
                if (!m.matches()) {
                    problems.add(CaseExport.CHAIN_FILE + " line " + lineNo + " is malformed: " + line);
                    return null;
                }
                long seq = Long.parseLong(m.group(1));
                int version = Integer.parseInt(m.group(2));
                if (expected >= 0 && seq != expected) {
                    problems.add(CaseExport.CHAIN_FILE + " line " + lineNo + ": seq " + seq + " where " + expected
                            + " belongs: records were removed, inserted or reordered");
                    return null;
                }
                if (first < 0) {
                    first = seq;
                }
                Exported r = records.get(seq);
                byte[] hash;
                if (version == 1) {
                    byte[] body = HEX.parseHex(m.group(3));
                    if (r != null && !Arrays.equals(body, r.body)) {
                        problems.add(r.name + ": its body is not the one in the chain proof at seq " + seq);
                    }
                    hash = JournalFormat.chainHash(d, 1, prev, body);
                } else {
                    byte[] digest = HEX.parseHex(m.group(3));
                    if (digest.length != JournalFormat.HASH_BYTES) {
                        problems.add(CaseExport.CHAIN_FILE + " line " + lineNo + ": a body digest has 64 hex digits");
                        return null;
                    }
                    if (r != null && !Arrays.equals(digest, d.digest(r.body))) {
                        problems.add(r.name + ": its body is not the one in the chain proof at seq " + seq);
                    }
                    hash = JournalFormat.link(d, prev, digest);
                }
                if (!HEX.formatHex(hash).equals(m.group(4))) {
                    problems.add(CaseExport.CHAIN_FILE + " line " + lineNo + " (seq " + seq + "): its hash does not follow from the lines "
                            + "before it: the chain proof was changed");
                    return null;
                }
                if (r != null && !m.group(4).equals(r.meta.get("hash"))) {
                    problems.add(r.name + ": its hash is not the one in the chain proof at seq " + seq);
                }
                hashAt.put(seq, hash);
                prev = hash;
                expected = seq + 1;
            }
        }
        if (first < 0) {
            problems.add(CaseExport.CHAIN_FILE + " holds no record");
            return null;
        }
        for (Map.Entry<Long, Exported> e : records.entrySet()) {
            if (!hashAt.containsKey(e.getKey())) {
                problems.add(e.getValue().name + ": seq " + e.getKey() + " is outside the chain proof (seq " + first + ".." + (expected - 1) + ")");
            }
        }
        return new Chain(first, expected - 1, hashAt);
    }

    private static String sha256(Path f) throws IOException {
        return Files.exists(f) ? SegmentManifest.sha256(f) : "(missing)";
    }

    private static Map<String, String> fields(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        // journal_seqs is an array: kept as its compact text, e.g. [1,2,5]
        Matcher seqs = Pattern.compile("\"journal_seqs\":(\\[[0-9,]*\\])").matcher(json);
        if (seqs.find()) {
            out.put("journal_seqs", seqs.group(1));
        }
        return out;
    }
}
