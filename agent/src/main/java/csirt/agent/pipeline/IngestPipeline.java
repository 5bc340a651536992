package csirt.agent.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.ingest.Frame;
import csirt.agent.journal.Journal;
import csirt.agent.journal.JournalEntry;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.Receipt;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.Verdict;

/**
 * The hot path for a batch of frames from one read: journal them (one write), parse and triage
 * them in a tight loop, and hand back only the verdicts that need a case (level 1 and 2). Level 0
 * verdicts are counted and end here.
 */
public final class IngestPipeline {

    private final Journal journal;
    private final EventParser parser;
    private final TriageEngine triage;
    private final AgentMetrics metrics;
    private final java.util.concurrent.atomic.AtomicLong judged = new java.util.concurrent.atomic.AtomicLong();
    /** Batches hold it shared; a consistent snapshot of the triage state holds it alone (no batch half judged). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock batches = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final java.util.concurrent.atomic.AtomicLong incidentsOut = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong incidentsApplied = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong pieces = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.List<java.util.function.Consumer<Verdict>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile java.util.function.Consumer<Event> observer = e -> { };

    /** Sees every parsed event before triage (the silence watch); must be cheap. */
    public void observe(java.util.function.Consumer<Event> o) {
        this.observer = o;
    }

    public EventParser parser() {
        return parser;
    }

    public IngestPipeline(Journal journal, EventParser parser, TriageEngine triage, AgentMetrics metrics) {
        this.journal = journal;
        this.parser = parser;
        this.triage = triage;
        this.metrics = metrics;
    }

    /**
     * Journals, parses and triages the frames of one read. Throws when the journal cannot write:
     * nothing of the batch is then journaled, and the input must not acknowledge it.
     */
    public List<Verdict> accept(List<Frame> frames, Receipt receipt, EventParser.Source source) {
        if (frames.isEmpty()) {
            return List.of();
        }
        batches.readLock().lock();
        try {
            return acceptLocked(frames, receipt, source);
        } finally {
            batches.readLock().unlock();
        }
    }

