package csirt.bench.e2e;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * The end-to-end benchmark: starts the packaged agent as a user would (shipped
 * configuration, systemd unit's JAVA_OPTS, fresh data directory, a local SMTP server), drives it
 * with a realistic mix over TCP (LF and octet-counted, 1 and 8 connections) and UDP, proves from
 * the journal that every message arrived exactly once and byte for byte, then reports rates, CPU,
 * memory, notice latency and start time; the same streams go to rsyslog when it is installed.
 * When syslog-ng's loggen is there ({@link Loggen}), it sends too, one connection each: the same
 * mix read from a file, and its own 250-byte messages (LF and octet-counted), the reference.
 *
 * <p>Run from the repository root: {@code bench/e2e [--runs 3] [--messages 1000000] [--warmup 3000000] [--warmup-max 8000000]
 * [--udp-rate 50000] [--udp-seconds 10] [--latency-rate 125000] [--latency-seconds 10]
 * [--no-rsyslog] [--no-loggen] [--keep]}; the work directory (about 3 GB per run) is deleted unless --keep.
 */
public final class EndToEnd {

    private static final Pattern PROBE = Pattern.compile("Bench\\.Probe-(\\d+)");

    private final Path repo = Path.of("").toAbsolutePath();
    private final Map<String, String> opts;
    private final long messages;
    private final int runs;
    private final Stream stream = new Stream(100_000, 20261126L);
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, List<Double>> agentFacts = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    /** One measured phase of one run. */
    record Row(int run, String system, String phase, long sent, long received, long bytes, double seconds, double cpuSeconds,
               long peakRssKib) {
        double rate() {
            return received / seconds;
        }

        double cpuPerMillion() {
            return cpuSeconds / (received / 1e6);
        }
    }

    private final Loggen loggen;
    private Path poolFile;

    private EndToEnd(Map<String, String> opts) {
        this.opts = opts;
        this.loggen = opts.containsKey("no-loggen") ? null : Loggen.find(repo);
        this.messages = Long.parseLong(opts.getOrDefault("messages", "1000000"));
        this.runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + a + " (see the class comment of " + EndToEnd.class.getName() + ")");
            }
            if (a.equals("--no-rsyslog") || a.equals("--no-loggen") || a.equals("--keep")) {
                opts.put(a.substring(2), "true");
            } else {
                opts.put(a.substring(2), args[++i]);
            }
        }
        EndToEnd e = new EndToEnd(opts);
        String report = e.run();
        System.out.println(report);
        Path out = e.repo.resolve("bench/target/e2e-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.err.println("report written to " + out);
        System.exit(e.problems.isEmpty() ? 0 : 1);
    }

    private static void say(String fmt, Object... args) {
        System.err.printf(Locale.ROOT, "[e2e] " + fmt + "%n", args);
    }

    private String run() throws Exception {
        boolean withRsyslog = !opts.containsKey("no-rsyslog") && RsyslogUnderTest.installed();
        if (!withRsyslog && !opts.containsKey("no-rsyslog")) {
            say("rsyslogd is not installed (/usr/sbin/rsyslogd): no side-by-side run; install it with: apt-get install -y rsyslog");
        }
        if (loggen == null && !opts.containsKey("no-loggen")) {
            say("loggen is not there (bench/target/loggen or /usr/bin/loggen): no loggen phases; bench/e2e unpacks it from Debian's syslog-ng-core");
        }
        Path base = Files.createTempDirectory("csirt-e2e-");
        poolFile = base.resolve("mix.txt");
        stream.writePool(poolFile);
        say("work directory %s; %d runs of %,d messages per TCP phase; JAVA_OPTS %s", base, runs, messages,
                AgentUnderTest.unitJavaOpts(repo));
        boolean keep = opts.containsKey("keep");
        try {
            for (int run = 1; run <= runs; run++) {
                runAgent(run, base.resolve("run-" + run + "/agent"));
                if (withRsyslog) {
                    runRsyslog(run, base.resolve("run-" + run + "/rsyslog"));
                }
                if (!keep) {
                    // a run writes about 2.5 GB (the journal and rsyslog's file): gone once verified
                    delete(base.resolve("run-" + run));
                }
            }
        } finally {
            if (!keep) {
                delete(base);
            }
        }
        return Report.render(this.repo, opts, stream, rows, agentFacts, problems, withRsyslog, runs,
                loggen == null ? null : loggen.version());
    }

    /** The JIT counts as done compiling the hot path when its threads used less than this share of a warm-up step. */
    private static final double COMPILING_QUIET = 0.10;

    private static final String[][] TCP_PHASES = {
            {"tcp-lf-1", "1", "lf"}, {"tcp-octet-1", "1", "octet"}, {"tcp-lf-8", "8", "lf"}, {"tcp-octet-8", "8", "octet"},
            {"tcp-lf-100", "100", "lf"}, {"tcp-lf-1000", "1000", "lf"}};

    /** loggen's phases: the mix from a file (LF), its own 250-byte messages over LF and octet-counted (RFC 5424, -P). */
    static final String[] LOGGEN_PHASES = {"loggen-mix-lf-1", "loggen-250-lf-1", "loggen-250-octet-1"};

    private List<String> loggenArgs(String phase) {
        return switch (phase) {
            case "loggen-mix-lf-1" -> List.of("--read-file", poolFile.toString(), "--dont-parse", "--loop-reading");
            case "loggen-250-lf-1" -> List.of("--size", "250");
            case "loggen-250-octet-1" -> List.of("--syslog-proto", "--size", "250");
            default -> throw new IllegalArgumentException(phase);
        };
    }

    private long loggenBytes(String phase) {
        return phase.equals("loggen-mix-lf-1") ? bytes(0, messages) : 250 * messages;
    }

    /** Runs loggen's phases against one receiver; {@code received} counts what it has taken so far (judged, or lines written). */
    private List<Verification.Tally> loggenPhases(int run, String system, int port, Count received, Count backlog,
                                                  java.util.function.Supplier<ProcStats> stats, Verification v) throws Exception {
        List<Verification.Tally> tallies = new ArrayList<>();
        if (loggen == null) {
            return tallies;
        }
        for (String phase : LOGGEN_PHASES) {
            long before = received.get();
            ProcStats s0 = stats.get();
            long t0 = System.nanoTime();
            String said = loggen.send(port, messages, loggenArgs(phase));
            long got = awaitCount(() -> received.get() - before, messages, 30_000);
            awaitCount(() -> backlog.get() == 0 ? 1 : 0, 1, 30_000);
            double secs = (System.nanoTime() - t0) / 1e9;
            ProcStats s1 = stats.get();
            say("run %d %s %s: loggen says: %s", run, system, phase, said);
            record(new Row(run, system, phase, messages, got, loggenBytes(phase), secs, s1.cpuSecondsSince(s0), s1.peakRssKib()));
            if (v != null) {
                // loggen's own messages are checked by their seq numbers, the mix byte for byte
                tallies.add(v.expectFromUnknownPort(new Senders.Sent("tcp", -1, 0, messages),
                        phase.equals("loggen-mix-lf-1") ? stream::line : null));
            }
        }
        return tallies;
    }

    private void runAgent(int run, Path work) throws Exception {
        Files.createDirectories(work);
        Map<String, List<Senders.Sent>> manySenders = new LinkedHashMap<>();
        try (SmtpSink smtp = new SmtpSink(); AgentUnderTest agent = AgentUnderTest.start(repo, work, smtp.port())) {
            say("run %d: agent ready in %d ms (pid %d)", run, agent.readyMillis(), agent.pid());
            fact("ready ms", agent.readyMillis());
            Verification v = new Verification();
            List<Senders.Sent> tcpSent = new ArrayList<>();
            long first = 0;
            // warm-up, verified like the rest but not measured: the JIT compiles the hot path, and
            // the cases a realistic stream opens exist, as on a server that has been running. It
            // lasts at least --warmup messages, then goes on in steps of a million until the JIT
            // compiler threads used under 10 % of a step's time (C2 was still compiling for seconds
            // after two million, and the first measured phase paid for it), at most --warmup-max.
            // C2 never goes fully quiet here (it recompiles after deoptimizations for a long time).
            long warmup = Long.parseLong(opts.getOrDefault("warmup", "3000000"));
            long warmupMax = Long.parseLong(opts.getOrDefault("warmup-max", "8000000"));
            long warmed = 0;
            double compilingShare = Double.NaN;
            while (warmup > 0 && warmed < warmupMax) {
                long step = Math.min(warmed < warmup ? warmup - warmed : 1_000_000, warmupMax - warmed);
                long before = agent.judged();
                double c0 = ProcStats.compilerCpuSeconds(agent.pid());
                long t0 = System.nanoTime();
                List<Senders.Sent> sent = Senders.tcp(agent.syslogPort(), stream, first, step, 1, false, 0);
                awaitCount(() -> agent.judged() - before, step, 30_000);
                awaitCount(() -> agent.caseBacklog() == 0 ? 1 : 0, 1, 30_000);
                compilingShare = (ProcStats.compilerCpuSeconds(agent.pid()) - c0) / ((System.nanoTime() - t0) / 1e9);
                sent.forEach(x -> v.expect(x, stream::line));
                tcpSent.addAll(sent);
                first += step;
                warmed += step;
                if (compilingShare < COMPILING_QUIET) {
                    break;
                }
            }
            if (warmup > 0) {
                say("run %d: warm-up of %,d messages; JIT compiler threads busy %.0f %% of the last step", run, warmed, 100 * compilingShare);
                fact("warm-up messages", warmed);
                if (compilingShare >= COMPILING_QUIET) {
                    say("run %d: the JIT was still compiling after the longest warm-up (--warmup-max): the first phase pays for it", run);
                }
            }
            for (String[] p : TCP_PHASES) {
                long before = agent.judged();
                ProcStats s0 = agent.stats();
                long t0 = System.nanoTime();
                List<Senders.Sent> sent = Senders.tcp(agent.syslogPort(), stream, first, messages, Integer.parseInt(p[1]),
                        p[2].equals("octet"), 0);
                long got = awaitCount(() -> agent.judged() - before, messages, 30_000);
                // done when judged and the incidents of the phase are applied to the cases
                awaitCount(() -> agent.caseBacklog() == 0 ? 1 : 0, 1, 30_000);
                double secs = (System.nanoTime() - t0) / 1e9;
                ProcStats s1 = agent.stats();
                record(new Row(run, "agent", p[0], messages, got, bytes(first, messages), secs, s1.cpuSecondsSince(s0), s1.peakRssKib()));
                if (sent.size() > 1) {
                    manySenders.put(p[0], sent);
                }
                sent.forEach(s -> v.expect(s, stream::line));
                tcpSent.addAll(sent);
                first += messages;
            }
            List<Verification.Tally> loggenSent = loggenPhases(run, "agent", agent.syslogPort(), agent::judged, agent::caseBacklog,
                    agent::stats, v);
            // UDP at fixed rates: loss is what the journal lacks, and the kernel's own count
            List<Senders.Sent> udpSent = new ArrayList<>();
            for (long udpRate : udpRates()) {
                long udpN = udpRate * Long.parseLong(opts.getOrDefault("udp-seconds", "10"));
                String phase = "udp-" + udpRate / 1000 + "k";
                double dropsBefore = agent.metric("csirt_udp_receive_drops_total");
                long before = agent.judged();
                ProcStats s0 = agent.stats();
                long t0 = System.nanoTime();
                Senders.Sent udp = Senders.udp(agent.syslogPort(), stream, first, udpN, udpRate);
                double sendSecs = (System.nanoTime() - t0) / 1e9;
                long got = awaitCount(() -> agent.judged() - before, udpN, 3_000);
                ProcStats s1 = agent.stats();
                record(new Row(run, "agent", phase, udpN, got, bytes(first, udpN), sendSecs, s1.cpuSecondsSince(s0), s1.peakRssKib()));
                fact(phase + " kernel drops", agent.metric("csirt_udp_receive_drops_total") - dropsBefore);
                v.expect(udp, stream::line);
                udpSent.add(udp);
                first += udpN;
            }
            latency(run, agent, smtp, v, first);
            long judged = agent.judged();
            long journaled = agent.journaled();
            fact("peak RSS MiB", agent.stats().peakRssKib() / 1024.0);
            int exit = agent.stop();
            if (exit != 0) {
                problems.add("run " + run + ": the agent exited with " + exit + " on SIGTERM (log: " + agent.log() + ")");
            }
            if (judged != journaled) {
                problems.add("run " + run + ": " + journaled + " records journaled but " + judged + " judged");
            }
            fact("verdicts missing", journaled - judged);
            v.read(agent.journalDir());
            manySenders.forEach((phase, sent) -> fact("fair share " + phase + " (p10/p90 completion)", v.fairness(sent)));
            long tcpProblems = v.problems(tcpSent);
            for (Verification.Tally t : loggenSent) {
                tcpProblems += t.lost() + t.mismatched + t.extra;
            }
            fact("tcp messages lost or altered", tcpProblems);
            if (tcpProblems > 0) {
                problems.add("run " + run + ": " + tcpProblems + " TCP messages not in the journal exactly once as sent");
            }
            for (Senders.Sent udp : udpSent) {
                Verification.Tally u = v.of(udp);
                fact("udp-" + udp.count() / Long.parseLong(opts.getOrDefault("udp-seconds", "10")) / 1000 + "k lost", u.lost());
                if (u.mismatched + u.extra > 0) {
                    problems.add("run " + run + ": " + (u.mismatched + u.extra) + " UDP records altered or duplicated");
                }
            }
            notices(run, smtp, v);
        }
    }

    /**
     * Alerts that each open a new level-2 case (antivirus detection on a server, AV-021, a new
     * signature each) sent every 100 ms on their own connection while a paced stream runs: from
     * receipt (the journal's time) to the SMTP server's acceptance of the notice.
     */
    private int probes;

    private void latency(int run, AgentUnderTest agent, SmtpSink smtp, Verification v, long first) throws Exception {
        long rate = Long.parseLong(opts.getOrDefault("latency-rate", "125000"));
        int secs = Integer.parseInt(opts.getOrDefault("latency-seconds", "10"));
        long n = rate * secs;
        probes = secs * 10;
        long before = agent.judged();
        List<Senders.Sent> background = Collections.synchronizedList(new ArrayList<>());
        Thread load = new Thread(() -> {
            try {
                background.addAll(Senders.tcp(agent.syslogPort(), stream, first, n, 1, false, rate));
            } catch (Exception e) {
                problems.add("run " + run + ": paced stream failed: " + e);
            }
        });
        load.start();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", agent.syslogPort()));
            OutputStream out = s.getOutputStream();
            long t0 = System.nanoTime();
            for (int k = 0; k < probes; k++) {
                out.write(probe(k));
                out.write('\n');
                out.flush();
                Senders.pace(t0, k + 1, 10);
            }
            v.expectProbes(new Senders.Sent("tcp", s.getLocalPort(), 0, probes), EndToEnd::probe);
            load.join();
            long got = awaitCount(() -> agent.judged() - before, n + probes, 30_000);
            background.forEach(b -> v.expect(b, stream::line));
            if (got < n + probes) {
                problems.add("run " + run + ": paced stream: " + got + " of " + (n + probes) + " judged");
            }
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && probesNoticed(smtp).size() < probes) {
            Thread.sleep(100);
        }
    }

    static byte[] probe(long k) {
        return ("<11>Nov 26 18:00:00 web01 clamd[812]: /srv/www/upload/probe-" + k + ".php: Bench.Probe-" + k + " FOUND")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Probe number → when the SMTP server accepted the first notice that names it. */
    private static Map<Long, Long> probesNoticed(SmtpSink smtp) throws Exception {
        Map<Long, Long> at = new TreeMap<>();
        Session session = Session.getInstance(new Properties());
        for (SmtpSink.Accepted a : smtp.accepted()) {
            MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(a.raw()));
            Matcher x = PROBE.matcher(m.getSubject() + "\n" + text(m));
            if (x.find()) {
                at.merge(Long.parseLong(x.group(1)), a.atMillis(), Math::min);
            }
        }
        return at;
    }

    private static String text(Part p) throws Exception {
        Object c = p.getContent();
        if (c instanceof String s) {
            return s;
        }
        if (c instanceof Multipart mp) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < mp.getCount(); i++) {
                sb.append(text(mp.getBodyPart(i))).append('\n');
            }
            return sb.toString();
        }
        return "";
    }

    private void notices(int run, SmtpSink smtp, Verification v) throws Exception {
        Map<Long, Long> accepted = probesNoticed(smtp);
        List<Double> ms = new ArrayList<>();
        for (Map.Entry<Long, Instant> e : v.probeReceipts.entrySet()) {
            Long at = accepted.get(e.getKey());
            if (at != null) {
                ms.add((double) (at - e.getValue().toEpochMilli()));
            }
        }
        Collections.sort(ms);
        if (ms.size() < probes) {
            problems.add("run " + run + ": " + (probes - ms.size()) + " of " + probes + " alerts got no notice within 60 s");
        }
        if (!ms.isEmpty()) {
            fact("notice latency p50 ms", Report.percentile(ms, 50));
            fact("notice latency p99 ms", Report.percentile(ms, 99));
            fact("notice latency max ms", ms.get(ms.size() - 1));
        }
        say("run %d: %d notices for %d alerts; latency p50 %.0f ms, p99 %.0f ms", run, ms.size(), probes,
                ms.isEmpty() ? Double.NaN : Report.percentile(ms, 50), ms.isEmpty() ? Double.NaN : Report.percentile(ms, 99));
    }

    private void runRsyslog(int run, Path work) throws Exception {
        try (RsyslogUnderTest r = RsyslogUnderTest.start(work)) {
            long first = 0;
            for (String[] p : TCP_PHASES) {
                long before = r.lines();
                ProcStats s0 = r.stats();
                long t0 = System.nanoTime();
                Senders.tcp(r.port(), stream, first, messages, Integer.parseInt(p[1]), p[2].equals("octet"), 0);
                long got = awaitCount(() -> r.lines() - before, messages, 30_000);
                double secs = (System.nanoTime() - t0) / 1e9;
                ProcStats s1 = r.stats();
                record(new Row(run, "rsyslog", p[0], messages, got, bytes(first, messages), secs, s1.cpuSecondsSince(s0), s1.peakRssKib()));
                first += messages;
            }
            loggenPhases(run, "rsyslog", r.port(), r::lines, () -> 0L, r::stats, null);
            for (long udpRate : udpRates()) {
                long udpN = udpRate * Long.parseLong(opts.getOrDefault("udp-seconds", "10"));
                long before = r.lines();
                ProcStats s0 = r.stats();
                long t0 = System.nanoTime();
                Senders.udp(r.port(), stream, first, udpN, udpRate);
                double sendSecs = (System.nanoTime() - t0) / 1e9;
                long got = awaitCount(() -> r.lines() - before, udpN, 3_000);
                ProcStats s1 = r.stats();
                record(new Row(run, "rsyslog", "udp-" + udpRate / 1000 + "k", udpN, got, bytes(first, udpN), sendSecs, s1.cpuSecondsSince(s0),
                        s1.peakRssKib()));
                first += udpN;
            }
        }
    }

    /** The UDP phases' rates: --udp-rate (50,000) and twice it, 10 s each (--udp-seconds). */
    private List<Long> udpRates() {
        long rate = Long.parseLong(opts.getOrDefault("udp-rate", "50000"));
        return List.of(rate, 2 * rate);
    }

    /** How often progress is read (a /metrics scrape for the agent): often enough for ±2 % on a 5 s phase, rarely enough to cost nothing. */
    private static final long POLL_MILLIS = Long.getLong("e2e.poll-ms", 50);

    private static void delete(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private interface Count {
        long get() throws Exception;
    }

    /** Polls until {@code count} reaches {@code target}, or it made no progress for {@code stallMillis}; returns the last count. */
    private static long awaitCount(Count count, long target, long stallMillis) throws Exception {
        long last = -1;
        long lastChange = System.currentTimeMillis();
        while (true) {
            long c = count.get();
            if (c >= target) {
                return c;
            }
            if (c != last) {
                last = c;
                lastChange = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastChange > stallMillis) {
                return c;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private long bytes(long first, long n) {
        long b = 0;
        for (long i = first; i < first + n; i++) {
            b += stream.line(i).length;
        }
        return b;
    }

    private void record(Row r) {
        rows.add(r);
        say("run %d %-7s %-12s %,9d of %,9d in %6.2f s = %,9.0f msg/s, %6.1f MB/s, CPU %5.2f s/M, peak RSS %,d MiB", r.run(), r.system(),
                r.phase(), r.received(), r.sent(), r.seconds(), r.rate(), r.bytes() / r.seconds() / 1e6, r.cpuPerMillion(),
                r.peakRssKib() / 1024);
        if (r.received() < r.sent() && r.phase().startsWith("tcp")) {
            problems.add("run " + r.run() + ": " + r.system() + " " + r.phase() + " took " + r.received() + " of " + r.sent());
        }
    }

    private void fact(String name, double value) {
        agentFacts.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
}
