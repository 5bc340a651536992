package csirt.agent.camel;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import csirt.agent.config.AgentConfig;

/**
 * Starts the real agent in this JVM (Camel Main with the shipped routes/ and config/) on loopback
 * ports it picks itself (port 0) and reports, and talks to it over real sockets.
 */
public final class AgentHarness implements AutoCloseable {

    /** The TCP input's port. */
    public final int syslogPort;
    public final int udpPort;
    public final int httpPort;
    public final AgentDaemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();

    private AgentHarness(AgentDaemon daemon) {
        this.daemon = daemon;
        this.syslogPort = port("syslog-tcp");
        this.udpPort = port("syslog-udp");
        this.httpPort = port("http");
    }

    /** The port an input ({@code syslog-tcp}, {@code syslog-tls}, ...) or {@code http} bound; fails when it bound none. */
    public int port(String name) {
        java.net.InetSocketAddress a = daemon.services().listening().all().get(name);
        if (a == null) {
            throw new IllegalStateException(name + " is not listening; listening: " + daemon.services().listening().all());
        }
        return a.getPort();
    }

    public static AgentHarness start(Path data, Map<String, String> extra) throws Exception {
        return start(Path.of("config"), data, extra);
    }

    /** Starts with the configuration in {@code config} (a copy of the shipped one, changed by a test). */
    public static AgentHarness start(Path config, Path data, Map<String, String> extra) throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put("syslog.tcp.host", "127.0.0.1");
        o.put("syslog.udp.host", "127.0.0.1");
        o.put("syslog.tcp.port", "0");
        o.put("syslog.udp.port", "0");
        o.put("http.port", "0");
        o.putAll(extra);
        AgentDaemon d = new AgentDaemon(AgentConfig.load(config, o), data);
        d.start();
        return new AgentHarness(d);
    }

    /**
     * A port free now, for a third-party server a test starts itself (an SMTP server, rsyslog's
     * relay) when that server cannot bind port 0 and say which it got; never for the agent's own ports.
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Sends raw bytes on one TCP connection and closes it. */
    public void tcp(String raw) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), syslogPort); OutputStream out = s.getOutputStream()) {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Frames each message with an RFC 6587 octet count. */
    public static String octetCounted(String... messages) {
        StringBuilder b = new StringBuilder();
        for (String m : messages) {
            b.append(m.getBytes(StandardCharsets.UTF_8).length).append(' ').append(m);
        }
        return b.toString();
    }

    public void udp(String message) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), udpPort));
        }
    }

    /** Copies the shipped config/ and routes/ under {@code dir}; returns the config directory. */
    /**
     * Prometheus' promtool: its path when installed; the calling test is skipped when it is not,
     * unless CSIRT_REQUIRE_PROMTOOL is set (.ci/run installs it and makes the tests mandatory).
     */
    public static String promtool() throws InterruptedException {
        String promtool = System.getenv().getOrDefault("PROMTOOL", "promtool");
        boolean present;
        try {
            present = new ProcessBuilder(promtool, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (System.getenv("CSIRT_REQUIRE_PROMTOOL") == null) {
            org.junit.jupiter.api.Assumptions.assumeTrue(present,
                    "promtool is not installed here (.ci/run installs it and makes this test mandatory)");
        }
        org.assertj.core.api.Assertions.assertThat(present).as("promtool at " + promtool).isTrue();
        return promtool;
    }

    public static Path copyShippedConfig(Path dir) throws IOException {
        copyTree(Path.of("config"), dir.resolve("config"));
        copyTree(Path.of("routes"), dir.resolve("routes"));
        return dir.resolve("config");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public String metrics() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The body of /health/ready: why the agent is not ready, if it is not. */
    public String readiness() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of one sample line of the Prometheus text, or -1 when absent. */
    public double metric(String sample) throws IOException, InterruptedException {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return -1;
    }

    /** As {@link #metric(String)}, for use inside {@link #await} conditions: -1 also when unreachable. */
    public double metricNow(String sample) {
        try {
            return metric(sample);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** True when the agent closed this connection (EOF or reset) within 5 s. */
    public static boolean closedByAgent(java.net.Socket s) throws IOException {
        s.setSoTimeout(5000);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    /** Polls until the condition holds or the timeout ends; bounded, so a test never hangs. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