    private List<Verdict> acceptLocked(List<Frame> frames, Receipt receipt, EventParser.Source source) {
        List<JournalEntry> entries = new ArrayList<>(frames.size());
        long bytes = 0;
        for (Frame f : frames) {
            entries.add(new JournalEntry(receipt, f.flags(), f.bytes()));
            bytes += f.bytes().length;
            if (f.startsOversized()) {
                metrics.oversizedFrame(receipt.input());
            }
            if ((f.flags() & JournalRecord.FLAG_INCOMPLETE) != 0) {
                metrics.incompleteFrame(receipt.input());
            }
        }
        metrics.received(receipt.input(), frames.size(), bytes);
        long first;
        try {
            first = journal.append(entries);
        } catch (RuntimeException e) {
            metrics.journalFailed();
            throw e;
        }
        metrics.journaled(entries.size());
        List<Verdict> incidents = new ArrayList<>(0);
        BatchCounts counts = new BatchCounts();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.continuation()) {
                // Later pieces of an over-long frame are evidence, not new events: the first piece was judged.
                pieces.incrementAndGet();
                continue;
            }
            Event e = parser.parse(first + i, receipt, f.bytes(), source);
            observer.accept(e);
            String undecoded = e.fields().get(EventParser.DECODE_ERRORS);
            if (undecoded != null) {
                metrics.decodeError(receipt.input(), undecoded);
            }
            counts.event(e);
            collect(triage.evaluate(e), incidents, counts);
            judged.incrementAndGet();
        }
        counts.publish(metrics);
        return incidents;
    }

    /**
     * The metrics of one batch, counted here and added to the registry once per batch: a counter
     * lookup per event and label set cost more than the judging of a simple event.
     */
    private static final class BatchCounts {
        // keyed by labels that are constants (format labels, category and criterion ids): no key is built per event
        private final java.util.Map<String, int[]> parsed = new java.util.HashMap<>(4);
        private final java.util.Map<String, int[]> failed = new java.util.HashMap<>(4);
        private final java.util.Map<String, int[]> levels = new java.util.HashMap<>(4);
        private final java.util.Map<String, int[]> criteria = new java.util.HashMap<>(16);
        private final java.util.Map<String, int[]> repeats = new java.util.HashMap<>(4);

        void event(Event e) {
            (e.parsed() ? parsed : failed).computeIfAbsent(e.format().label(), k -> new int[1])[0]++;
        }

        void verdict(Verdict v) {
            levels.computeIfAbsent(v.category() == null ? "none" : v.category().id(), k -> new int[3])[v.level()]++;
            criteria.computeIfAbsent(v.criterionId() == null ? "none" : v.criterionId(), k -> new int[1])[0]++;
            if (v.repeatOf() > 0) {
                repeats.computeIfAbsent(v.criterionId(), k -> new int[1])[0]++;
            }
        }

        void publish(AgentMetrics metrics) {
            parsed.forEach((f, n) -> metrics.parsed(f, n[0]));
            failed.forEach((f, n) -> metrics.parseFailed(f, n[0]));
            levels.forEach((c, n) -> {
                for (int level = 0; level < n.length; level++) {
                    if (n[level] > 0) {
                        metrics.verdict(c, level, n[level]);
                    }
                }
            });
            criteria.forEach((c, n) -> metrics.verdictByCriterion(c, n[0]));
            repeats.forEach((c, n) -> metrics.repeat(c, n[0]));
        }
    }


    /** Events judged since start (decided, or held for a release), and journal records that are later pieces of over-long frames. */
    public long judged() {
        return judged.get();
    }

    public long continuationPieces() {
        return pieces.get();
    }

    /** Decides held events whose wait has ended. */
    public List<Verdict> tick(Instant now) {
        List<Verdict> out = new ArrayList<>(0);
        batches.readLock().lock();
        try {
            collect(triage.tick(now), out);
        } finally {
            batches.readLock().unlock();
        }
        return out;
    }

    /**
     * Judges again records the journal holds but the saved triage state does not cover (after a
     * crash): the same engine over the same records in journal order, with their receipt times.
     * The incidents come back for the case store, which recognises those it already has.
     */
    public List<Verdict> rejudge(csirt.agent.journal.JournalRecord r, EventParser.Source source) {
        List<Verdict> out = new ArrayList<>(0);
        if ((r.flags() & JournalRecord.FLAG_CONTINUATION) != 0) {
            pieces.incrementAndGet();
            return out;
        }
        Event e = parser.parse(r.seq(), r.receipt(), r.payload(), source);
        collect(triage.evaluate(e), out);
        judged.incrementAndGet();
        return out;
    }

    /**
     * A report from a person: journaled like any message (input {@code intake}), then decided by
     * {@code decide} (the criteria for theft and loss facts, or the handler's Annex decision).
     */
    public List<Verdict> acceptReport(Receipt receipt, byte[] raw, java.util.function.LongFunction<Event> event,
                                      java.util.function.Function<Event, List<Verdict>> decide) {
        batches.readLock().lock();
        try {
            long seq = journal.append(List.of(new JournalEntry(receipt, 0, raw)));
            metrics.journaled(1);
            metrics.received(receipt.input(), 1, raw.length);
            List<Verdict> out = new ArrayList<>(1);
            collect(decide.apply(event.apply(seq)), out);
            judged.incrementAndGet();
            return out;
        } finally {
            batches.readLock().unlock();
        }
    }

    /** An incident verdict handed out earlier has been applied to the cases. */
    public void incidentApplied() {
        incidentsApplied.incrementAndGet();
    }

    /** {@code n} incident verdicts handed out earlier have been applied to the cases. */
    public void incidentsApplied(int n) {
        incidentsApplied.addAndGet(n);
    }

    /**
     * Runs {@code snapshot} with no batch in flight and every incident handed out already applied
     * to the cases, so that the triage state it saves covers exactly the journal up to its last
     * sequence number. Returns false (and runs nothing) when the cases did not catch up in time.
     */
    public boolean consistently(java.util.function.LongConsumer snapshot, long waitMillis) throws InterruptedException {
        batches.writeLock().lock();
        try {
            long deadline = System.currentTimeMillis() + waitMillis;
            while (incidentsApplied.get() < incidentsOut.get()) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            snapshot.accept(journal.lastSeq());
            return true;
        } finally {
            batches.writeLock().unlock();
        }
    }

    /** Every verdict, level 0 included, is also handed to {@code listener} (on the input's thread). */
    public void addListener(java.util.function.Consumer<Verdict> listener) {
        listeners.add(listener);
    }

    private void collect(List<Verdict> verdicts, List<Verdict> incidents) {
        BatchCounts counts = new BatchCounts();
        collect(verdicts, incidents, counts);
        counts.publish(metrics);
    }

    private void collect(List<Verdict> verdicts, List<Verdict> incidents, BatchCounts counts) {
        for (Verdict v : verdicts) {
            counts.verdict(v);
            for (java.util.function.Consumer<Verdict> l : listeners) {
                l.accept(v);
            }
            if (v.incident()) {
                incidents.add(v);
                incidentsOut.incrementAndGet();
            }
        }
    }

    public Journal journal() {
        return journal;
    }

    public TriageEngine triage() {
        return triage;
    }
}
