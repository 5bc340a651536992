package csirt.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import csirt.agent.config.AgentConfig;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the triage engine with the shipped criteria (config/, run from the repository
 * root) over a realistic mix, on one thread: {@code triage} judges parsed events, {@code
 * parseAndTriage} parses the bytes too. One event per operation; time advances 1 ms per event and
 * held events are decided every 1000 events, as the live timer does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TriageBenchmark {

    private static final int N = 200_000;

    private TriageEngine engine;
    private EventParser parser;
    private List<byte[]> raw;
    private List<Event> events;
    private int i;
    private long seq;
    private Instant clock;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AgentConfig config = AgentConfig.load(Path.of(System.getProperty("csirt.config", "config")));
        engine = new TriageEngine(config.criteria(), config.assets());
        parser = new EventParser(ZoneId.of("Asia/Tokyo"));
        raw = new ArrayList<>(N);
        events = new ArrayList<>(N);
        Instant t = Instant.parse("2026-11-26T09:00:00Z");
        long s = 0;
        for (String line : Traffic.lines(N, 42)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            raw.add(b);
            events.add(parser.parse(++s, new Receipt(t, "bench", "tcp", "192.0.2.10", 514), b, EventParser.Source.SYSLOG));
        }
        clock = t;
    }

    private Receipt next() {
        clock = clock.plusMillis(1);
        return new Receipt(clock, "bench", "tcp", "192.0.2.10", 514);
    }

    @Benchmark
    public List<Verdict> triage() {
        Event e = events.get(i).withReceipt(next());
        if (++i == N) {
            i = 0;
        }
        if (++seq % 1000 == 0) {
            engine.tick(clock);
        }
        return engine.evaluate(e);
    }

    @Benchmark
    public List<Verdict> parseAndTriage() {
        Event e = parser.parse(++seq, next(), raw.get(i), EventParser.Source.SYSLOG);
        if (++i == N) {
            i = 0;
        }
        if (seq % 1000 == 0) {
            engine.tick(clock);
        }
        return engine.evaluate(e);
    }
}
