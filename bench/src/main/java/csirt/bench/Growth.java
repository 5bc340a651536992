package csirt.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import csirt.agent.config.AgentConfig;
import csirt.agent.journal.Journal;
import csirt.agent.journal.JournalEntry;
import csirt.agent.journal.JournalVerifier;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.TriageState;

/**
 * How the agent's costs grow (README, "Benchmark"): triage throughput with the shipped criteria and
 * with 10 and 100 times as many (generated look-alikes with distinct literals, shaped as the shipped
 * ones: a message regex, an application and a regex, a signature list, a product's alert kind); the
 * judge's memory, throughput and triage-state save time at 10,000, 100,000 and 1,000,000 distinct
 * window keys (brute-force sources); and the journal's append rate and {@code evidence verify} time
 * per GB. One thread, the engine as the live judge runs it (facts for incidents only). Prints
 * Markdown tables; run from the repository root: {@code bench/growth}.
 */
public final class Growth {

    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

    private Growth() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        StringBuilder report = new StringBuilder();
        report.append("Growth benchmark, ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append("\n\n");
        report.append(criteria(quick)).append('\n').append(state(quick)).append('\n').append(journal(quick));
        System.out.println(report);
        Path out = Path.of("bench", "target", "growth-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    }

    // ---- criteria

    private static String criteria(boolean quick) throws Exception {
        StringBuilder t = new StringBuilder("| criteria | events/s (median of 5 × 2 s) | × shipped |\n|---|---:|---:|\n");
        List<Event> events = parsed(Traffic.lines(200_000, 42));
        double shipped = 0;
        for (int factor : new int[] {1, 10, 100}) {
            Path dir = Files.createTempDirectory("csirt-growth-config");
            try {
                copy(Path.of("config"), dir);
                // the copy's routes are the repository's (relative paths resolve against the configuration directory)
                Files.writeString(dir.resolve("application.properties"), "\nroutes.dir=" + Path.of("routes").toAbsolutePath() + "\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                AgentConfig base = AgentConfig.load(dir);
                int n = base.criteria().criteria().size();
                if (factor > 1) {
                    LookAlikes.write(dir.resolve("criteria").resolve("zz-generated.yaml"), n * (factor - 1));
                }
                AgentConfig config = AgentConfig.load(dir);
                TriageEngine engine = new TriageEngine(config.criteria(), config.assets());
                engine.explainAll(false);
                double rate = rate(engine, events, quick ? 1 : 5, quick ? 500 : 2000);
                if (factor == 1) {
                    shipped = rate;
                }
                t.append(String.format(Locale.ROOT, "| %,d (%s) | %,.0f | %.2f |%n", config.criteria().criteria().size(),
                        factor == 1 ? "shipped" : "×" + factor, rate, rate / shipped));
            } finally {
                delete(dir);
            }
        }
        return "Triage with more criteria (one thread, the in-repo mix):\n\n" + t;
    }

    /** Events per second of {@code engine} over {@code events}, time advancing 1 ms per event; the median of {@code runs}. */
    private static double rate(TriageEngine engine, List<Event> events, int runs, long millis) {
        Instant clock = Instant.parse("2026-11-26T09:00:00Z");
        long seq = 0;
        int i = 0;
        List<Double> rates = new ArrayList<>();
        for (int r = -2; r < runs; r++) { // two warm-up rounds
            long n = 0;
            long t0 = System.nanoTime();
            long end = t0 + millis * 1_000_000L;
            while (System.nanoTime() < end) {
                for (int k = 0; k < 1000; k++) {
                    clock = clock.plusMillis(1);
                    engine.evaluate(events.get(i).withReceipt(new Receipt(clock, "bench", "tcp", "192.0.2.10", 514)));
                    if (++i == events.size()) {
                        i = 0;
                    }
                }
                n += 1000;
                if (++seq % 1 == 0) {
                    engine.tick(clock);
                }
            }
            if (r >= 0) {
                rates.add(n / ((System.nanoTime() - t0) / 1e9));
            }
        }
        rates.sort(Comparator.naturalOrder());
        return rates.get(rates.size() / 2);
    }

    // ---- state

    private static String state(boolean quick) throws Exception {
        boolean warm = false;
        StringBuilder t = new StringBuilder("| distinct sources | events/s | heap after, MiB | window groups kept | state file, MB | save, ms |\n"
                + "|---:|---:|---:|---:|---:|---:|\n");
        AgentConfig config = AgentConfig.load(Path.of("config"));
        // a first round unmeasured: the JIT compiles the parser and the window code before the 10,000 row
        for (int keys : quick ? new int[] {10_000, 10_000, 100_000} : new int[] {10_000, 10_000, 100_000, 1_000_000}) {
            TriageEngine engine = new TriageEngine(config.criteria(), config.assets());
            engine.explainAll(false);
            EventParser parser = new EventParser(ZONE);
            Instant clock = Instant.parse("2026-11-26T09:00:00Z");
            // failed logins from `keys` sources, three each (below the brute-force threshold: state, no incident)
            int total = keys * 3;
            gc();
            long t0 = System.nanoTime();
            for (int k = 0; k < total; k++) {
                int src = k % keys;
                String line = "<38>Nov 26 18:00:00 web01 sshd[" + (1000 + k % 30000) + "]: Failed password for invalid user admin from 10."
                        + (src >> 16 & 255) + "." + (src >> 8 & 255) + "." + (src & 255) + " port " + (30000 + k % 30000) + " ssh2";
                clock = clock.plusNanos(100_000); // 10,000 events a second of event time: all within the 5-minute window at 1M keys
                Event e = parser.parse(k + 1, new Receipt(clock, "bench", "tcp", "192.0.2.10", 514), line.getBytes(StandardCharsets.UTF_8),
                        EventParser.Source.SYSLOG);
                engine.evaluate(e);
            }
            double rate = total / ((System.nanoTime() - t0) / 1e9);
            gc();
            long heap = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024);
            // a directory of its own: the state's directory is made the owner's only (0700), as data/triage is
            Path stateDir = Files.createTempDirectory("csirt-growth-state");
            Path file = stateDir.resolve("state.bin");
            long s0 = System.nanoTime();
            TriageState.save(engine, file, total);
            long saveMs = (System.nanoTime() - s0) / 1_000_000;
            long size = Files.size(file);
            delete(stateDir);
            if (warm) {
                t.append(String.format(Locale.ROOT, "| %,d | %,.0f | %d | %,d | %.1f | %d |%n", keys, rate, heap, engine.windowGroups(),
                        size / 1e6, saveMs));
            }
            warm = true;
        }
        return "The judge's state with more distinct window keys (failed logins, three per source, parse included):\n\n" + t;
    }

    // ---- journal

    private static String journal(boolean quick) throws IOException {
        long bytesTarget = quick ? 200L * 1024 * 1024 : 1024L * 1024 * 1024;
        Path dir = Files.createTempDirectory("csirt-growth-journal");
        try {
            Receipt r = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-tcp", "tcp", "192.0.2.10", 51514);
            List<JournalEntry> batch = new ArrayList<>(64);
            for (String line : Traffic.lines(64, 7)) {
                batch.add(new JournalEntry(r, 0, line.getBytes(StandardCharsets.UTF_8)));
            }
            long records = 0;
            long t0 = System.nanoTime();
            try (Journal j = Journal.open(dir, 1000)) {
                while (j.bytesWritten() < bytesTarget) {
                    j.append(batch);
                    records += batch.size();
                }
                j.sync();
            }
            double appendS = (System.nanoTime() - t0) / 1e9;
            long onDisk = 0;
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    onDisk += Files.size(p);
                }
            }
            long v0 = System.nanoTime();
            boolean ok = JournalVerifier.verify(dir).ok();
            double verifyS = (System.nanoTime() - v0) / 1e9;
            double gb = onDisk / 1e9;
            return "The journal (the in-repo mix, batches of 64 as one TCP read, group commit every second):\n\n"
                    + "| journal size | records | append, records/s | append, MB/s | evidence verify | verify, s per GB |\n"
                    + "|---:|---:|---:|---:|---|---:|\n"
                    + String.format(Locale.ROOT, "| %.2f GB | %,d | %,.0f | %.0f | %s in %.1f s | %.1f |%n", gb, records, records / appendS,
                    onDisk / 1e6 / appendS, ok ? "intact" : "BROKEN", verifyS, verifyS / gb);
        } finally {
            delete(dir);
        }
    }

    // ----

    private static List<Event> parsed(List<String> lines) {
        EventParser parser = new EventParser(ZONE);
        Instant t = Instant.parse("2026-11-26T09:00:00Z");
        List<Event> out = new ArrayList<>(lines.size());
        long s = 0;
        for (String line : lines) {
            out.add(parser.parse(++s, new Receipt(t, "bench", "tcp", "192.0.2.10", 514), line.getBytes(StandardCharsets.UTF_8),
                    EventParser.Source.SYSLOG));
        }
        return out;
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
