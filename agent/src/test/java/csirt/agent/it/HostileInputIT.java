package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import csirt.agent.camel.AgentHarness;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.JournalVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile frames against the packaged agent, over octet-counted TCP (any byte can be
 * sent) and UDP: each is journaled byte for byte and counted, none stops or corrupts the agent,
 * nothing in them reaches a mail header, a file path or the operator's terminal, and no secret of
 * the configuration appears anywhere in the log of the whole run.
 */
class HostileInputIT {

    private static final String SMTP_PASSWORD = "Sup3r-Secret-Smtp-Pw";

    @TempDir
    Path tmp;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(agent);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("NUL inside", b("<13>Nov 26 18:00:00 web01 app: before\0after"));
        c.put("only NULs", new byte[] {0, 0, 0});
        c.put("invalid UTF-8", new byte[] {'<', '1', '3', '>', 'x', ' ', (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, ' ', 'y'});
        c.put("PRI out of range", b("<999>Nov 26 18:00:00 web01 app: pri too big"));
        c.put("empty PRI", b("<>Nov 26 18:00:00 web01 app: empty pri"));
        c.put("letters as PRI", b("<abc>Nov 26 18:00:00 web01 app: letters"));
        c.put("PRI never closed", b("<13 Nov 26 18:00:00 web01 app: open pri"));
        c.put("no PRI at all", b("just some text, no syslog at all"));
        c.put("unbalanced SD", b("<13>1 2026-11-26T18:00:00Z web01 app - - [id@1 a=\"b\" c=\"never closed"));
        c.put("SD brackets only", b("<13>1 2026-11-26T18:00:00Z web01 app - - [[[[[[ ]]] msg"));
        StringBuilder sd = new StringBuilder("<13>1 2026-11-26T18:00:00Z web01 app - - [many@1");
        for (int i = 0; i < 10_000; i++) {
            sd.append(" p").append(i).append("=\"v\"");
        }
        c.put("10,000 SD params", b(sd.append("] after ten thousand params").toString()));
        c.put("CR/LF for mail headers", b("<11>Nov 26 18:00:00 web01 clamd[1]: /srv/x.exe: Win.Test.CrLf FOUND\r\nBcc: evil@example.com\r\nSubject: pwned"));
        c.put("path traversal host", b("<11>Nov 26 18:00:00 ../../../../../tmp/csirt-pwned clamd[1]: /x.exe: Win.Test.Path FOUND"));
        c.put("absolute path app", b("<11>Nov 26 18:00:00 /etc/passwd /etc/shadow[1]: /x.exe: Win.Test.Abs FOUND"));
        // removable media: a case at once (AV-012), whose log line names the host
        c.put("ANSI escapes", b("<11>Nov 26 18:00:00 \u001b[31mpc-9\u001b[0m clamd[1]: /media/usb/x.exe: Win.Test.Ansi\u001b[2J\u001b]0;owned\u0007 FOUND"));
        c.put("C1 controls and RTL override", b("<13>Nov 26 18:00:00 web01 app: \u0085\u009b31m \u202egnp.exe"));
        // a file name with CR/LF, as clamd logs it: a detection all the same (and no header in any mail)
        c.put("CR/LF in a file name", b("<11>1 2026-11-26T18:00:00Z web01 clamd 1 - - /srv/a\r\nBcc: x@example.com\r\n.exe: Win.Test.CrLfPath FOUND"));
        // an octet-counted RFC 5424 HOSTNAME may carry anything: CR/LF, a CSI (seen through, its "2J" is text), a line separator
        c.put("controls in the host name", b("<11>1 2026-11-26T18:00:00Z pc-\r\n7\u009b2J\u2028x clamd 1 - - /media/usb/y.exe: Win.Test.Host FOUND"));
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 'A');
        System.arraycopy(b("<13>Nov 26 18:00:00 web01 app: "), 0, big, 0, 31);
        c.put("1 MiB", big);
        return c;
    }

    @Test
    void hostile_frames_are_journaled_counted_and_harmless() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("agent.log");
        int nobody = AgentHarness.freePort(); // an SMTP server that is not there: delivery fails, with the password configured
        agent = PackagedAgent.start(data, log, 0, 0, "-Dsyslog.max-frame-bytes=262144", "-Dmail.smtp.host=127.0.0.1",
                "-Dmail.smtp.port=" + nobody, "-Dmail.smtp.username=csirt", "-Dmail.smtp.password=" + SMTP_PASSWORD,
                "-Dnotice.outbox.alert-after-minutes=0");
        int port = PackagedAgent.port(data, "syslog-tcp");
        int http = PackagedAgent.port(data, "http");

        Map<String, byte[]> corpus = corpus();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] frame : corpus.values()) {
            stream.writeBytes((frame.length + " ").getBytes(StandardCharsets.US_ASCII));
            stream.writeBytes(frame);
        }
        try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
            out.write(stream.toByteArray());
        }
        List<byte[]> datagrams = List.of(new byte[0], corpus.get("invalid UTF-8"), corpus.get("ANSI escapes"), corpus.get("NUL inside"));
        try (DatagramSocket udp = new DatagramSocket()) {
            for (byte[] d : datagrams) {
                udp.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), PackagedAgent.port(data, "syslog-udp")));
            }
        }
        // the 1 MiB frame is journaled in pieces of syslog.max-frame-bytes (256 KiB here): 4 records
        int expected = corpus.size() - 1 + 4 + datagrams.size();
        assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> PackagedAgent.metric(http, "csirt_events_judged_total") >= expected))
                .as("all judged; log:%n%s", PackagedAgent.read(log)).isTrue();
        // alive and serving (readiness is red by design here: the mail server is down and notices wait)
        assertThat(agent.isAlive()).isTrue();
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + http + "/health/live")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(PackagedAgent.metric(http, "csirt_frames_oversized_total{input=\"syslog-tcp\"}")).isEqualTo(1.0);
        assertThat(PackagedAgent.metric(http, "csirt_decode_errors_total{charset=\"UTF-8\",input=\"syslog-tcp\"}")).isEqualTo(1.0);
        assertThat(PackagedAgent.metric(http, "csirt_messages_received_total{input=\"syslog-udp\"}")).isEqualTo(datagrams.size());
        double unparsed = 0;
        for (String f : new String[] {"unparsed", "rfc3164", "rfc5424"}) {
            unparsed += Math.max(0, PackagedAgent.metric(http, "csirt_parse_failures_total{format=\"" + f + "\"}"));
        }
        assertThat(unparsed).as("frames that are not syslog are counted as such").isGreaterThanOrEqualTo(3);
        // wait for the cases the detections opened (and their failed deliveries) to be logged
        AgentHarness.await(Duration.ofSeconds(10), () -> PackagedAgent.read(log).contains("host=pc-9)"));
        // the notices of those cases fail to go out (no mail server) and are kept as files to send by hand
        assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> emlCount(data.resolve("notices")) >= 1))
                .as("failed notices kept; log:%n%s", PackagedAgent.read(log)).isTrue();
        agent.destroy();
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isZero();

        List<JournalRecord> records = new ArrayList<>();
        assertThat(JournalVerifier.verify(data.resolve("journal"), records::add).ok()).isTrue();
        List<byte[]> tcp = records.stream().filter(r -> r.receipt().transport().equals("tcp")).map(JournalRecord::payload).toList();
        List<byte[]> want = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : corpus.entrySet()) {
            if (e.getKey().equals("1 MiB")) {
                for (int off = 0; off < big(e.getValue()); off += 262144) {
                    want.add(java.util.Arrays.copyOfRange(e.getValue(), off, Math.min(e.getValue().length, off + 262144)));
                }
            } else {
                want.add(e.getValue());
            }
        }
        assertThat(tcp).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            assertThat(tcp.get(i)).as("TCP frame %d byte for byte", i).isEqualTo(want.get(i));
        }
        List<byte[]> udp = records.stream().filter(r -> r.receipt().transport().equals("udp")).map(JournalRecord::payload).toList();
        assertThat(udp).hasSize(datagrams.size());
        for (int i = 0; i < datagrams.size(); i++) {
            assertThat(udp.get(i)).as("datagram %d", i).isEqualTo(datagrams.get(i));
        }

        byte[] logBytes = Files.readAllBytes(log);
        String logText = new String(logBytes, StandardCharsets.UTF_8);
        // the case opened for the ANSI line is logged with its host as a reader of the line sees it
        assertThat(logText).as("the run logged the hostile host").contains("host=pc-9)").contains("host=pc-72Jx)");
        assertNoControls("the operator's log", logBytes);

        // the command line shows what the cases hold with every control character escaped
        StringBuilder cli = new StringBuilder(PackagedAgent.cli("cases", "list", "--data", data.toString()).out());
        for (String line : cli.toString().lines().toList()) {
            if (line.startsWith("C-")) {
                String id = line.substring(0, 8);
                cli.append(PackagedAgent.cli("cases", "show", id, "--data", data.toString()).out());
                cli.append(PackagedAgent.cli("cases", "report", id, "--data", data.toString()).out());
            }
        }
        assertThat(cli.toString()).contains("Win.Test.Ansi").contains("\\x1B[31m").contains("Win.Test.CrLfPath").contains("\\x0D\\x0ABcc: x@example.com");
        assertNoControls("cases list, show and report", cli.toString().replace("\n", "").getBytes(StandardCharsets.UTF_8));
        assertThat(logText.lines()).noneMatch(l -> l.startsWith("Bcc:") || l.startsWith("Subject: pwned"));
        assertThat(logText).as("no secret in the log").doesNotContain(SMTP_PASSWORD)
                .doesNotContain(Files.readString(data.resolve("api.token")).trim());
        // nothing was written outside the data directory, whatever the host names said
        assertThat(Path.of("/tmp/csirt-pwned")).doesNotExist();
        try (Stream<Path> files = Files.walk(data)) {
            files.forEach(f -> assertThat(f.normalize().startsWith(data)).isTrue());
        }
        Path notices = data.resolve("notices");
        assertThat(notices).as("the detections' notices, kept as files while the mail server is down").exists();
        try (Stream<Path> files = Files.walk(notices)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                for (String header : Files.readString(f, StandardCharsets.ISO_8859_1).split("\r?\n\r?\n", 2)[0].split("\r?\n")) {
                    assertThat(header).as("a header of %s", f.getFileName()).doesNotStartWith("Bcc:").doesNotStartWith("Subject: pwned");
                }
            }
        }
    }

    /** No ESC, BEL, NUL, CR, C1 control (UTF-8 C2 80..9F) or line/paragraph separator (E2 80 A8/A9) in {@code bytes}. */
    private static void assertNoControls(String where, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            int x = bytes[i] & 0xFF;
            assertThat(x == 0x1B || x == 0x07 || x == 0 || x == '\r').as("no ESC, BEL, NUL or CR in %s (at %d)", where, i).isFalse();
            if (i + 1 < bytes.length) {
                int y = bytes[i + 1] & 0xFF;
                assertThat(x == 0xC2 && y >= 0x80 && y <= 0x9F).as("no C1 control in %s (at %d)", where, i).isFalse();
                assertThat(x == 0xE2 && y == 0x80 && i + 2 < bytes.length && ((bytes[i + 2] & 0xFF) == 0xA8 || (bytes[i + 2] & 0xFF) == 0xA9))
                        .as("no U+2028/U+2029 in %s (at %d)", where, i).isFalse();
            }
        }
    }

    private static long emlCount(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".eml")).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static int big(byte[] b) {
        return b.length;
    }
}
