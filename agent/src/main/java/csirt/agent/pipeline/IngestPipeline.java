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
 * The hot path for a batch of frames from one read: journal them (one write) and parse them on the
 * input's thread, then triage them in a tight loop on the judge thread, and hand on only the
 * verdicts that need a case (level 1 and 2). Level 0 verdicts are counted and end here.
 *
 * <p>Two stages on two cores: the input's I/O thread frames, journals and parses; one judge thread
 * does what needs the shared state (windows, holds, sequences, repeats), in journal order. Matching
 * the criteria's conditions is stateless and runs on whichever of the two has room. The hand-off is per batch, bounded by {@link #MAX_QUEUED_EVENTS} events: when triage falls behind,
 * the input's thread waits, stops reading, and TCP senders are slowed by their window (nothing is
 * dropped). Batches are queued in journal order, and ticks of the clock join the same queue, so
 * the verdicts are those of judging every record one by one in journal order.
 */
public final class IngestPipeline {

    private final Journal journal;
    private final EventParser parser;
    private final TriageEngine triage;
    private final AgentMetrics metrics;
    private final java.util.concurrent.atomic.AtomicLong judged = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong incidentsOut = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong incidentsApplied = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong pieces = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.List<java.util.function.Consumer<Verdict>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile java.util.function.Consumer<Event> observer = e -> { };

    /**
     * Events parsed and waiting for the judge thread, at most: about 5 MB, some ten reads. Deeper
     * buys nothing but garbage-collection work: a full queue is live data that every young
     * collection copies (at 20,000 events, young collections took 10 % of the CPU at full rate).
     */
    public static final int MAX_QUEUED_EVENTS = 5_000;
    /** Queued events above which the input's thread matches the conditions itself (the judge is busy). */
    static final int MATCH_ON_INPUT_ABOVE = 1_000;
    /**
     * Events UDP batches may queue beyond {@link #MAX_QUEUED_EVENTS}. A TCP sender waits when the
     * judge falls behind; a UDP sender does not, and what the socket buffer (some 80 ms at
     * 50,000/s) cannot hold is lost. The judge can fall behind for longer than that (thousands of
     * held detections decided at once, a criteria reload, a busy machine), so UDP gets room of its
     * own: about 20 MB, some 0.4 s at 50,000/s. Beyond it UDP waits too, and the kernel counts the drops.
     */
    public static final int UDP_OVERDRAFT_EVENTS = 20_000;
    /** Journal appends and their place in the judge queue happen together, in journal order. */
    private final java.util.concurrent.locks.ReentrantLock order = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(MAX_QUEUED_EVENTS);
    private final java.util.concurrent.Semaphore udpRoom = new java.util.concurrent.Semaphore(UDP_OVERDRAFT_EVENTS);
    private final java.util.concurrent.BlockingQueue<Work> queue = new java.util.concurrent.LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong worked = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong judgeFailures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong backpressure = new java.util.concurrent.atomic.AtomicLong();
    private volatile java.util.function.Consumer<List<Verdict>> incidentSink;
    private volatile boolean stopping;
    private final Thread judge;

