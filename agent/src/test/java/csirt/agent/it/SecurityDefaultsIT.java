package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import csirt.agent.camel.AgentHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent as shipped is closed by default: HTTP listens on 127.0.0.1 only, API writes
 * need the token, the optional inputs (TLS, RELP) open no port until configured, every file it
 * makes is its owner's only, and check-config warns when HTTP is opened to the network.
 */
class SecurityDefaultsIT {

    @TempDir
    Path tmp;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(agent);
    }

    @Test
    void out_of_the_box_the_agent_is_closed() throws Exception {
        Path data = tmp.resolve("data");
        agent = PackagedAgent.start(data, tmp.resolve("agent.log"), 0, 0);
        int http = PackagedAgent.port(data, "http");
        assertThat(csirt.agent.ingest.ListeningPorts.read(data)).as("what the agent says it listens on")
                .containsOnlyKeys("syslog-udp", "syslog-tcp", "http");

        assertThat(listening(http)).as("HTTP listens on loopback only").containsExactly("127.0.0.1");
        assertThat(listening(6514)).as("TLS input off until configured").isEmpty();
        assertThat(listening(2514)).as("RELP input off until configured").isEmpty();

        HttpClient client = HttpClient.newHttpClient();
        String token = Files.readString(data.resolve("api.token")).trim();
        for (String path : new String[] {"/reload", "/api/intake"}) {
            assertThat(post(client, http, path, null)).as("%s without a token", path).isEqualTo(401);
            assertThat(post(client, http, path, "0".repeat(token.length()))).as("%s with a wrong token", path).isEqualTo(401);
        }
        assertThat(post(client, http, "/reload", token)).as("with the token").isEqualTo(200);
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("reading metrics needs no token").isEqualTo(200);

        agent.destroy();
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> open = new ArrayList<>();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.toList()) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                        || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)
                        || p.contains(PosixFilePermission.GROUP_EXECUTE) || p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    open.add(data.relativize(f) + " " + java.nio.file.attribute.PosixFilePermissions.toString(p));
                }
            }
        }
        assertThat(open).as("files and directories others can read, write or enter").isEmpty();

        List<String> cmd = PackagedAgent.java("-Dhttp.host=0.0.0.0", "-jar", PackagedAgent.jar().toString(), "check-config", "--config", "config");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // the console on the LAN without TLS and accounts is refused, not warned about
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("http.host is 0.0.0.0 (beyond this machine) without TLS: set http.tls.enabled=true")
                .contains("lists no console user");
    }

    private static int post(HttpClient client, int http, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The local addresses with a listening TCP socket on {@code port}, from /proc/net/tcp and tcp6. */
    private static List<String> listening(int port) throws Exception {
        List<String> out = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path t = Path.of(table);
            if (!Files.exists(t)) {
                continue;
            }
            for (String line : Files.readAllLines(t).subList(1, Files.readAllLines(t).size())) {
                String[] f = line.trim().split("\\s+");
                String local = f[1];
                int p = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                if (p == port && f[3].equals("0A")) {
                    out.add(address(local.substring(0, local.indexOf(':'))));
                }
            }
        }
        return out;
    }

    private static String address(String hex) {
        if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            hex = hex.substring(24); // an IPv4-mapped IPv6 address (a JVM socket bound to 127.0.0.1)
        }
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 24) & 0xFF);
        }
        return hex.equals("00000000000000000000000000000000") ? "::" : hex;
    }
}
