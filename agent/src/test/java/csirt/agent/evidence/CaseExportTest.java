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
import java.util.concurrent.TimeUnit;

import csirt.agent.Main;
import csirt.agent.camel.AgentHarness;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.TimelineEntry;
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
}
