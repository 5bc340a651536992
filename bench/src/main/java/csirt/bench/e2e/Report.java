package csirt.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The benchmark's report: the machine, medians and spread over the runs, ratios to rsyslog, the throughput and latency targets. */
final class Report {

    private Report() {
    }

    static String render(Path repo, Map<String, String> opts, Stream stream, List<EndToEnd.Row> rows, Map<String, List<Double>> facts,
                         List<String> problems, boolean withRsyslog, int runs, String loggenVersion) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# csirt-agent end-to-end benchmark, ").append(java.time.Instant.now()).append("\n\n");
        sb.append("Machine: ").append(machine()).append("\n");
        sb.append("Agent JVM options (systemd unit): ").append(AgentUnderTest.unitJavaOpts(repo)).append(" ")
                .append(AgentUnderTest.unitEnvironment(repo)).append("; Java ")
                .append(System.getProperty("java.version")).append("\n");
        if (withRsyslog) {
            sb.append("Reference: ").append(rsyslogVersion()).append(", imtcp/imudp → omfile\n");
        }
        if (loggenVersion != null) {
            sb.append("Second sender: ").append(loggenVersion).append(", one connection: the mix from a file (loggen-mix), its own 250-byte messages (loggen-250)\n");
        }
        sb.append(String.format(Locale.ROOT, "Stream: the realistic mix (bench Traffic), %,d distinct lines, mean %.0f bytes; options %s; %d runs%n%n",
                100_000, stream.meanBytes(), opts, runs));
        sb.append("| phase | system | msg/s per run | median msg/s | spread | MB/s | CPU s per M msgs | received/sent (last run) |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|\n");
        Map<String, List<EndToEnd.Row>> groups = new LinkedHashMap<>();
        for (EndToEnd.Row r : rows) {
            groups.computeIfAbsent(r.phase() + "|" + r.system(), k -> new ArrayList<>()).add(r);
        }
        List<String> keys = new ArrayList<>(groups.keySet());
        Collections.sort(keys);
        for (String k : keys) {
            List<EndToEnd.Row> g = groups.get(k);
            EndToEnd.Row last = g.get(g.size() - 1);
            List<Double> rates = values(g, EndToEnd.Row::rate);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | **%,.0f** | %,.0f–%,.0f | %.1f | %.2f | %,d/%,d |%n", last.phase(), last.system(),
                    join(rates), median(rates), Collections.min(rates), Collections.max(rates),
                    median(values(g, r -> r.bytes() / r.seconds() / 1e6)), median(values(g, EndToEnd.Row::cpuPerMillion)),
                    last.received(), last.sent()));
        }
        sb.append("\n");
        Map<String, Double> ratio = new LinkedHashMap<>();
        if (withRsyslog) {
            sb.append("Agent / rsyslog (median of the per-run ratios):");
            List<String> phases = new ArrayList<>(List.of("tcp-lf-1", "tcp-octet-1", "tcp-lf-8", "tcp-octet-8", "tcp-lf-100", "tcp-lf-1000"));
            phases.addAll(List.of(EndToEnd.LOGGEN_PHASES));
            for (String phase : phases) {
                List<Double> rs = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    EndToEnd.Row a = find(rows, run, "agent", phase);
                    EndToEnd.Row b = find(rows, run, "rsyslog", phase);
                    if (a != null && b != null) {
                        rs.add(a.rate() / b.rate());
                    }
                }
                if (!rs.isEmpty()) {
                    ratio.put(phase, median(rs));
                    sb.append(String.format(Locale.ROOT, " %s **%.2f** (%s);", phase, median(rs), join2(rs)));
                }
            }
            sb.append("\n\n");
            List<Double> rss = new ArrayList<>();
            for (EndToEnd.Row r : rows) {
                if (r.system().equals("rsyslog")) {
                    rss.add(r.peakRssKib() / 1024.0);
                }
            }
            sb.append(String.format(Locale.ROOT, "rsyslog peak RSS: %.0f MiB%n%n", Collections.max(rss)));
        }
        sb.append("| agent | per run | median |\n|---|---|---:|\n");
        for (Map.Entry<String, List<Double>> e : facts.entrySet()) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f |%n", e.getKey(), join(e.getValue()), median(e.getValue())));
        }
        sb.append("\n## Targets\n");
        // ratios to rsyslog in the same run: absolute figures differ by 2x between machines of this kind
        for (String phase : List.of("tcp-lf-1", "tcp-octet-1", "loggen-mix-lf-1")) {
            Double r = ratio.get(phase);
            List<Double> rates = values(groups.getOrDefault(phase + "|agent", List.of()), EndToEnd.Row::rate);
            if (rates.isEmpty()) {
                continue;
            }
            List<Double> reference = values(groups.getOrDefault(phase + "|rsyslog", List.of()), EndToEnd.Row::rate);
            target(sb, r != null ? r >= 0.6 : null, String.format(Locale.ROOT,
                    "TCP, one connection, the mix (%s): agent ≥ 0.6 × rsyslog's rate — ratio %s, agent median %,.0f msg/s, rsyslog %s",
                    phase, r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r), median(rates),
                    reference.isEmpty() ? "not run" : String.format(Locale.ROOT, "%,.0f msg/s", median(reference))));
            if (!phase.startsWith("loggen")) {
                Double cpu = cpuRatio(rows, runs, phase);
                target(sb, cpu != null ? cpu <= 2.5 : null, String.format(Locale.ROOT,
                        "TCP, one connection (%s): agent ≤ 2.5 × rsyslog's CPU per message — %s", phase,
                        cpu == null ? "n/a" : String.format(Locale.ROOT, "%.1f × (agent %.2f µs, rsyslog %.2f µs)", cpu,
                                median(values(groups.get(phase + "|agent"), EndToEnd.Row::cpuPerMillion)),
                                median(values(groups.get(phase + "|rsyslog"), EndToEnd.Row::cpuPerMillion)))));
            }
        }
        for (String many : List.of("tcp-lf-8", "tcp-lf-100", "tcp-lf-1000")) {
            List<Double> one = values(groups.getOrDefault("tcp-lf-1|agent", List.of()), EndToEnd.Row::rate);
            List<Double> n = values(groups.getOrDefault(many + "|agent", List.of()), EndToEnd.Row::rate);
            if (!one.isEmpty() && !n.isEmpty()) {
                double q = median(n) / median(one);
                target(sb, q >= 1.0, String.format(Locale.ROOT, "%s senders no slower than one — %,.0f against %,.0f msg/s (%.2f); fair share %s",
                        many.substring(7), median(n), median(one), q, join2(facts.getOrDefault("fair share " + many + " (p10/p90 completion)",
                                List.of()))));
            }
        }
        target(sb, sum(facts.get("tcp messages lost or altered")) == 0, "TCP zero loss (journal checked byte for byte, every connection, in order)");
        long udpRate = Long.parseLong(opts.getOrDefault("udp-rate", "50000"));
        for (long rate : List.of(udpRate, 2 * udpRate)) {
            String phase = "udp-" + rate / 1000 + "k";
            target(sb, sum(facts.get(phase + " lost")) == 0, String.format(Locale.ROOT, "UDP at %,d/s for 10 s: zero loss — lost per run %s, kernel drops %s",
                    rate, join(facts.getOrDefault(phase + " lost", List.of())), join(facts.getOrDefault(phase + " kernel drops", List.of()))));
        }
        Double udpCpu = cpuRatio(rows, runs, "udp-" + udpRate / 1000 + "k");
        target(sb, udpCpu != null ? udpCpu <= 1.5 : null, String.format(Locale.ROOT, "UDP: agent ≤ 1.5 × rsyslog's CPU per datagram — %s",
                udpCpu == null ? "n/a" : String.format(Locale.ROOT, "%.1f ×", udpCpu)));
        double p99 = max(facts.get("notice latency p99 ms"));
        target(sb, p99 <= 100, String.format(Locale.ROOT, "notice p99 ≤ 100 ms at %s msg/s — worst run %.0f ms", opts.getOrDefault("latency-rate", "125000"), p99));
        double rssMax = max(facts.get("peak RSS MiB"));
        target(sb, rssMax <= 256, String.format(Locale.ROOT, "peak RSS ≤ 256 MiB — worst run %.0f MiB", rssMax));
        double ready = max(facts.get("ready ms"));
        target(sb, ready <= 1000, String.format(Locale.ROOT, "ready ≤ 1 s after start — worst run %.0f ms", ready));
        target(sb, sum(facts.get("verdicts missing")) == 0, "every journaled record judged (csirt_events_judged_total = csirt_journal_records_total)");
        if (!problems.isEmpty()) {
            sb.append("\n## Problems\n");
            problems.forEach(p -> sb.append("- ").append(p).append("\n"));
        }
        return sb.toString();
    }

    /** The median over runs of the agent's CPU per message over rsyslog's in one phase, or null without rsyslog. */
    private static Double cpuRatio(List<EndToEnd.Row> rows, int runs, String phase) {
        List<Double> rs = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            EndToEnd.Row a = find(rows, run, "agent", phase);
            EndToEnd.Row b = find(rows, run, "rsyslog", phase);
            if (a != null && b != null && b.cpuPerMillion() > 0) {
                rs.add(a.cpuPerMillion() / b.cpuPerMillion());
            }
        }
        return rs.isEmpty() ? null : median(rs);
    }

    private static void target(StringBuilder sb, Boolean met, String text) {
        sb.append("- [").append(met == null ? "n/a" : met ? "met" : "NOT MET").append("] ").append(text).append("\n");
    }

    private static EndToEnd.Row find(List<EndToEnd.Row> rows, int run, String system, String phase) {
        for (EndToEnd.Row r : rows) {
            if (r.run() == run && r.system().equals(system) && r.phase().equals(phase)) {
                return r;
            }
        }
        return null;
    }

    private static List<Double> values(List<EndToEnd.Row> rows, ToDoubleFunction<EndToEnd.Row> f) {
        List<Double> out = new ArrayList<>();
        rows.forEach(r -> out.add(f.applyAsDouble(r)));
        return out;
    }

    static double percentile(List<Double> sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double sum(List<Double> v) {
        return v == null ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double max(List<Double> v) {
        return v == null || v.isEmpty() ? Double.NaN : Collections.max(v);
    }

    private static String join(List<Double> v) {
        List<String> s = new ArrayList<>();
        v.forEach(d -> s.add(String.format(Locale.ROOT, "%,.0f", d)));
        return String.join(" / ", s);
    }

    private static String join2(List<Double> v) {
        List<String> s = new ArrayList<>();
        v.forEach(d -> s.add(String.format(Locale.ROOT, "%.2f", d)));
        return String.join(" / ", s);
    }

    private static String machine() {
        String cpu = "?";
        String mem = "?";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal")) {
                    mem = (Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024) + " GiB";
                }
            }
            return String.format(Locale.ROOT, "%d cores (%s), %s RAM, Linux %s", Runtime.getRuntime().availableProcessors(), cpu, mem,
                    Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors() + " cores";
        }
    }

    private static String rsyslogVersion() {
        try {
            Process p = new ProcessBuilder(RsyslogUnderTest.RSYSLOGD.toString(), "-v").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("rsyslogd");
            p.waitFor();
            return first.replaceAll("\\s*\\(aka.*", "").trim();
        } catch (IOException | InterruptedException e) {
            return "rsyslogd";
        }
    }
}
