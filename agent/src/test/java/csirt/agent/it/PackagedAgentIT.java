package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import csirt.agent.camel.AgentHarness;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, started with {@code java -jar} outside Maven's classpath, fed by util-linux
 * {@code logger} and raw sockets, mailing to a real SMTP server: proves that the fat jar kept
 * Camel's service files and type converters and that the whole flow works as a user runs it.
 */
class PackagedAgentIT {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    @TempDir
    Path tmp;
    private Process agent;

    private static Path jar() {
        return Path.of(System.getProperty("csirt.jar", "agent/target/csirt-agent.jar"));
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Run(int code, String out) {
    }

    private static Run cli(String... args) throws Exception {
        List<String> cmd = java("-jar", jar().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_user_starts_the_jar_sends_with_logger_and_gets_cases_notices_metrics_and_verifiable_evidence() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("agent.log");
        List<String> cmd = java("-Dsyslog.tcp.host=127.0.0.1", "-Dsyslog.udp.host=127.0.0.1",
                "-Dsyslog.tcp.port=0", "-Dsyslog.udp.port=0", "-Dhttp.port=0",
                "-Dmail.smtp.host=127.0.0.1", "-Dmail.smtp.port=" + MAIL.getSmtp().getPort(),
                "-jar", jar().toString(), "run", "--config", "config", "--data", data.toString());
        agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> read(log).contains("csirt-agent is running")))
                .as("agent started; log:%n%s", read(log)).isTrue();
        // port 0: the agent picked free ports, says which in its log and in data/listening
        int port = PackagedAgent.port(data, "syslog-tcp");
        int udp = PackagedAgent.port(data, "syslog-udp");
        int http = PackagedAgent.port(data, "http");
        assertThat(read(log)).contains("syslog-tcp 127.0.0.1:" + port).contains("syslog-udp 127.0.0.1:" + udp)
                .contains("metrics http://127.0.0.1:" + http + "/metrics");

        String p = Integer.toString(port);
        // util-linux logger: RFC 3164 over UDP, RFC 5424 over TCP, octet counting
        PackagedAgent.logger("-n", "127.0.0.1", "-P", Integer.toString(udp), "-d", "--rfc3164", "-t", "sshd",
                "pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)");
        PackagedAgent.logger("-n", "127.0.0.1", "-P", p, "-T", "--rfc5424", "-t", "app", "日本語のメッセージ");
        PackagedAgent.logger("-n", "127.0.0.1", "-P", p, "-T", "--octet-count", "--rfc5424", "-t", "clamd",
                "/home/a/eicar.com: Eicar-Test-Signature FOUND");
        // logger cannot set the hostname: per-host lines go raw, one connection after the other
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 1; i <= 3; i++) {
            raw(port, "<11>Nov 26 18:00:0" + i + " pc-" + i + " clamd[1]: /home/u" + i + "/x.exe: Win.Trojan.Spread-2 FOUND\n");
            int expected = 3 + i;
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> metric(client, http, "csirt_journal_records_total") == expected))
                    .isTrue();
        }
        raw(port, "<3>Nov 26 18:00:09 files01 kernel: blk_update_request: I/O error, dev sda, sector 2048\n");

        // level 2: the PoC, the CSIRT manager and the CSIRT responsible; level 1: the PoC
        assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> MAIL.getReceivedMessages().length >= 4))
                .as("notices arrive; log:%n%s", read(log)).isTrue();
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        assertThat(subjects).anySatisfy(s -> assertThat(s).matches(
                "\\[CSIRT\\]\\[レベル2\\]\\[サイバー攻撃\\] C-\\d{6} pc-3: 同一ウイルスを複数の端末で検知（拡散のおそれ）"));
        assertThat(subjects).anySatisfy(s -> assertThat(s).startsWith("[CSIRT][レベル1][情報システムの停止等]"));
        assertThat(subjects).filteredOn(s -> s.contains("Spread") || s.contains("拡散")).hasSize(3);

        assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> metric(client, http, "csirt_journal_records_total") == 7.0)).isTrue();
        String metrics = get(client, http);
        assertThat(metrics).contains("csirt_messages_received_total{input=\"syslog-udp\"} 1.0")
                .contains("csirt_messages_received_total{input=\"syslog-tcp\"} 6.0")
                .contains("csirt_cases_opened_total{category=\"cyber\",level=\"2\"} 1.0")
                .contains("csirt_cases_opened_total{category=\"outage\",level=\"1\"} 1.0")
                .contains("csirt_notices_sent_total{channel=\"smtp\"} 2.0")
                .contains("csirt_outbox_depth 0.0");

        // the cases are visible from a second process while the daemon runs
        Run list = cli("cases", "list", "--data", data.toString());
        assertThat(list.code()).as(list.out()).isZero();
        assertThat(list.out()).contains("AV-020").contains("OUT-012");
        // and driven through its life by a person, from the command line, while the daemon runs
        String id = list.out().lines().filter(l -> l.contains("OUT-012")).findFirst().orElseThrow().substring(0, 8);
        assertThat(cli("cases", "assign", id, "tanaka", "--by", "sato", "--data", data.toString()).code()).isZero();
        assertThat(cli("cases", "status", id, "responding", "--by", "tanaka", "--why", "ディスク交換を手配", "--data", data.toString()).code())
                .isZero();
        assertThat(cli("cases", "note", id, "保守事業者に連絡済み", "--by", "tanaka", "--data", data.toString()).code()).isZero();
        Run refused = cli("cases", "status", id, "closed", "--data", data.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("from there it can go to [recovering]");
        Run report = cli("cases", "report", id, "--data", data.toString());
        assertThat(report.code()).as(report.out()).isZero();
        assertThat(report.out()).contains("情報セキュリティインシデント事案の発生について（報告）").contains("ディスク交換を手配（tanaka）")
                .contains("8 その他（時系列の対応記録等）");

        agent.destroy(); // SIGTERM: Camel stops the routes, the journal is synced and closed
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(read(log)).contains("Journal synced and closed at seq 7");

        Run ok = cli("evidence", "verify", "--data", data.toString());
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).startsWith("OK: 7 records, seq 1..7, chain head ");

        Path segment;
        try (Stream<Path> s = Files.list(data.resolve("journal"))) {
            segment = s.filter(f -> f.toString().endsWith(".csj")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x20);
        }
        Run bad = cli("evidence", "verify", "--data", data.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).startsWith("FAILED at seq ");
    }

    @Test
    void help_and_version_work_from_the_jar() throws Exception {
        Run help = cli("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("run").contains("check-config").contains("evidence").contains("cases");
        Run version = cli("--version");
        assertThat(version.out()).startsWith("csirt-agent ");
        Run check = cli("check-config", "--config", "config");
        assertThat(check.code()).as(check.out()).isZero();
    }

    private static void raw(int port, String text) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream out = s.getOutputStream()) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String get(HttpClient client, int port) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(HttpClient client, int port, String sample) {
        return PackagedAgent.metric(port, sample);
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