    /**
     * A batch of events, each parsed ({@link Event}) or also matched ({@link TriageEngine.Matched});
     * null for later pieces of over-long frames. Or a tick of the clock.
     */
    private record Work(List<Object> events, Instant tick, java.util.concurrent.CompletableFuture<List<Verdict>> reply,
                        boolean overdraft) {
        int weight() {
            return events == null ? 0 : events.size();
        }
    }

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
        this.judge = new Thread(this::judgeLoop, "csirt-judge");
        judge.setDaemon(true);
        judge.start();
    }

    /**
     * Where the incidents of batches accepted by {@link #acceptAsync} go (the case stage); set
     * before the inputs start. It may block: the judge thread then waits (backpressure).
     */
    public void incidentsTo(java.util.function.Consumer<List<Verdict>> sink) {
        this.incidentSink = sink;
    }

    /** Times an input had to wait for room in the judge queue (TCP senders were then held back). */
    public long backpressureWaits() {
        return backpressure.get();
    }

    /** True when the judge thread ended without being asked to (health reports it). */
    public boolean judgeStopped() {
        return !stopping && !judge.isAlive();
    }

    /** Events parsed and not yet judged. */
    public int queuedEvents() {
        return MAX_QUEUED_EVENTS - room.availablePermits() + UDP_OVERDRAFT_EVENTS - udpRoom.availablePermits();
    }

    /** Batches whose judging threw (their records are journaled; replay judges them again). */
    public long judgeFailures() {
        return judgeFailures.get();
    }

    /**
     * Journals, parses and triages the frames of one read and returns the incidents. Throws when the
     * journal cannot write: nothing of the batch is then journaled, and the input must not
     * acknowledge it.
     */
    public List<Verdict> accept(List<Frame> frames, Receipt receipt, EventParser.Source source) {
        if (frames.isEmpty()) {
            return List.of();
        }
        if (Thread.currentThread() == judge) {
            throw new IllegalStateException("the judge thread cannot wait for itself");
        }
        java.util.concurrent.CompletableFuture<List<Verdict>> reply = new java.util.concurrent.CompletableFuture<>();
        submit(frames, receipt, source, reply);
        return await(reply);
    }

    /**
     * As {@link #accept}, without waiting for the verdicts: the incidents go to {@link #incidentsTo}.
     * Returns once the batch is journaled and queued for the judge thread.
     */
    public void acceptAsync(List<Frame> frames, Receipt receipt, EventParser.Source source) {
        if (!frames.isEmpty()) {
            submit(frames, receipt, source, null);
        }
    }

    private void submit(List<Frame> frames, Receipt receipt, EventParser.Source source,
                        java.util.concurrent.CompletableFuture<List<Verdict>> reply) {
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
        BatchCounts counts = new BatchCounts();
        boolean udp = "udp".equals(receipt.transport());
        // Room in the judge queue first, before the order lock: an input waiting for room must not
        // hold up the others (a UDP input with overdraft left, above all).
        int permits = Math.min(frames.size(), MAX_QUEUED_EVENTS);
        boolean overdraft = reserve(permits, udp);
        boolean queuedIt = false;
        order.lock();
        try {
            long first;
            try {
                first = journal.append(entries);
            } catch (RuntimeException e) {
                metrics.journalFailed();
                throw e;
            }
            metrics.journaled(entries.size());
            List<Object> events = new ArrayList<>(frames.size());
            // Matching the conditions is stateless and runs where there is room: on this thread
            // while the judge thread has a backlog, else on the judge thread, which then has time
            // for it. One connection's thread, the busiest part of the pipeline, is spared when it can be.
            // Not on a UDP input's thread: it must get back to its socket (see UDP_OVERDRAFT_EVENTS).
            boolean matchHere = !udp && queuedEvents() >= MATCH_ON_INPUT_ABOVE;
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frames.get(i);
                if (f.continuation()) {
                    // Later pieces of an over-long frame are evidence, not new events: the first piece is judged.
                    events.add(null);
                    continue;
                }
                Event e = parser.parse(first + i, receipt, f.bytes(), source);
                String undecoded = e.fields().get(EventParser.DECODE_ERRORS);
                if (undecoded != null) {
                    metrics.decodeError(receipt.input(), undecoded);
                }
                counts.event(e);
                events.add(matchHere ? triage.match(e) : e);
            }
            enqueue(new Work(events, null, reply, overdraft));
            queuedIt = true;
        } finally {
            order.unlock();
            if (!queuedIt) {
                (overdraft ? udpRoom : room).release(permits);
            }
        }
        counts.publish(metrics);
    }

    /** Called holding {@link #order}, with the room taken: queues in journal order. */
    private void enqueue(Work w) {
        queued.incrementAndGet();
        queue.add(w);
    }

    /**
     * Takes room for {@code n} events in the judge queue, waiting for it when triage is behind (the
     * input then reads nothing, and TCP senders are held back by their windows). A UDP batch takes
     * the UDP overdraft before it waits. Returns whether it took the overdraft.
     */
    private boolean reserve(int n, boolean udp) {
        if (room.tryAcquire(n)) {
            return false;
        }
        if (udp && udpRoom.tryAcquire(n)) {
            return true;
        }
        backpressure.incrementAndGet();
        room.acquireUninterruptibly(n);
        return false;
    }

    private static List<Verdict> await(java.util.concurrent.CompletableFuture<List<Verdict>> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the batch was judged (it is journaled)", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** The judge thread: batches and ticks in journal order, until stopped with nothing left. */
    private void judgeLoop() {
        while (true) {
            Work w;
            try {
                w = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (w == null) {
                if (stopping) {
                    return;
                }
                continue;
            }
            try {
                List<Verdict> incidents = w.events == null ? judgeTick(w.tick) : judgeBatch(w.events);
                if (w.reply != null) {
                    w.reply.complete(incidents);
                } else if (!incidents.isEmpty()) {
                    java.util.function.Consumer<List<Verdict>> sink = incidentSink;
                    if (sink == null) {
                        throw new IllegalStateException("no case stage to hand " + incidents.size() + " incidents to");
                    }
                    sink.accept(incidents);
                }
            } catch (RuntimeException | Error e) {
                judgeFailures.incrementAndGet();
                org.slf4j.LoggerFactory.getLogger(IngestPipeline.class).error(
                        "Judging a batch of {} records failed; they are journaled, and `replay` judges them again: {}",
                        w.weight(), e.toString(), e);
                if (w.reply != null) {
                    w.reply.completeExceptionally(e);
                }
            } finally {
                (w.overdraft ? udpRoom : room).release(Math.min(w.weight(), MAX_QUEUED_EVENTS));
                worked.incrementAndGet();
            }
        }
    }

    private List<Verdict> judgeBatch(List<Object> events) {
        List<Verdict> incidents = new ArrayList<>(0);
        BatchCounts counts = new BatchCounts();
        for (Object o : events) {
            if (o == null) {
                pieces.incrementAndGet();
                continue;
            }
            TriageEngine.Matched m = o instanceof TriageEngine.Matched done ? done : triage.match((Event) o);
            observer.accept(m.event());
            collect(triage.evaluate(m), incidents, counts);
            judged.incrementAndGet();
        }
        counts.publish(metrics);
        return incidents;
    }

    private List<Verdict> judgeTick(Instant now) {
        List<Verdict> out = new ArrayList<>(0);
        collect(triage.tick(now), out);
        return out;
    }

    /**
     * Stops the judge thread once everything queued is judged (at shutdown, after the inputs
     * stopped). Returns false when that took longer than {@code waitMillis}.
     */
    public boolean drain(long waitMillis) throws InterruptedException {
        stopping = true;
        judge.join(waitMillis);
        return !judge.isAlive();
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

    /** Decides held events whose wait has ended: in the judge queue, after the events received before now. */
    public List<Verdict> tick(Instant now) {
        java.util.concurrent.CompletableFuture<List<Verdict>> reply = new java.util.concurrent.CompletableFuture<>();
        order.lock();
        try {
            enqueue(new Work(null, now, reply, false));
        } finally {
            order.unlock();
        }
        return await(reply);
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
        order.lock();
        try {
            awaitIdle(Long.MAX_VALUE);
            long seq = journal.append(List.of(new JournalEntry(receipt, 0, raw)));
            metrics.journaled(1);
            metrics.received(receipt.input(), 1, raw.length);
            List<Verdict> out = new ArrayList<>(1);
            collect(decide.apply(event.apply(seq)), out);
            judged.incrementAndGet();
            return out;
        } finally {
            order.unlock();
        }
    }

    /** Called holding {@link #order}: waits until the judge thread has judged everything queued. */
    private boolean awaitIdle(long deadlineMillis) {
        while (worked.get() < queued.get()) {
            if (System.currentTimeMillis() > deadlineMillis) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
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
        order.lock();
        try {
            long deadline = System.currentTimeMillis() + waitMillis;
            if (!awaitIdle(deadline)) {
                return false;
            }
            while (incidentsApplied.get() < incidentsOut.get()) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            snapshot.accept(journal.lastSeq());
            return true;
        } finally {
            order.unlock();
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
