package csirt.agent.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import csirt.agent.asset.AssetInventory;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.CriteriaSet;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;

/**
 * Runs the live triage engine over log files, with the events' own timestamps as the clock, so
 * windows, holds and escalation ladders behave as they did live; touches nothing (no journal, no
 * case, no mail). What an operator runs before changing criteria or assets.
 */
public final class Replay {

    /** A verdict with where its line came from. */
    public record Line(Path file, long lineNo, Verdict verdict) {
    }

    /** A case the live daemon would have opened (and maybe escalated). */
    public static final class WouldBeCase {
        public final String key;
        public final Instant opened;
        public final String openedBy;
        public final int openedLevel;
        public int level;
        public String escalatedBy;
        public int events;

        WouldBeCase(String key, Verdict v) {
            this.key = key;
            this.opened = v.event().time();
            this.openedBy = v.criterionId();
            this.openedLevel = v.level();
            this.level = v.level();
        }
    }

    /** Counts per category and level, and the cases that would open. */
    public static final class Summary {
        public long lines;
        public long verdicts;
        public long repeats;
        public final Map<String, Long> byCategoryAndLevel = new TreeMap<>();
        public final Map<String, Long> byCriterion = new TreeMap<>();
        public final Map<String, WouldBeCase> cases = new LinkedHashMap<>();
        /**
         * Per product reader ({@code product}; "(no reader)" for a parsed line no reader knew,
         * "(unparsed)" for one that did not parse): lines, incidents among them, and lines no
         * criterion matched. First decisions only (holds, repeats and re-decisions not counted twice).
         */
        public final Map<String, long[]> byProduct = new TreeMap<>();

        public long escalations() {
            return cases.values().stream().filter(c -> c.escalatedBy != null).count();
        }
    }

    private final TriageEngine engine;
    private final EventParser parser;
    private final String defaultHost;

    public Replay(CriteriaSet criteria, AssetInventory assets, ZoneId zone, String defaultHost) {
        this.engine = new TriageEngine(criteria, assets);
        this.parser = new EventParser(zone);
        this.defaultHost = defaultHost;
    }

    /**
     * Replays the files in the order given, each line an event; RFC 3164 years are inferred from
     * the file's modification time. Hands every verdict to {@code out} and returns the summary.
     */
    public Summary run(List<Path> files, Consumer<Line> out) throws IOException {
        Summary summary = new Summary();
        Map<Long, Path> fileOfSeq = new LinkedHashMap<>();
        Map<Long, Long> lineOfSeq = new LinkedHashMap<>();
        long seq = 0;
        Instant clock = null;
        for (Path file : files) {
            Instant reference = Files.getLastModifiedTime(file).toInstant();
            long lineNo = 0;
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    seq++;
                    summary.lines++;
                    Instant provisional = clock != null ? clock : reference;
                    Receipt receipt = new Receipt(provisional, "replay", "file", defaultHost, 0);
                    Event e = parser.parse(seq, receipt, line.getBytes(StandardCharsets.UTF_8), EventParser.Source.SYSLOG);
                    Instant t = e.timestamp() != null ? e.timestamp() : provisional;
                    e = e.withReceipt(new Receipt(t, "replay", "file", defaultHost, 0));
                    clock = clock == null || t.isAfter(clock) ? t : clock;
                    fileOfSeq.put(seq, file);
                    lineOfSeq.put(seq, lineNo);
                    emit(engine.tick(clock), summary, fileOfSeq, lineOfSeq, out);
                    emit(engine.evaluate(e), summary, fileOfSeq, lineOfSeq, out);
                }
            }
        }
        if (clock != null) {
            // The end of the input: time runs on, so holds end and ladders climb as they would live.
            emit(engine.tick(clock.plus(Duration.ofDays(1))), summary, fileOfSeq, lineOfSeq, out);
        }
        return summary;
    }

    private static void emit(List<Verdict> verdicts, Summary s, Map<Long, Path> files, Map<Long, Long> lines, Consumer<Line> out) {
        for (Verdict v : verdicts) {
            s.verdicts++;
            String cat = v.category() == null ? "none" : v.category().id();
            s.byCategoryAndLevel.merge(cat + " level " + v.level(), 1L, Long::sum);
            s.byCriterion.merge(v.criterionId() == null ? "(none)" : v.criterionId(), 1L, Long::sum);
            if (v.repeatOf() > 0) {
                s.repeats++;
            }
            if (v.revision() == 0) {
                String product = v.event().fields().get(csirt.agent.parse.products.Products.PRODUCT);
                String key = product != null ? product : v.event().parsed() ? "(no reader)" : "(unparsed)";
                long[] n = s.byProduct.computeIfAbsent(key, k -> new long[3]);
                n[0]++;
                if (v.level() > 0) {
                    n[1]++;
                }
                if (v.criterionId() == null) {
                    n[2]++;
                }
            }
            if (v.incident()) {
                WouldBeCase c = s.cases.get(v.caseKey());
                if (c == null) {
                    c = new WouldBeCase(v.caseKey(), v);
                    s.cases.put(v.caseKey(), c);
                } else if (v.level() > c.level) {
                    c.level = v.level();
                    c.escalatedBy = v.criterionId();
                }
                c.events++;
            }
            out.accept(new Line(files.get(v.event().seq()), lines.getOrDefault(v.event().seq(), 0L), v));
        }
    }

    /** For tests and tools: every verdict of a replay, in the order they came. */
    public static List<Line> collect(Replay replay, List<Path> files) throws IOException {
        List<Line> all = new ArrayList<>();
        replay.run(files, all::add);
        return all;
    }
}
