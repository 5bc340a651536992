package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import csirt.agent.ApiToken;
import csirt.agent.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The HTTP port with TLS (http.tls.*), as the console is served on a LAN: a browser-like client that
 * trusts the log server's certificate logs in and gets a Secure cookie, plain HTTP gets no page, and
 * the command line reaches its agent over 127.0.0.1 by the certificate the agent wrote down (a
 * different certificate on that port is refused).
 */
class ConsoleTlsTest {

    private static final String PASS = "changeit-tls";

    @TempDir
    Path tmp;

    @Test
    void the_console_over_tls_gives_a_secure_session_and_the_command_line_pins_the_agents_certificate() throws Exception {
        Path pki = Files.createDirectories(tmp.resolve("pki"));
        keytool("-genkeypair", "-alias", "console", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=logserver.example.lg.jp",
                "-ext", "san=dns:logserver.example.lg.jp,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", pki.resolve("console.p12").toString(), "-storepass", PASS, "-keypass", PASS);
        keytool("-exportcert", "-alias", "console", "-keystore", pki.resolve("console.p12").toString(), "-storepass", PASS,
                "-file", pki.resolve("console.cer").toString());
        keytool("-importcert", "-noprompt", "-alias", "console", "-file", pki.resolve("console.cer").toString(), "-storetype", "PKCS12",
                "-keystore", pki.resolve("trust.p12").toString(), "-storepass", PASS);

        Path config = ConsoleTest.configWithUsers(tmp.resolve("c"));
        Path data = tmp.resolve("data");
        try (AgentHarness agent = AgentHarness.start(config, data, Map.of("http.tls.enabled", "true",
                "http.tls.keystore", pki.resolve("console.p12").toString(), "http.tls.keystore-password", PASS))) {
            int port = agent.httpPort;
            // plain HTTP on the TLS port: no page comes back
            try (Socket plain = new Socket("127.0.0.1", port)) {
                plain.setSoTimeout(5000);
                OutputStream out = plain.getOutputStream();
                out.write(("GET /login HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = plain.getInputStream();
                byte[] answer = in.readNBytes(64);
                assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("200").doesNotContain("ログイン");
            } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
                // closed or silent: as good as refused
            }

            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(KeyStore.getInstance(pki.resolve("trust.p12").toFile(), PASS.toCharArray()));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ctx).followRedirects(HttpClient.Redirect.NEVER).build();
            String base = "https://127.0.0.1:" + port;
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).contains("ログイン");
            String form = "name=tanaka&password=" + URLEncoder.encode(ConsoleTest.HANDLER_PASSWORD, StandardCharsets.UTF_8) + "&next=%2Fcases";
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Strict").contains("Secure");

            // the command line: the agent wrote where it serves and which certificate it serves with
            String endpoint = Files.readString(data.resolve(ApiToken.ENDPOINT_FILE)).strip();
            assertThat(endpoint).startsWith("https://127.0.0.1:" + port + " sha256=").matches(".* sha256=[0-9a-f]{64}");
            assertThat(cli("reload", "--config", config.toString(), "--data", data.toString())).isZero();
            // a server with another certificate on that port is not taken for the agent
            Files.writeString(data.resolve(ApiToken.ENDPOINT_FILE), endpoint.replaceAll("sha256=[0-9a-f]{64}", "sha256=" + "0".repeat(64)));
            assertThat(cli("reload", "--config", config.toString(), "--data", data.toString())).isNotZero();
            Files.writeString(data.resolve(ApiToken.ENDPOINT_FILE), endpoint);
        }
    }

    private static int cli(String... args) {
        return new CommandLine(new Main()).execute(args);
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
