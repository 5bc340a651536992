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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import csirt.agent.journal.JournalFormat;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.SegmentManifest;

/**
 * Checks an evidence bundle without the live journal: every file against SHA256SUMS (and no file
 * unlisted), every record's chain proof (SHA-256 of the previous hash and the body is its hash), the
 * body against the raw bytes and metadata, and the links between consecutive records.
 */
public final class ExportVerifier {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|-?\\d+)");

    private ExportVerifier() {
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

    /** The problems found, one sentence each; empty when the bundle checks. */
    public static List<String> verify(Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        Path sums = dir.resolve("SHA256SUMS");
        if (!Files.exists(sums)) {
            problems.add("SHA256SUMS is missing: this is not a complete csirt-agent evidence bundle");
            return problems;
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
        MessageDigest d = JournalFormat.sha256();
        String lastHash = null;
        long lastSeq = -1;
        List<Path> metas;
        try (Stream<Path> s = Files.list(dir.resolve("records"))) {
            metas = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path meta : metas) {
            Map<String, String> m = fields(Files.readString(meta, StandardCharsets.UTF_8));
            String name = dir.relativize(meta).toString();
            try {
                byte[] body = Files.readAllBytes(dir.resolve(m.get("body_file")));
                byte[] raw = Files.readAllBytes(dir.resolve(m.get("payload_file")));
                byte[] prev = HexFormat.of().parseHex(m.get("prev_hash"));
                d.reset();
                d.update(prev);
                d.update(body);
                String computed = HexFormat.of().formatHex(d.digest());
                if (!computed.equals(m.get("hash"))) {
                    problems.add(name + ": SHA-256(prev_hash || body) is " + computed + ", not the recorded hash: the record is not the one journaled");
                    continue;
                }
                JournalRecord r = JournalFormat.readBody(ByteBuffer.wrap(body), HexFormat.of().parseHex(m.get("hash")));
                long seq = Long.parseLong(m.get("seq"));
                if (r.seq() != seq || !Arrays.equals(r.payload(), raw) || !r.receipt().receivedAt().toString().equals(m.get("received_at"))
                        || !r.receipt().peerAddress().equals(m.get("peer_address"))) {
                    problems.add(name + ": the metadata or raw bytes differ from the journaled record body");
                }
                if (seq == lastSeq + 1 && lastHash != null && !lastHash.equals(m.get("prev_hash"))) {
                    problems.add(name + ": does not link to record " + lastSeq + " before it");
                }
                lastSeq = seq;
                lastHash = m.get("hash");
            } catch (IOException | RuntimeException e) {
                problems.add(name + ": cannot be checked (" + e.getMessage() + ")");
            }
        }
        if (metas.isEmpty()) {
            problems.add("records/ holds no records");
        }
        return problems;
    }

    private static Map<String, String> fields(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return out;
    }
}
