package csirt.agent.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import csirt.agent.Main;
import csirt.agent.camel.AgentHarness;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.TimelineEntry;
import csirt.agent.journal.JournalFormat;
import csirt.agent.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A case's evidence exported as a bundle, checked by sha256sum and verify-export, and the export in the timeline. */
class CaseExportTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out) {
    }

    private static Run cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new Main()).execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    private static Run sha256sum(Path dir) throws Exception {
        Process p = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void an_export_checks_with_sha256sum_and_verify_export_and_is_in_the_timeline() throws Exception {
        Path data = tmp.resolve("data");
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.tcp("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/index.html'\n"
                    + "<1>Nov 26 18:00:01 web01 ossec: Integrity checksum changed for: '/var/www/html/about.html'\n"
                    + "<13>Nov 26 18:00:02 web01 app: unrelated\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1
                    && agent.daemon.services().cases().list().get(0).eventCount() == 2)).isTrue();
        }
        Path bundle = tmp.resolve("bundle");
        Run export = cli("evidence", "export", "C-000001", bundle.toString(), "--data", data.toString());
        assertThat(export.code()).as(export.out()).isZero();
        assertThat(export.out()).startsWith("Exported 2 records of C-000001");
        assertThat(Files.readString(bundle.resolve("README.ja.txt"))).contains("sha256sum -c SHA256SUMS");
        try (java.util.stream.Stream<Path> files = Files.walk(bundle)) {
            for (Path f : files.toList()) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as("%s", f)
                        .isEqualTo(Files.isDirectory(f) ? "rwx------" : "rw-------");
            }
        }
        assertThat(Files.readAllBytes(bundle.resolve("records/00000000000000000001.raw")))
                .isEqualTo("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/index.html'"
                        .getBytes(StandardCharsets.UTF_8));

        Run sums = sha256sum(bundle);
        assertThat(sums.code()).as(sums.out()).isZero();
        assertThat(sums.out()).contains("records/00000000000000000001.raw: OK").contains("timeline.json: OK");
        Run ok = cli("evidence", "verify-export", bundle.toString());
        assertThat(ok.code()).as(ok.out()).isZero();

        try (CaseStore store = CaseStore.open(data)) {
            List<TimelineEntry> t = store.timeline(1);
            assertThat(t).last().satisfies(e -> {
                assertThat(e.kind()).isEqualTo("exported");
                assertThat(e.actor()).isEqualTo(System.getProperty("user.name"));
                assertThat(e.text()).startsWith("証拠をエクスポート: レコード 2 件を ");
            });
        }

        // one byte of evidence changed after the export: both checks say so
        Path raw = bundle.resolve("records/00000000000000000002.raw");
        byte[] b = Files.readAllBytes(raw);
        b[5] ^= 1;
        Files.write(raw, b);
        assertThat(sha256sum(bundle).code()).isNotZero();
        Run bad = cli("evidence", "verify-export", bundle.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).contains("FAILED: records/00000000000000000002.raw: its SHA-256 differs from SHA256SUMS")
                .contains("FAILED: records/00000000000000000002.json: the metadata or raw bytes differ from the journaled record body");
    }

    /** The chain head the export printed, as SEQ:SHA256. */
    private static String printedHead(Run export) {
        Matcher m = Pattern.compile("Chain head at the export's custody record: (\\d+:[0-9a-f]{64})").matcher(export.out());
        assertThat(m.find()).as(export.out()).isTrue();
        return m.group(1);
    }

    /** The journal's chain head at {@code seq}, as a notice written then printed it. */
    private static String headAt(Path data, long seq) throws Exception {
        String[] h = new String[1];
        JournalReader.readChain(data.resolve("journal"), seq, seq, l -> h[0] = seq + ":" + HexFormat.of().formatHex(l.hash()));
        return h[0];
    }

    private Path exportOfTwoIncidentsAndOneOtherLine(Path data, String name) throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.tcp("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/index.html'\n"
                    + "<13>Nov 26 18:00:01 web01 app: someone else's line\n"
                    + "<1>Nov 26 18:00:02 web01 ossec: Integrity checksum changed for: '/var/www/html/about.html'\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1
                    && agent.daemon.services().cases().list().get(0).eventCount() == 2)).isTrue();
        }
        Path bundle = tmp.resolve(name);
        Run export = cli("evidence", "export", "C-000001", bundle.toString(), "--data", data.toString());
        assertThat(export.code()).as(export.out()).isZero();
        return bundle;
    }

    @Test
    void the_chain_head_proves_records_case_and_timeline_and_a_consistent_forgery_fails_against_it() throws Exception {
        Path data = tmp.resolve("data");
        Path bundle = exportOfTwoIncidentsAndOneOtherLine(data, "bundle");
        Run export = cli("evidence", "export", "C-000001", tmp.resolve("again").toString(), "--data", data.toString());
        String head = printedHead(export); // a second export: its own custody record, a later head
        String exportHead = headAt(data, 4);  // the first export's custody record is seq 4 (three lines, then it)
        assertThat(head).startsWith("5:");

        // the chain proof holds digests, not other people's lines
        String chain = Files.readString(bundle.resolve("chain.txt"));
        assertThat(chain).doesNotContain("someone else").contains("\n2 2 ");
        assertThat(bundle.resolve("records/00000000000000000002.raw")).doesNotExist();
        assertThat(bundle.resolve("records/00000000000000000004.raw")).as("the custody record").exists();

        Run ok = cli("evidence", "verify-export", bundle.toString(), "--head", exportHead);
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("2 of the case's 2 records (seq 1..3) are byte for byte what the journal held")
                .contains("case.json and timeline.json are the ones the export attested in its custody record seq 4");
        // the head in the notice of the first incident (written after seq 1) proves that record only
        Run early = cli("evidence", "verify-export", bundle.toString(), "--head", headAt(data, 1));
        assertThat(early.code()).as(early.out()).isZero();
        assertThat(early.out()).contains("1 of the case's 2 records (seq 1..1)").contains("1 records after seq 1 are not covered")
                .contains("which this head does not reach");
        // the notice's own words pasted
        String[] parts = exportHead.split(":");
        assertThat(cli("evidence", "verify-export", bundle.toString(), "--head", "seq " + parts[0] + " sha256 " + parts[1]).code()).isZero();
        // a head the bundle cannot reach, and one that is not a head
        assertThat(cli("evidence", "verify-export", bundle.toString(), "--head", head).out()).contains("give a head printed at or before seq 4");
        assertThat(cli("evidence", "verify-export", bundle.toString(), "--head", "4:" + "0".repeat(64)).out())
                .contains("not the head given");

        // A forger who knows the format rewrites record 3's bytes, recomputes its hash, the chain proof
        // after it and SHA256SUMS: the bundle is consistent in itself, the witness is not met.
        forge(bundle, 3, body -> body[body.length - 3] ^= 1);
        Run selfConsistent = cli("evidence", "verify-export", bundle.toString());
        assertThat(selfConsistent.code()).as(selfConsistent.out()).isZero();
        assertThat(selfConsistent.out()).contains("not yet proven against a witness");
        Run forged = cli("evidence", "verify-export", bundle.toString(), "--head", exportHead);
        assertThat(forged.code()).isEqualTo(1);
        assertThat(forged.out()).contains("FAILED: the chain proof reaches seq 4 with hash");
        Run forgedEarly = cli("evidence", "verify-export", bundle.toString(), "--head", headAt(data, 3));
        assertThat(forgedEarly.code()).as("a head at the forged record itself").isEqualTo(1);
    }

    @Test
    void an_edited_timeline_a_removed_or_added_record_and_reordered_lines_are_found() throws Exception {
        Path data = tmp.resolve("data");
        Path bundle = exportOfTwoIncidentsAndOneOtherLine(data, "bundle");
        String exportHead = headAt(data, 4);

        Path timeline = bundle.resolve("timeline.json");
        Files.writeString(timeline, Files.readString(timeline).replace("\"received\"", "\"reported\""));
        ExportVerifier.writeSums(bundle);
        assertThat(cli("evidence", "verify-export", bundle.toString()).out())
                .contains("FAILED: timeline.json is not the one the export attested in its custody record seq 4");

        Path removed = exportOfTwoIncidentsAndOneOtherLine(tmp.resolve("data2"), "removed");
        for (String ext : new String[] {"raw", "body", "json"}) {
            Files.delete(removed.resolve("records/00000000000000000003." + ext));
        }
        Path caseJson = removed.resolve("case.json");
        Files.writeString(caseJson, Files.readString(caseJson).replace("[1,3]", "[1]"));
        ExportVerifier.writeSums(removed);
        Run r = cli("evidence", "verify-export", removed.toString(), "--head", headAt(tmp.resolve("data2"), 4));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("case.json is not the one the export attested").contains("a record was added or removed");

        Path reordered = exportOfTwoIncidentsAndOneOtherLine(tmp.resolve("data3"), "reordered");
        Path chainFile = reordered.resolve("chain.txt");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(chainFile));
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("2 ")).findFirst().orElseThrow());
        java.util.Collections.swap(lines, at, at + 1);
        Files.write(chainFile, lines);
        ExportVerifier.writeSums(reordered);
        assertThat(cli("evidence", "verify-export", reordered.toString()).out()).contains("records were removed, inserted or reordered");

        assertThat(exportHead).isNotNull();
    }

    @Test
    void an_export_while_the_agent_runs_journals_its_custody_record_through_the_agent() throws Exception {
        Path data = tmp.resolve("data");
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.tcp("<1>Nov 26 18:00:00 web01 ossec: Integrity checksum changed for: '/var/www/html/index.html'\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            Run export = cli("evidence", "export", "C-000001", tmp.resolve("bundle").toString(), "--data", data.toString());
            assertThat(export.code()).as(export.out()).isZero();
            assertThat(agent.daemon.services().journal().lastSeq()).as("the agent journaled the custody record").isEqualTo(2);
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.metricNow("csirt_events_judged_total") == 2.0))
                    .as("and judged it like any record").isTrue();
            Run ok = cli("evidence", "verify-export", tmp.resolve("bundle").toString(), "--head", printedHead(export));
            assertThat(ok.code()).as(ok.out()).isZero();
        }
    }

    /**
     * Rewrites the body of exported record {@code seq} and recomputes everything the bundle itself
     * can be made to agree with: the record's hash, the chain proof from there on, the later
     * records' metadata and SHA256SUMS.
     */
    private static void forge(Path bundle, long seq, java.util.function.Consumer<byte[]> edit) throws Exception {
        String base = String.format("records/%020d", seq);
        byte[] body = Files.readAllBytes(bundle.resolve(base + ".body"));
        byte[] raw = Files.readAllBytes(bundle.resolve(base + ".raw"));
        edit.accept(body);
        Files.write(bundle.resolve(base + ".body"), body);
        Files.write(bundle.resolve(base + ".raw"), java.util.Arrays.copyOfRange(body, body.length - raw.length, body.length));
        java.security.MessageDigest d = JournalFormat.sha256();
        HexFormat hex = HexFormat.of();
        List<String> lines = Files.readAllLines(bundle.resolve("chain.txt"));
        byte[] prev = null;
        Map<Long, String[]> relinked = new java.util.HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("prev ")) {
                prev = hex.parseHex(l.substring(5));
                continue;
            }
            if (l.startsWith("#")) {
                continue;
            }
            String[] f = l.split(" ");
            long q = Long.parseLong(f[0]);
            String digest = q == seq ? hex.formatHex(d.digest(body)) : f[2];
            byte[] hash = JournalFormat.link(d, prev, hex.parseHex(digest));
            relinked.put(q, new String[] {hex.formatHex(prev), hex.formatHex(hash)});
            lines.set(i, q + " " + f[1] + " " + digest + " " + hex.formatHex(hash));
            prev = hash;
        }
        Files.write(bundle.resolve("chain.txt"), lines);
        try (java.util.stream.Stream<Path> metas = Files.list(bundle.resolve("records"))) {
            for (Path meta : metas.filter(p -> p.toString().endsWith(".json")).toList()) {
                long q = Long.parseLong(meta.getFileName().toString().replace(".json", ""));
                String json = Files.readString(meta);
                json = json.replaceAll("\"prev_hash\":\"[0-9a-f]{64}\"", "\"prev_hash\":\"" + relinked.get(q)[0] + "\"")
                        .replaceAll("\"hash\":\"[0-9a-f]{64}\"", "\"hash\":\"" + relinked.get(q)[1] + "\"");
                Files.writeString(meta, json);
            }
        }
        ExportVerifier.writeSums(bundle);
    }
}
