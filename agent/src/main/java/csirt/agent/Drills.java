package csirt.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import csirt.agent.config.Durations;

/**
 * Drills (plan 5(2)): a scenario of {@code config/drills/NAME.yaml} — timed log lines and reports
 * from people — played through the real pipeline: journaled, judged by the real criteria and
 * correlation, recorded as cases and notified through the real outbox, every case and notice marked
 * 【訓練】 and kept apart from real cases in lists and counts. A step is {@code {after: 5s, line: "..."}}
 * (optionally {@code repeat: N, every: 1s}) or {@code {after: 5s, intake: {...a report...}}}; hosts are
 * best the drill's own (drill-*), so that its windows never count real senders.
 */
final class Drills {

    private static final Logger LOG = LoggerFactory.getLogger(Drills.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** A drill plays for at most this long. */
    private static final Duration MAX = Duration.ofHours(2);

    /** One step: when after the start, and what. */
    record Step(Duration after, String line, Map<String, Object> intake) {
    }

    /** A scenario as read from its file. */
    record Scenario(String name, String title, List<Step> steps) {
    }

    private final Path dir;
    private final OwnMessages own;
    private final Intake intake;

    Drills(Path dir, OwnMessages own, Intake intake) {
        this.dir = dir;
        this.own = own;
        this.intake = intake;
    }

    /** The scenarios that ship or were written (their file names without .yaml). */
    List<String> names() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).map(n -> n.substring(0, n.length() - 5))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Every scenario's title by name (an unreadable one says so instead of its title). */
    Map<String, String> titles() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names()) {
            try {
                out.put(n, load(n).title());
            } catch (IllegalArgumentException e) {
                out.put(n, "（読めません: " + e.getMessage() + "）");
            }
        }
        return out;
    }

    /** Reads a scenario; the message says what is wrong and how to write it. */
    @SuppressWarnings("unchecked")
    Scenario load(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a drill is named by its file in " + dir + " (lower-case letters, digits and -): " + names());
        }
        Path f = dir.resolve(name + ".yaml");
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("no drill " + name + " in " + dir + "; the drills are " + names());
        }
        Object root;
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(f + " cannot be read as YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> m) || !(m.get("steps") instanceof List<?> raw)) {
            throw new IllegalArgumentException(f + ": a drill has a title and steps: [{after: 0s, line: \"<11>...\"}, ...]");
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        for (Object o : raw) {
            i++;
            if (!(o instanceof Map<?, ?> s)) {
                throw new IllegalArgumentException(f + " step " + i + ": a step is {after: 5s, line: ...} or {after: 5s, intake: {...}}");
            }
            Duration after = s.get("after") == null ? Duration.ZERO : Durations.parse(String.valueOf(s.get("after")));
            if (after.compareTo(MAX) > 0) {
                throw new IllegalArgumentException(f + " step " + i + ": after " + s.get("after") + " is beyond a drill's " + MAX.toHours() + " h");
            }
            if (s.get("intake") instanceof Map<?, ?> report) {
                steps.add(new Step(after, null, (Map<String, Object>) report));
            } else if (s.get("line") != null) {
                int repeat = s.get("repeat") == null ? 1 : Integer.parseInt(String.valueOf(s.get("repeat")));
                Duration every = s.get("every") == null ? Duration.ZERO : Durations.parse(String.valueOf(s.get("every")));
                for (int k = 0; k < Math.max(1, Math.min(repeat, 10_000)); k++) {
                    steps.add(new Step(after.plus(every.multipliedBy(k)), String.valueOf(s.get("line")), null));
                }
            } else {
                throw new IllegalArgumentException(f + " step " + i + ": give a line or an intake");
            }
        }
        steps.sort((a, b) -> a.after().compareTo(b.after()));
        Object title = m.get("title");
        return new Scenario(name, title == null ? name : String.valueOf(title), List.copyOf(steps));
    }

    /** Starts the scenario in the background; the sentence says what will happen. */
    String run(String name, String who) {
        Scenario s = load(name);
        Thread t = new Thread(() -> play(s, who), "csirt-drill-" + s.name());
        t.setDaemon(true);
        t.start();
        Duration span = s.steps().isEmpty() ? Duration.ZERO : s.steps().get(s.steps().size() - 1).after();
        LOG.info("Drill {} ({}) started by {}: {} steps over {} s; its cases and notices are marked 【訓練】", s.name(), s.title(), who,
                s.steps().size(), span.toSeconds());
        return "訓練「" + s.title() + "」を開始しました（" + s.steps().size() + " 件、約" + span.toSeconds() + "秒）。案件と通知には【訓練】が付き、"
                + "実際の案件とは分けて記録されます（csirt-agent cases list --drills）。";
    }

    private void play(Scenario s, String who) {
        long start = System.nanoTime();
        for (Step step : s.steps()) {
            long wait = step.after().toNanos() - (System.nanoTime() - start);
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (step.line() != null) {
                own.send("drill", step.line());
            } else {
                Map<String, Object> report = new LinkedHashMap<>(step.intake());
                report.put("drill", true);
                Intake.Result r = intake.record(report);
                if (!r.ok()) {
                    LOG.warn("Drill {}: its report was refused: {}", s.name(), r.message());
                }
            }
        }
        LOG.info("Drill {} played its {} steps (started by {})", s.name(), s.steps().size(), who);
    }
}
