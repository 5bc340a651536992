package csirt.bench.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged agent as a user runs it: {@code java $JAVA_OPTS -jar agent/target/csirt-agent.jar run}
 * with the shipped configuration, a fresh data directory, free ports on 127.0.0.1 and the local
 * SMTP sink as its mail server. JAVA_OPTS are those of the shipped systemd unit.
 */
final class AgentUnderTest implements AutoCloseable {

    private final Process process;
    private final Path data;
    private final Path log;
    private final int syslogPort;
    private final int httpPort;
    private final long readyMillis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AgentUnderTest(Process process, Path data, Path log, int syslogPort, int httpPort, long readyMillis) {
        this.process = process;
        this.data = data;
        this.log = log;
        this.syslogPort = syslogPort;
        this.httpPort = httpPort;
        this.readyMillis = readyMillis;
    }

    static AgentUnderTest start(Path repo, Path work, int smtpPort) throws Exception {
        return start(repo, work, repo.resolve("config"), smtpPort);
    }

    /** As above with another configuration directory (e.g. one with console users). */
    static AgentUnderTest start(Path repo, Path work, Path config, int smtpPort) throws Exception {
        prepareArchive(repo, config);
        return launch(repo, work, config, smtpPort, unitJavaOpts(repo));
    }

    /** Where the benchmark keeps the class-data archive the unit names (systemd/install.sh makes the installed one). */
    static Path archive(Path repo) {
        return repo.resolve("bench/target/csirt-agent.jsa");
    }

    /**
     * The unit's class-data archive, made as systemd/install.sh makes it: one start of this jar until
     * ready with -XX:ArchiveClassesAtExit, stopped. Made again whenever the jar is newer.
     */
    private static synchronized void prepareArchive(Path repo, Path config) throws Exception {
        Path jar = repo.resolve("agent/target/csirt-agent.jar");
        Path jsa = archive(repo);
        List<String> opts = new ArrayList<>(unitJavaOpts(repo));
        if (!opts.removeIf(o -> o.startsWith("-XX:SharedArchiveFile="))) {
            return;
        }
        if (Files.exists(jsa) && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            return;
        }
        Files.deleteIfExists(jsa);
        Path tmp = Files.createTempDirectory("csirt-cds-");
        opts.add("-XX:ArchiveClassesAtExit=" + jsa);
        try (AgentUnderTest a = launch(repo, tmp, config, Ports.free(), opts)) {
            a.stop();
        }
        try (java.util.stream.Stream<Path> all = Files.walk(tmp)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
        if (!Files.exists(jsa)) {
            throw new IllegalStateException("the class-data archive " + jsa + " was not written (see the training start's log)");
        }
    }

    private static AgentUnderTest launch(Path repo, Path work, Path config, int smtpPort, List<String> javaOpts) throws Exception {
        Path jar = repo.resolve("agent/target/csirt-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -B -q package -DskipTests)");
        }
        Path data = work.resolve("data");
        Path log = work.resolve("agent.log");
        int syslog = Ports.free();
        int httpPort = Ports.free();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        // extra options for profiling, e.g. -De2e.agent-opts=-XX:StartFlightRecording=filename=/tmp/agent.jfr
        for (String o : System.getProperty("e2e.agent-opts", "").trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of(
                "-Dsyslog.tcp.host=127.0.0.1", "-Dsyslog.udp.host=127.0.0.1", "-Dsyslog.tls.host=127.0.0.1",
                "-Dsyslog.tcp.port=" + syslog, "-Dsyslog.udp.port=" + syslog, "-Dsyslog.tls.port=" + Ports.free(),
                "-Dhttp.port=" + httpPort, "-Dmail.smtp.host=127.0.0.1", "-Dmail.smtp.port=" + smtpPort,
                // every sender of the benchmark is 127.0.0.1: the per-host limit (20) would refuse the 100- and 1,000-sender phases
                "-Dsyslog.tcp.max-connections-per-peer=1100", "-Dsyslog.tcp.max-connections=1100",
                "-jar", jar.toString(), "run", "--config", config.toString(), "--data", data.toString()));
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(unitEnvironment(repo));
        Process p = pb.start();
        AgentUnderTest a = null;
        long deadline = t0 + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (ready(httpPort)) {
                a = new AgentUnderTest(p, data, log, syslog, httpPort, (System.nanoTime() - t0) / 1_000_000);
                break;
            }
            Thread.sleep(10);
        }
        if (a == null) {
            p.destroyForcibly();
            throw new IllegalStateException("the agent did not become ready within 60 s; its log:\n" + Files.readString(log));
        }
        return a;
    }

    /** JAVA_OPTS as the shipped systemd unit sets them (Environment="JAVA_OPTS=..."): the default configuration. */
    static List<String> unitJavaOpts(Path repo) throws IOException {
        Matcher m = Pattern.compile("(?m)^Environment=\"JAVA_OPTS=([^\"]*)\"")
                .matcher(Files.readString(repo.resolve("systemd/csirt-agent.service")));
        List<String> opts = new ArrayList<>();
        if (m.find()) {
            for (String o : m.group(1).trim().split("\\s+")) {
                if (o.startsWith("-XX:SharedArchiveFile=")) {
                    o = "-XX:SharedArchiveFile=" + archive(repo); // the installed archive's place, here
                }
                if (!o.isEmpty()) {
                    opts.add(o);
                }
            }
        }
        return opts;
    }

    /** The other Environment="KEY=VALUE" lines of the unit (e.g. MALLOC_ARENA_MAX), set for the agent's process. */
    static java.util.Map<String, String> unitEnvironment(Path repo) throws IOException {
        Matcher m = Pattern.compile("(?m)^Environment=\"([A-Z_]+)=([^\"]*)\"")
                .matcher(Files.readString(repo.resolve("systemd/csirt-agent.service")));
        java.util.Map<String, String> env = new java.util.TreeMap<>();
        while (m.find()) {
            if (!m.group(1).equals("JAVA_OPTS")) {
                env.put(m.group(1), m.group(2));
            }
        }
        return env;
    }

    private static boolean ready(int httpPort) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", httpPort), 200);
        } catch (IOException e) {
            return false;
        }
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int httpPort() {
        return httpPort;
    }

    int syslogPort() {
        return syslogPort;
    }

    long readyMillis() {
        return readyMillis;
    }

    long pid() {
        return process.pid();
    }

    Path journalDir() {
        return data.resolve("journal");
    }

    Path log() {
        return log;
    }

    ProcStats stats() {
        return ProcStats.of(process.pid());
    }

    /** The sum of a metric's samples (all label sets) in /metrics; 0 when absent. */
    double metric(String name) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Journal records judged: a verdict or a hold for each, counted by the agent itself. */
    long judged() throws IOException, InterruptedException {
        return (long) metric("csirt_events_judged_total");
    }

    /** Batches of incidents the case stage has not applied yet. */
    long caseBacklog() throws IOException, InterruptedException {
        return (long) metric("csirt_cases_queue_batches");
    }

    long journaled() throws IOException, InterruptedException {
        return (long) metric("csirt_journal_records_total");
    }

    /** SIGTERM, as systemd stops it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
