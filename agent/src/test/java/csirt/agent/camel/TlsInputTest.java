package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.JournalVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog over TLS (RFC 5425) with real certificates made by the JDK's keytool and a real TLS
 * client: a permitted sender gets through, a trusted but unlisted one is refused, plain text and
 * a sender without a certificate fail the handshake; each is counted and the input keeps going.
 */
class TlsInputTest {

    private static final String PASS = "changeit";

    @TempDir
    static Path pki;

    @TempDir
    Path data;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keypair("agent", "CN=csirt-agent", "SAN=ip:127.0.0.1");
        keypair("fw01", "CN=fw01.example.lg.jp", "SAN=dns:fw01.example.lg.jp");
        keypair("rogue", "CN=rogue.example.com", "SAN=dns:rogue.example.com");
        // the agent trusts both senders' certificates; only fw01 is a permitted peer
        trust("agent-trust", "fw01", "rogue");
        trust("sender-trust", "agent");
    }

    private Map<String, String> tlsSettings(int port) {
        return Map.of("syslog.tls.enabled", "true", "syslog.tls.host", "127.0.0.1", "syslog.tls.port", Integer.toString(port),
                "syslog.tls.keystore", pki.resolve("agent.p12").toString(), "syslog.tls.keystore-password", PASS,
                "syslog.tls.truststore", pki.resolve("agent-trust.p12").toString(), "syslog.tls.truststore-password", PASS,
                "syslog.tls.client-auth", "need", "syslog.tls.permitted-peers", "*.example.lg.jp");
    }

    @Test
    void permitted_peers_are_received_others_are_counted_and_the_input_keeps_going() throws Exception {
        String first = "<34>1 2026-11-26T18:00:00+09:00 fw01 fw - ID47 - first line\nsecond line of the same message";
        try (AgentHarness agent = AgentHarness.start(data, tlsSettings(0))) {
            int port = agent.port("syslog-tls");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.metricNow("csirt_ready") == 1.0)).isTrue();
            send(port, "fw01", AgentHarness.octetCounted(first, "<34>1 2026-11-26T18:00:01+09:00 fw01 fw - ID48 - next"));
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == 2)).isTrue();

            // trusted by the truststore, but not in permitted-peers: disconnected, nothing read
            try {
                send(port, "rogue", AgentHarness.octetCounted("<34>1 2026-11-26T18:00:02+09:00 rogue x - - - should not arrive"));
            } catch (IOException expected) {
                // the agent may close before the write completes
            }
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.metricNow("csirt_peers_refused_total{input=\"syslog-tls\"}") == 1.0)).isTrue();

            // plain text to the TLS port, and a TLS client without a certificate: failed handshakes
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
                plain.getOutputStream().write("<13>Nov 26 18:00:03 web01 app: plain text\n".getBytes(StandardCharsets.US_ASCII));
                plain.getOutputStream().flush();
                assertThat(AgentHarness.closedByAgent(plain)).as("the agent closes a connection that does not speak TLS").isTrue();
            }
            try {
                send(port, null, AgentHarness.octetCounted("<34>1 2026-11-26T18:00:04+09:00 anon x - - - no certificate"));
            } catch (IOException expected) {
                // TLS 1.3 reports the missing certificate on the client's next read or write
            }
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.metricNow("csirt_tls_failures_total{input=\"syslog-tls\"}") == 2.0)).isTrue();

            // the input still works
            send(port, "fw01", AgentHarness.octetCounted("<34>1 2026-11-26T18:00:05+09:00 fw01 fw - ID49 - still here"));
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == 3)).isTrue();
            assertThat(agent.metric("csirt_messages_received_total{input=\"syslog-tls\"}")).isEqualTo(3.0);
        }
        List<JournalRecord> records = new ArrayList<>();
        assertThat(JournalVerifier.verify(data.resolve("journal"), records::add).ok()).isTrue();
        assertThat(records).hasSize(3);
        assertThat(records.get(0).payloadText()).isEqualTo(first);
        assertThat(records.get(0).receipt().transport()).isEqualTo("tls");
        assertThat(records.get(0).receipt().input()).isEqualTo("syslog-tls");
        assertThat(records).noneMatch(r -> r.payloadText().contains("should not arrive") || r.payloadText().contains("plain text")
                || r.payloadText().contains("no certificate"));
    }

    @Test
    void a_keystore_that_cannot_be_opened_is_a_configuration_problem_that_names_the_key() throws Exception {
        Path config = AgentHarness.copyShippedConfig(data.resolve("config"));
        Map<String, String> s = new java.util.HashMap<>(tlsSettings(0));
        s.put("syslog.tls.keystore-password", "wrong");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> csirt.agent.config.AgentConfig.load(config, s)))
                .isInstanceOf(csirt.agent.config.ConfigException.class)
                .hasMessageContaining("syslog.tls.keystore");
        s.put("syslog.tls.keystore-password", PASS);
        s.put("syslog.tls.client-auth", "want");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> csirt.agent.config.AgentConfig.load(config, s)))
                .hasMessageContaining("syslog.tls.client-auth=need");
    }

    /** Sends over TLS as {@code alias} (null: without a client certificate), then closes. */
    private static void send(int port, String alias, String frames) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (alias != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(KeyStore.getInstance(pki.resolve(alias + ".p12").toFile(), PASS.toCharArray()), PASS.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyStore.getInstance(pki.resolve("sender-trust.p12").toFile(), PASS.toCharArray()));
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(frames.getBytes(StandardCharsets.UTF_8));
            out.flush();
            // wait for the agent to have read (or refused) before closing: a read that ends in EOF or timeout
            try {
                socket.getInputStream().read();
            } catch (java.net.SocketTimeoutException e) {
                // still open: the agent read and keeps the connection, as a syslog server does
            }
        }
    }

    private static void keypair(String alias, String dname, String san) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-ext", san,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", pki.resolve(alias + ".p12").toString(),
                "-storepass", PASS, "-keypass", PASS);
        keytool("-exportcert", "-alias", alias, "-keystore", pki.resolve(alias + ".p12").toString(), "-storepass", PASS,
                "-file", pki.resolve(alias + ".cer").toString());
    }

    private static void trust(String store, String... aliases) throws Exception {
        for (String a : aliases) {
            keytool("-importcert", "-noprompt", "-alias", a, "-file", pki.resolve(a + ".cer").toString(), "-storetype", "PKCS12",
                    "-keystore", pki.resolve(store + ".p12").toString(), "-storepass", PASS);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool %s: %s", args[0], out).isZero();
    }
}
