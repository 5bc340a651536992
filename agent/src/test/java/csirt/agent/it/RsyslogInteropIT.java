package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import csirt.agent.camel.AgentHarness;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.JournalVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rsyslog relay in front of the packaged agent, as a municipality would run one: util-linux
 * {@code logger} sends to rsyslog, which forwards every message twice, over TCP with octet counting
 * (RFC 6587) and over TLS (RFC 5425, GnuTLS driver, both sides checking the other's certificate by
 * name). Certificates are made with openssl. Nothing may be lost or altered on either path.
 */
class RsyslogInteropIT {

    private static final String PASS = "changeit";

    @TempDir
    Path tmp;
    private Process agent;
    private Process rsyslog;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(rsyslog);
        PackagedAgent.stop(agent);
    }

    @Test
    void rsyslog_relays_over_octet_counted_tcp_and_over_tls_without_loss() throws Exception {
        PackagedAgent.requireRsyslog("lmnsd_gtls.so", "rsyslog-gnutls");

        Path pki = Files.createDirectories(tmp.resolve("pki"));
        run(pki, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "agent.key", "-out", "agent.crt", "-subj", "/CN=csirt-agent", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2");
        run(pki, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "relay.key", "-out", "relay.crt", "-subj", "/CN=relay.example.lg.jp",
                "-addext", "subjectAltName=DNS:relay.example.lg.jp", "-days", "2");
        run(pki, "openssl", "pkcs12", "-export", "-in", "agent.crt", "-inkey", "agent.key", "-out", "agent.p12", "-passout", "pass:" + PASS);
        run(pki, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt", "-alias", "relay",
                "-file", "relay.crt", "-storetype", "PKCS12", "-keystore", "trust.p12", "-storepass", PASS);

        int relay = AgentHarness.freePort(); // rsyslog's own listener: rsyslog cannot say which port it bound
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("agent.log");
        agent = PackagedAgent.start(data, log, 0, 0, "-Dsyslog.tls.enabled=true", "-Dsyslog.tls.host=127.0.0.1",
                "-Dsyslog.tls.port=0", "-Dsyslog.tls.keystore=" + pki.resolve("agent.p12"), "-Dsyslog.tls.keystore-password=" + PASS,
                "-Dsyslog.tls.truststore=" + pki.resolve("trust.p12"), "-Dsyslog.tls.truststore-password=" + PASS,
                "-Dsyslog.tls.client-auth=need", "-Dsyslog.tls.permitted-peers=relay.example.lg.jp");
        int port = PackagedAgent.port(data, "syslog-tcp");
        int tls = PackagedAgent.port(data, "syslog-tls");
        int http = PackagedAgent.port(data, "http");

        Path work = Files.createDirectories(tmp.resolve("rsyslog"));
        Path conf = work.resolve("rsyslog.conf");
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + work + "\" maxMessageSize=\"64k\"",
                "       DefaultNetstreamDriverCAFile=\"" + pki.resolve("agent.crt") + "\"",
                "       DefaultNetstreamDriverCertFile=\"" + pki.resolve("relay.crt") + "\"",
                "       DefaultNetstreamDriverKeyFile=\"" + pki.resolve("relay.key") + "\")",
                "module(load=\"imtcp\")",
                "input(type=\"imtcp\" port=\"" + relay + "\" address=\"127.0.0.1\")",
                "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + port + "\" protocol=\"tcp\" TCP_Framing=\"octet-counted\"",
                "       template=\"RSYSLOG_SyslogProtocol23Format\")",
                "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + tls + "\" protocol=\"tcp\" StreamDriver=\"gtls\" StreamDriverMode=\"1\"",
                "       StreamDriverAuthMode=\"x509/name\" StreamDriverPermittedPeers=\"csirt-agent\"",
                "       TCP_Framing=\"octet-counted\" template=\"RSYSLOG_SyslogProtocol23Format\")",
                ""), StandardCharsets.UTF_8);
        rsyslog = PackagedAgent.rsyslog(work, relay);

        String r = Integer.toString(relay);
        String japanese = "ログイン失敗 ユーザー=山田 端末=PC-0042";
        String big = "x".repeat(10_000);
        PackagedAgent.logger("-n", "127.0.0.1", "-P", r, "-T", "--octet-count", "--rfc5424", "-t", "app", japanese);
        PackagedAgent.logger("-n", "127.0.0.1", "-P", r, "-T", "--rfc3164", "-t", "clamd", "/home/a/eicar.com: Eicar-Test-Signature FOUND");
        // logger cuts messages at 1 KiB unless told otherwise
        PackagedAgent.logger("-n", "127.0.0.1", "-P", r, "-T", "--octet-count", "--rfc5424", "--size", "20000", "-t", "big", big);

        assertThat(AgentHarness.await(Duration.ofSeconds(30), () -> PackagedAgent.metric(http, "csirt_messages_received_total{input=\"syslog-tls\"}") == 3.0
                && PackagedAgent.metric(http, "csirt_messages_received_total{input=\"syslog-tcp\"}") == 3.0))
                .as("3 messages on each path; agent log:%n%s%nrsyslog:%n%s", PackagedAgent.read(log), PackagedAgent.read(work.resolve("rsyslogd.out")))
                .isTrue();
        assertThat(PackagedAgent.metric(http, "csirt_tls_failures_total{input=\"syslog-tls\"}")).isIn(-1.0, 0.0);

        rsyslog.destroy();
        agent.destroy();
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<JournalRecord> records = new ArrayList<>();
        assertThat(JournalVerifier.verify(data.resolve("journal"), records::add).ok()).isTrue();
        for (String transport : new String[] {"tcp", "tls"}) {
            List<String> texts = records.stream().filter(x -> x.receipt().transport().equals(transport)).map(JournalRecord::payloadText).toList();
            assertThat(texts).as(transport).hasSize(3);
            // rsyslog's RFC 5424 template ends the message with LF inside the octet-counted frame;
            // the journal keeps the frame's bytes exactly as sent, LF included
            assertThat(texts.get(0)).as(transport).startsWith("<13>1 ").endsWith(japanese + "\n");
            assertThat(texts.get(1)).as(transport).contains("clamd").endsWith("/home/a/eicar.com: Eicar-Test-Signature FOUND\n");
            assertThat(texts.get(2).endsWith(big + "\n")).as("%s: the 10 KB message whole (%d chars)", transport, texts.get(2).length()).isTrue();
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
    }
}
