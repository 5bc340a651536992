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
            List<String> phases = new ArrayList<>(List.of("tcp-lf-1", "tcp-octet-1", "tcp-lf-8", "tcp-octet-8"));
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
        // the issue's ratio was set with loggen as the sender (rsyslog ~450k/s); the in-repo sender
        // is several times faster than loggen, so rsyslog's own ceiling shows there: both are reported
        for (String phase : List.of("loggen-mix-lf-1", "tcp-lf-1", "tcp-octet-1")) {
            Double r = ratio.get(phase);
            List<Double> rates = values(groups.getOrDefault(phase + "|agent", List.of()), EndToEnd.Row::rate);
            if (rates.isEmpty()) {
                continue;
            }
            List<Double> reference = values(groups.getOrDefault(phase + "|rsyslog", List.of()), EndToEnd.Row::rate);
            target(sb, r != null ? r >= 0.6 : null, String.format(Locale.ROOT,
                    "TCP, one connection, mixed traffic (%s, sent by %s): agent ≥ 0.6 × rsyslog — ratio %s, agent median %,.0f msg/s, rsyslog %s",
                    phase, phase.startsWith("loggen") ? "loggen" : "the in-repo sender", r == null ? "n/a" : String.format(Locale.ROOT, "%.2f", r),
                    median(rates), reference.isEmpty() ? "not run" : String.format(Locale.ROOT, "%,.0f msg/s", median(reference))));
            target(sb, median(rates) >= 250_000, String.format(Locale.ROOT,
                    "TCP, one connection, mixed traffic (%s): ≥ 250,000 msg/s (the issue's \"about 250,000\") — agent median %,.0f, slowest run %,.0f",
                    phase, median(rates), Collections.min(rates)));
        }
        target(sb, sum(facts.get("tcp messages lost or altered")) == 0, "TCP zero loss (journal checked byte for byte, every connection, in order)");
        target(sb, sum(facts.get("udp lost")) == 0, String.format(Locale.ROOT, "UDP at %s/s: zero loss — lost per run %s, kernel drops %s",
                opts.getOrDefault("udp-rate", "50000"), join(facts.getOrDefault("udp lost", List.of())),
                join(facts.getOrDefault("udp kernel drops", List.of()))));
        double p99 = max(facts.get("notice latency p99 ms"));
        target(sb, p99 < 1000, String.format(Locale.ROOT, "notice p99 < 1 s at %s msg/s — worst run %.0f ms", opts.getOrDefault("latency-rate", "125000"), p99));
        double rssMax = max(facts.get("peak RSS MiB"));
        target(sb, rssMax < 400, String.format(Locale.ROOT, "peak RSS < 400 MiB — worst run %.0f MiB", rssMax));
        double ready = max(facts.get("ready ms"));
        target(sb, ready <= 2000, String.format(Locale.ROOT, "ready ≤ 2 s after start — worst run %.0f ms", ready));
        target(sb, sum(facts.get("verdicts missing")) == 0, "every journaled record judged (csirt_events_judged_total = csirt_journal_records_total)");
        if (!problems.isEmpty()) {
            sb.append("\n## Problems\n");
            problems.forEach(p -> sb.append("- ").append(p).append("\n"));
        }
        return sb.toString();
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
