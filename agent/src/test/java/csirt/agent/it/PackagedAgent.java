package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

import csirt.agent.camel.AgentHarness;
import csirt.agent.ingest.ListeningPorts;

/** The built jar as a user runs it: the daemon as a process on loopback ports, and the command line beside it. */
final class PackagedAgent {

    /** A command's exit code and output. */
    record Run(int code, String out) {
    }

    /** One client for every request of the tests, as a scraper keeps one connection pool. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PackagedAgent() {
    }

    static Path jar() {
        return Path.of(System.getProperty("csirt.jar", "agent/target/csirt-agent.jar"));
    }

    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts `run` with the shipped config, logging (appended) to {@code log}, and waits until ready.
     * A port of 0 lets the agent pick a free one (the usual case: {@link #port} reads what it bound);
     * a test passes a port again only when a sender must find a restarted agent where it was.
     * {@code port} is the TCP input's; the UDP input takes the same number, or a free one with 0.
     */
    static Process start(Path data, Path log, int port, int http, String... jvmOptions) throws Exception {
        return start(Path.of("config"), data, log, port, http, jvmOptions);
    }

    /** As {@link #start(Path, Path, int, int, String...)}, with the configuration in {@code config}. */
    static Process start(Path config, Path data, Path log, int port, int http, String... jvmOptions) throws Exception {
        List<String> cmd = java("-Dsyslog.tcp.host=127.0.0.1", "-Dsyslog.udp.host=127.0.0.1", "-Dsyslog.tcp.port=" + port,
                "-Dsyslog.udp.port=" + port, "-Dhttp.port=" + http);
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-jar", jar().toString(), "run", "--config", config.toString(), "--data", data.toString()));
        // what an agent killed before left; the new one writes the file once its inputs are up
        Files.deleteIfExists(data.resolve(ListeningPorts.FILE));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        assertThat(AgentHarness.await(Duration.ofSeconds(60), () -> p.isAlive() && listed(data) && ready(port(data, "http"))))
                .as("ready; log:%n%s", read(log)).isTrue();
        return p;
    }

    /** The port the agent of {@code data} bound for {@code name} ({@code syslog-tcp}, {@code syslog-udp}, {@code http}, ...). */
    static int port(Path data, String name) {
        try {
            String hostPort = ListeningPorts.read(data).get(name);
            assertThat(hostPort).as("%s in %s", name, data.resolve(ListeningPorts.FILE)).isNotNull();
            return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean listed(Path data) {
        return Files.exists(data.resolve(ListeningPorts.FILE));
    }

    static boolean ready(int http) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a command of the jar to its end. */
    static Run cli(String... args) throws Exception {
        List<String> cmd = java("-jar", jar().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    /** Stops a started process as systemd would (SIGTERM, then SIGKILL after 20 s); null or gone is fine. */
    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Runs util-linux {@code logger} with these arguments; it must succeed. */
    static void logger(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("logger"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("logger %s: %s", String.join(" ", args), out).isZero();
    }

    /** One sample of the agent's /metrics on port {@code http}, or -1 when absent or unreachable. */
    static double metric(int http, String sample) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.startsWith(sample + " ")) {
                    return Double.parseDouble(line.substring(sample.length() + 1).trim());
                }
            }
            return -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** True when something accepts TCP connections on 127.0.0.1:{@code port}. */
    static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Skips the test when rsyslogd or one of its modules is missing here, unless CSIRT_REQUIRE_RSYSLOG
     * is set (.ci/run installs them and sets it): then a missing piece fails the test.
     */
    static void requireRsyslog(String module, String debianPackage) {
        boolean present = Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) && Files.exists(rsyslogModule(module));
        if (System.getenv("CSIRT_REQUIRE_RSYSLOG") == null) {
            org.junit.jupiter.api.Assumptions.assumeTrue(present,
                    "rsyslog with " + debianPackage + " is not installed here (.ci/run installs it and makes this test mandatory)");
        }
        org.assertj.core.api.Assertions.assertThat(present).as("rsyslogd and its " + module).isTrue();
    }

    /**
     * Starts rsyslogd in the foreground with the configuration in {@code work/rsyslog.conf} (pid file
     * and output beside it) and waits until it accepts connections on {@code relay}, its imtcp port.
     */
    static Process rsyslog(Path work, int relay) throws Exception {
        Process p = new ProcessBuilder("/usr/sbin/rsyslogd", "-n", "-f", work.resolve("rsyslog.conf").toString(), "-i",
                work.resolve("rsyslogd.pid").toString()).redirectErrorStream(true).redirectOutput(work.resolve("rsyslogd.out").toFile()).start();
        assertThat(AgentHarness.await(Duration.ofSeconds(20), () -> listening(relay)))
                .as("rsyslogd listening; its output:%n%s", read(work.resolve("rsyslogd.out"))).isTrue();
        return p;
    }

    /** Where Debian's rsyslog keeps a loadable module ({@code lmnsd_gtls.so}, {@code omrelp.so}), wherever the architecture put it. */
    static Path rsyslogModule(String file) {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu/rsyslog", "/usr/lib/aarch64-linux-gnu/rsyslog", "/usr/lib/rsyslog"}) {
            Path p = Path.of(dir, file);
            if (Files.exists(p)) {
                return p;
            }
        }
        return Path.of("/usr/lib/rsyslog", file);
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
