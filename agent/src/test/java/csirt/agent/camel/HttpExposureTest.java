package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import csirt.agent.ApiToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP endpoint is not an open door: case data needs the token, a request for another host
 * name (DNS rebinding from a browser on the log server) is refused, and slow clients cannot make
 * health checks time out.
 */
class HttpExposureTest {

    @TempDir
    Path data;

    @Test
    void case_data_needs_the_token_foreign_host_names_are_refused_and_slow_clients_hold_nothing_up() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of())) {
            agent.tcp("<11>Nov 26 18:00:00 web01 clamd[812]: /srv/www/x.php: Php.Webshell-2 FOUND\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().cases().list().size() == 1)).isTrue();
            String token = ApiToken.read(data);

            assertThat(get(agent.httpPort, "/api/cases/C-000001", "127.0.0.1:" + agent.httpPort, null)).startsWith("HTTP/1.1 401");
            assertThat(get(agent.httpPort, "/api/cases", "localhost", null)).startsWith("HTTP/1.1 401");
            String withToken = get(agent.httpPort, "/api/cases/C-000001", "127.0.0.1:" + agent.httpPort, token);
            assertThat(withToken).startsWith("HTTP/1.1 200").contains("Php.Webshell-2");

            // a page of evil.example whose name now resolves to 127.0.0.1: refused whatever it asks for
            for (String path : new String[] {"/api/cases/C-000001", "/metrics", "/health/ready"}) {
                assertThat(get(agent.httpPort, path, "evil.example:" + agent.httpPort, token)).as(path).startsWith("HTTP/1.1 421");
            }
            assertThat(get(agent.httpPort, "/health/live", "[::1]:" + agent.httpPort, null)).startsWith("HTTP/1.1 200");

            // 200 requests, each from a new client that leaves its keep-alive connection open (a
            // scraper without a pool): idle connections are closed, the connection limit is not filled
            List<java.net.http.HttpClient> clients = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
                clients.add(c); // kept reachable, so their connections stay open on their side
                assertThat(c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + agent.httpPort
                        + "/health/live")).timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                        .statusCode()).as("request %d", i).isEqualTo(200);
            }
            assertThat(clients).hasSize(200);

            // 20 clients that send half a request and then nothing
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.httpPort);
                    s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                long start = System.nanoTime();
                assertThat(get(agent.httpPort, "/health/live", "127.0.0.1", null)).startsWith("HTTP/1.1 200");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("health answers beside slow clients").isLessThan(Duration.ofSeconds(5));
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    /** One request over a plain socket (java.net.http does not let a client set Host); the whole answer. */
    private static String get(int port, String path, String host, String token) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
