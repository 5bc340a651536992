package csirt.agent.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every metric name of the agent, in one place, with one prefix ({@code csirt_}) and bounded tags:
 * input (a route id from the configuration), format, category, level, channel — never a host,
 * address, path or free text. Domain code calls these methods, not Micrometer.
 */
public final class AgentMetrics implements csirt.agent.ingest.TlsSessionGuard.Listener {

    public static final String PREFIX = "csirt.";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
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
    public void udpSocket(String input, csirt.agent.ingest.UdpSocketStats stats) {
        // Micrometer holds the object of a function meter weakly: without a strong reference here the
        // stats object was collected and the meters read NaN and 0 (kernel drops went unseen)
        kept.add(stats);
        io.micrometer.core.instrument.FunctionCounter.builder(PREFIX + "udp.receive.drops", stats, s -> s.read().drops())
                .description("Datagrams the kernel dropped for this UDP input (receive buffer full; raise syslog.udp.receive-buffer-bytes); -1 = unknown")
                .tag("input", input).register(registry);
        Gauge.builder(PREFIX + "udp.receive.queue.bytes", stats, s -> s.read().receiveQueueBytes())
                .description("Bytes waiting in this UDP input's socket receive buffer; -1 = unknown")
                .tag("input", input).register(registry);
    }

    /** Objects that function meters read: Micrometer references them weakly, so they are kept here. */
    private final java.util.List<Object> kept = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A counter read from an object when scraped (e.g. the journal's bytes). */
    public <T> void functionCounter(String name, String description, String unit, T obj, java.util.function.ToDoubleFunction<T> f) {
        kept.add(obj);
        io.micrometer.core.instrument.FunctionCounter.builder(PREFIX + name, obj, f).description(description).baseUnit(unit).register(registry);
    }

    /** A timer read from an object when scraped: how many, and how long in all. */
    public <T> void functionTimer(String name, String description, T obj, java.util.function.ToLongFunction<T> count,
                                  java.util.function.ToDoubleFunction<T> totalSeconds) {
        io.micrometer.core.instrument.FunctionTimer.builder(PREFIX + name, obj, count, totalSeconds, java.util.concurrent.TimeUnit.SECONDS)
                .description(description).register(registry);
    }

    /** A gauge with one tag, read when scraped (e.g. open cases per level). */
    public void gauge(String name, String description, String tag, String value, Supplier<Number> f) {
        Gauge.builder(PREFIX + name, () -> f.get().doubleValue()).description(description).tag(tag, value).register(registry);
    }

    /** A value read when scraped, e.g. events held for a release. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(PREFIX + name, () -> value.get().doubleValue()).description(description).register(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join("\u0000", tags);
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> Counter.builder(PREFIX + name).description(description).tags(tags).register(registry));
        }
        return registering ? new io.micrometer.core.instrument.noop.NoopCounter(c.getId()) : c;
    }

    /** While {@link #registerKnown} runs: counters are registered at 0, the event methods count nothing. */
    private volatile boolean registering;

    /**
     * Every counter family at 0 for the labels known at start (inputs, formats, categories and
     * levels, criteria, results, kinds, channels), so that a dashboard or an alert rule sees 0 from
     * the first scrape, after a restart too, instead of no data until the first event. Called once,
     * before anything is received.
     */
    public synchronized void registerKnown(java.util.Collection<String> inputs, java.util.Collection<String> criteria) {
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
            for (csirt.agent.parse.Format f : csirt.agent.parse.Format.values()) {
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
            for (String kind : new String[] {"opened", "escalated", "update", "digest", "cap-warning", "not-incident"}) {
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
