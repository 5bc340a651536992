package csirt.agent.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import csirt.agent.ingest.TlsSessionGuard;
import csirt.agent.ingest.UdpSocketStats;
import csirt.agent.parse.Format;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.noop.NoopCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Every metric name of the agent, in one place, with one prefix ({@code csirt_}) and bounded tags:
 * input (a route id from the configuration), format, category, level, channel — never a host,
 * address, path or free text. Domain code calls these methods, not Micrometer.
 */
public final class AgentMetrics implements TlsSessionGuard.Listener {

    public static final String PREFIX = "csirt.";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The Prometheus registry with the JVM's and the process's meters, kept clean for
     * {@code promtool check metrics}: no abbreviated units, no _count on a gauge.
     */
    public static PrometheusMeterRegistry prometheusRegistry() {
        PrometheusMeterRegistry registry =
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void received(String input, int messages, long bytes) {
        counter("messages.received", "Messages received, per input", "input", input).increment(messages);
        counter("received.bytes", "Bytes of messages received (without framing), per input", "input", input).increment(bytes);
    }

    /** A frame longer than the configured maximum arrived; it was journaled in pieces. */
    public void oversizedFrame(String input) {
        counter("frames.oversized", "Frames longer than syslog.max-frame-bytes, journaled in pieces", "input", input).increment();
    }

    /** A TLS handshake failed (untrusted or missing certificate, not TLS at all) or a record was broken. */
    @Override
    public void tlsFailed(String input) {
        counter("tls.failures", "TLS handshakes that failed and TLS records that were broken, per input", "input", input).increment();
    }

    /** A sender was disconnected because it may not send to this input. */
    @Override
    public void peerRefused(String input) {
        counter("peers.refused", "Connections refused because the peer is not permitted, per input", "input", input).increment();
    }

    /** Bytes on the RELP input that were not RELP: journaled, and the session closed. */
    public void relpMalformed(String input) {
        counter("relp.malformed", "RELP sessions ended by bytes that were not RELP (journaled as received), per input", "input", input).increment();
    }

    /** A connection closed in the middle of an octet-counted frame; the partial frame was kept. */
    public void incompleteFrame(String input) {
        counter("frames.incomplete", "Octet-counted frames cut short by the sender closing, kept as received", "input", input).increment();
    }

    public void journaled(int records) {
        counter("journal.records", "Records appended to the evidence journal").increment(records);
    }

    public void journalFailed() {
        counter("journal.failures", "Batches the journal could not write (disk full, permissions)").increment();
    }

    /** A message with bytes that are not valid in its sender's charset (shown as U+FFFD; the journal keeps the bytes). */
    public void decodeError(String input, String charset) {
        counter("decode.errors", "Messages with bytes invalid in the sender's charset, per input and charset", "input", input,
                "charset", charset).increment();
    }

    public void parsed(String format) {
        parsed(format, 1);
    }

    public void parsed(String format, int n) {
        counter("events.parsed", "Events parsed, per format", "format", format).increment(n);
    }

    public void parseFailed(String format) {
        parseFailed(format, 1);
    }

    public void parseFailed(String format, int n) {
        counter("parse.failures", "Messages that did not parse; kept and triaged on their raw text", "format", format).increment(n);
    }

    public void verdict(String category, int level) {
        verdict(category, level, 1);
    }

    public void verdict(String category, int level, int n) {
        counter("verdicts", "Triage verdicts, per category and level (category none: no criterion matched)",
                "category", category, "level", Integer.toString(level)).increment(n);
    }

    /** A verdict that repeats an identical earlier one within its criterion's suppression period. */
    public void repeat(String criterion) {
        repeat(criterion, 1);
    }

    public void repeat(String criterion, int n) {
        counter("verdicts.repeats", "Verdicts suppressed as repeats (they open and update nothing), per criterion",
                "criterion", criterion).increment(n);
    }

    public void caseOpened(String category, int level) {
        counter("cases.opened", "Cases opened, per category and level", "category", category, "level", Integer.toString(level)).increment();
    }

    public void caseEscalated(String category, int level) {
        counter("cases.escalated", "Cases whose level was raised, per category and new level", "category", category,
                "level", Integer.toString(level)).increment();
    }

    /** A notice was stored in the outbox, per kind (opened, escalated, update, digest, cap-warning). */
    public void noticeQueued(String kind) {
        counter("notices.queued", "Notices stored in the durable outbox, per kind", "kind", kind).increment();
    }

    public void noticeSent(String channel) {
        counter("notices.sent", "Notices delivered, per channel (smtp, file)", "channel", channel).increment();
    }

    public void noticeFailed(String channel) {
        counter("notices.failed", "Failed delivery attempts (the notice stays in the outbox and is retried)",
                "channel", channel).increment();
    }

    /** A reload of criteria, assets and contacts: {@code ok}, or {@code refused} (the old set stays). */
    public void reload(String result) {
        counter("config.reloads", "Reloads of criteria, assets and contacts, per result (ok, refused)", "result", result).increment();
    }

    /** Records judged again at start because the saved triage state did not cover them (after a crash). */
    public void recovered(long records) {
        counter("journal.recovered.records", "Records judged again at start after an unclean stop").increment(records);
    }

    /** A torn last record was cut at start (the agent had died mid-write). */
    public void tornRecordCut() {
        counter("journal.torn.cuts", "Torn last records cut back at start after an unclean stop").increment();
    }

    /** A scheduled verification of the journal: ok, failed (raised as an incident) or error. */
    public void verification(String result) {
        counter("journal.verifications", "Scheduled verifications of the journal, per result", "result", result).increment();
    }

    /** A verdict per criterion (bounded by the criteria set; "none" when no criterion matched). */
    public void verdictByCriterion(String criterion) {
        verdictByCriterion(criterion, 1);
    }

    public void verdictByCriterion(String criterion, int n) {
        counter("verdicts.by.criterion", "Verdicts per criterion id", "criterion", criterion).increment(n);
    }

    /** A notice delivered after at least one failed attempt. */
    public void noticeRetried() {
        counter("notices.retried", "Notices delivered after one or more failed attempts").increment();
    }

    /**
     * The kernel's view of a UDP input's socket, read at each scrape: datagrams dropped because the
     * receive buffer was full (the only trace of UDP loss), and bytes waiting. -1 = not known here.
     */
    public void udpSocket(String input, UdpSocketStats stats) {
        // Micrometer holds the object of a function meter weakly: without a strong reference here the
        // stats object was collected and the meters read NaN and 0 (kernel drops went unseen)
        kept.add(stats);
        FunctionCounter.builder(PREFIX + "udp.receive.drops", stats, s -> s.read().drops())
                .description("Datagrams the kernel dropped for this UDP input (receive buffer full; raise syslog.udp.receive-buffer-bytes); -1 = unknown")
                .tag("input", input).register(registry);
        Gauge.builder(PREFIX + "udp.receive.queue.bytes", stats, s -> s.read().receiveQueueBytes())
                .description("Bytes waiting in this UDP input's socket receive buffer; -1 = unknown")
                .tag("input", input).register(registry);
    }

    /** The journal: its last seq, bytes appended, group-commit fsyncs and segment files. */
    public void journal(LongSupplier lastSeq, LongSupplier bytesWritten, LongSupplier fsyncs, DoubleSupplier fsyncSeconds,
                        IntSupplier segments) {
        gauge("journal.last.seq", "Sequence number of the last journaled record", lastSeq::getAsLong);
        functionCounter("journal.written", "Bytes appended to the evidence journal", "bytes", bytesWritten, LongSupplier::getAsLong);
        functionTimer("journal.fsync", "Forcing the journal to disk (group commit)", fsyncs, LongSupplier::getAsLong,
                f -> fsyncSeconds.getAsDouble());
        gauge("journal.segments", "Segment files of the journal", segments::getAsInt);
    }

    /** The judge thread: its queue, the inputs' waits for room in it, its failures and the records it judged. */
    public void judge(IntSupplier queuedEvents, int maxQueued, int udpOverdraft, LongSupplier backpressureWaits,
                      LongSupplier failures, LongSupplier judged) {
        gauge("judge.queue.events", "Events parsed and waiting for the judge thread (at most " + maxQueued + ", and up to "
                + udpOverdraft + " more from UDP, which cannot be held back)", queuedEvents::getAsInt);
        functionCounter("backpressure.waits", "Times an input waited for room in the judge queue, reading nothing "
                + "meanwhile (TCP senders held back instead of messages dropped)", null, backpressureWaits, LongSupplier::getAsLong);
        functionCounter("judge.failures", "Batches whose judging failed (journaled; `replay` judges them again)",
                null, failures, LongSupplier::getAsLong);
        // every journal record is judged once (decided or held) or is a later piece of an over-long
        // frame: this equals journal.records when nothing is waiting, which the benchmark checks
        functionCounter("events.judged", "Journal records judged (decided or held), later pieces of over-long frames included",
                null, judged, LongSupplier::getAsLong);
    }

    /** Events held for a release or deadline before their verdict. */
    public void held(IntSupplier held) {
        gauge("triage.held", "Events waiting for a release or deadline before their verdict", held::getAsInt);
    }

    /** The case writer's backlog and the open cases per level. */
    public void cases(IntSupplier batchesWaiting, IntToLongFunction openAtLevel) {
        gauge("cases.queue.batches", "Batches of level 1-2 verdicts waiting for the case stage (the one being applied included)",
                batchesWaiting::getAsInt);
        for (int level = 1; level <= 2; level++) {
            int l = level;
            gauge("cases.open", "Cases not closed, per level", "level", Integer.toString(level), () -> openAtLevel.applyAsLong(l));
        }
    }

    /** The durable outbox: notices waiting, and how long the oldest has waited. */
    public void outbox(LongSupplier depth, Supplier<Instant> oldest) {
        gauge("outbox.depth", "Notices waiting in the durable outbox", depth::getAsLong);
        gauge("outbox.oldest.age.seconds", "Age of the oldest notice waiting in the outbox (0 when none)", () -> {
            Instant o = oldest.get();
            return o == null ? 0 : Duration.between(o, Instant.now()).toSeconds();
        });
    }

    /** Open incidents no person has acted on yet, and how long the oldest has waited. */
    public void unacknowledged(IntSupplier count, Supplier<Instant> oldestOpenedAt) {
        gauge("cases.unacknowledged", "Open cases of level 1-2 no person has acted on yet (state change, note or assignment)",
                count::getAsInt);
        gauge("cases.unacknowledged.oldest.age.seconds", "How long the oldest unacknowledged open case has waited (0 when none)", () -> {
            Instant o = oldestOpenedAt.get();
            return o == null ? 0 : Duration.between(o, Instant.now()).toSeconds();
        });
    }

    /** Watched assets (assets.yaml expect_every) that sent nothing within their interval. */
    public void silentSources(IntSupplier silent) {
        gauge("sources.silent", "Watched assets silent beyond their expected interval (assets.yaml expect_every)", silent::getAsInt);
    }

    /** Agents sharing the case database that beat within the lease, this one included, and whether this one runs the shared timed jobs. */
    public void agents(IntSupplier alive, BooleanSupplier leader) {
        gauge("store.agents", "Agents sharing the case database that beat within cases.lease-seconds, this one included (1: it runs alone)",
                alive::getAsInt);
        gauge("store.leader", "1 when this agent runs the shared timed jobs (updates, reminders, the digest), else 0",
                () -> leader.getAsBoolean() ? 1 : 0);
    }

    /** 1 when ready (/health/ready), else 0. */
    public void ready(BooleanSupplier ready) {
        gauge("ready", "1 when the agent is ready (see /health/ready), else 0", () -> ready.getAsBoolean() ? 1 : 0);
    }

    /** Bytes the kernel holds for a TCP input that the agent has not read yet; -1 unknown. */
    public void tcpUnread(String input, LongSupplier bytes) {
        gauge("tcp.unread.bytes", "Bytes senders delivered to the TCP input that the agent has not read yet (the kernel "
                + "holds them while the agent pushes back); -1 = unknown", "input", input, bytes::getAsLong);
    }

    /** Network inputs holding a batch the journal cannot take yet. */
    public void inputsWaitingForJournal(IntSupplier waiting) {
        gauge("inputs.waiting.journal", "Network inputs holding a batch the journal could not write yet "
                + "(a full disk): they read nothing until it can", waiting::getAsInt);
    }

    /** Connections open now on a TCP, TLS or RELP input. */
    public void connectionsOpen(String input, IntSupplier open) {
        gauge("connections.open", "Connections open now, per TCP or TLS input", "input", input, open::getAsInt);
    }

    /** Objects that function meters read: Micrometer references them weakly, so they are kept here. */
    private final List<Object> kept = new CopyOnWriteArrayList<>();

    /** A counter read from an object when scraped (e.g. the journal's bytes). */
    private <T> void functionCounter(String name, String description, String unit, T obj, ToDoubleFunction<T> f) {
        kept.add(obj);
        FunctionCounter.builder(PREFIX + name, obj, f).description(description).baseUnit(unit).register(registry);
    }

    /** A timer read from an object when scraped: how many, and how long in all. */
    private <T> void functionTimer(String name, String description, T obj, ToLongFunction<T> count,
                                   ToDoubleFunction<T> totalSeconds) {
        kept.add(obj);
        FunctionTimer.builder(PREFIX + name, obj, count, totalSeconds, TimeUnit.SECONDS)
                .description(description).register(registry);
    }

    /** A gauge with one tag, read when scraped (e.g. open cases per level). */
    private void gauge(String name, String description, String tag, String value, Supplier<Number> f) {
        Gauge.builder(PREFIX + name, () -> f.get().doubleValue()).description(description).tag(tag, value).register(registry);
    }

    /** A value read when scraped, e.g. events held for a release. */
    private void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(PREFIX + name, () -> value.get().doubleValue()).description(description).register(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join("\u0000", tags);
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> Counter.builder(PREFIX + name).description(description).tags(tags).register(registry));
        }
        return registering ? new NoopCounter(c.getId()) : c;
    }

    /** While {@link #registerKnown} runs: counters are registered at 0, the event methods count nothing. */
    private volatile boolean registering;

    /**
     * Every counter family at 0 for the labels known at start (inputs, formats, categories and
     * levels, criteria, results, kinds, channels), so that a dashboard or an alert rule sees 0 from
     * the first scrape, after a restart too, instead of no data until the first event. Called once,
     * before anything is received.
     */
    public synchronized void registerKnown(Collection<String> inputs, Collection<String> criteria) {
        registering = true;
        try {
            for (String input : inputs) {
                received(input, 0, 0);
                oversizedFrame(input);
                incompleteFrame(input);
                decodeError(input, "UTF-8");
                peerRefused(input);
                tlsFailed(input);
                relpMalformed(input);
            }
            journaled(0);
            journalFailed();
            recovered(0);
            tornRecordCut();
            for (Format f : Format.values()) {
                parsed(f.label(), 0);
                parseFailed(f.label(), 0);
            }
            for (String category : new String[] {"none", "outage", "cyber", "theft"}) {
                for (int level = 0; level <= 2; level++) {
                    verdict(category, level, 0);
                    if (level > 0 && !category.equals("none")) {
                        caseOpened(category, level);
                        caseEscalated(category, level);
                    }
                }
            }
            verdictByCriterion("none", 0);
            for (String c : criteria) {
                verdictByCriterion(c, 0);
                repeat(c, 0);
            }
            for (String kind : new String[] {"opened", "escalated", "update", "digest", "cap-warning", "not-incident", "reported",
                    "unacknowledged", "legal"}) {
                noticeQueued(kind);
            }
            for (String channel : new String[] {"smtp", "file"}) {
                noticeSent(channel);
                noticeFailed(channel);
            }
            noticeRetried();
            for (String result : new String[] {"ok", "refused"}) {
                reload(result);
            }
            for (String result : new String[] {"ok", "failed", "error"}) {
                verification(result);
            }
        } finally {
            registering = false;
        }
    }
}
