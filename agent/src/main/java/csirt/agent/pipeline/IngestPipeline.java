package csirt.agent.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

import csirt.agent.cases.CaseChange;
import csirt.agent.ingest.Frame;
import csirt.agent.journal.Journal;
import csirt.agent.journal.JournalEntry;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.Receipt;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.parse.Event;
import csirt.agent.parse.EventParser;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.TriageState;
import csirt.agent.triage.Verdict;
import org.slf4j.LoggerFactory;

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
    private final AtomicLong judged = new AtomicLong();
    private final AtomicLong pieces = new AtomicLong();
    private final List<Consumer<Verdict>> listeners = new CopyOnWriteArrayList<>();

    private volatile Consumer<Event> observer = e -> { };

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
    private final ReentrantLock order = new ReentrantLock();
    private final Semaphore room = new Semaphore(MAX_QUEUED_EVENTS);
    private final Semaphore udpRoom = new Semaphore(UDP_OVERDRAFT_EVENTS);
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final AtomicLong judgeFailures = new AtomicLong();
    private final AtomicLong backpressure = new AtomicLong();
    private volatile CaseSink sink;
    /** The last journal seq queued for the judge (held with {@link #order}): what a tick or snapshot queued now comes after. */
    private long lastQueuedSeq;
    private volatile boolean stopping;
    private final Thread judge;

    /**
     * One item of the judge queue, in journal order: a batch of events, each parsed ({@link Event})
     * or also matched ({@link TriageEngine.Matched}), null for later pieces of over-long frames; or
     * a report from a person with its own decision; or a tick of the clock; or a snapshot of the
     * triage state. {@code lastSeq}: every record up to it is queued before or in this item.
     */
    private record Work(List<Object> events, Event report, Function<Event, List<Verdict>> decide,
                        Instant tick, boolean snapshot, long lastSeq, Object done, boolean overdraft, Filling filling) {
        Work(List<Object> events, Event report, Function<Event, List<Verdict>> decide, Instant tick, boolean snapshot, long lastSeq,
             Object done, boolean overdraft) {
            this(events, report, decide, tick, snapshot, lastSeq, done, overdraft, null);
        }

        int weight() {
            return filling != null ? filling.size : events == null ? 0 : events.size();
        }

        static Work batch(List<Object> events, long lastSeq, CompletableFuture<List<CaseChange>> done,
                          boolean overdraft) {
            return new Work(events, null, null, null, false, lastSeq, done, overdraft);
        }
    }

    /**
     * A batch queued in journal order before its events are parsed: the input's thread parses and
     * matches them after it let go of the order lock (so that several connections parse at once,
     * instead of one after the other under the lock), and the judge waits for it when it gets there.
     */
    private static final class Filling {
        final int size;
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        private volatile RuntimeException failure;

        Filling(int size) {
            this.size = size;
        }

        void filled(RuntimeException failure) {
            this.failure = failure;
            done.countDown();
        }

        /** Waits until the events are there; a failure to parse them is the batch's. */
        void await() {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for a batch to be parsed", e);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Sees every parsed event before triage (the silence watch); must be cheap. */
    public void observe(Consumer<Event> o) {
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
     * Where the incidents and state snapshots go (the case stage); set before anything is queued.
     * It may block: the judge thread then waits (backpressure).
     */
    public void casesTo(CaseSink sink) {
        this.sink = sink;
    }

    /**
     * The journal seq the saved state and the cases cover at start: records after it are queued
     * again by recovery ({@link #rejudgeAsync}); ticks and snapshots come after them.
     */
    public void judgedFrom(long coveredSeq) {
        order.lock();
        try {
            lastQueuedSeq = coveredSeq;
        } finally {
            order.unlock();
        }
    }

    /** Times an input had to wait for room in the judge queue (TCP senders were then held back). */
    public long backpressureWaits() {
        return backpressure.get();
    }

    /** True when the judge thread ended without being asked to (health reports it). */
    public boolean judgeStopped() {
        return !stopping && !judge.isAlive();
    }

    /** Parses a batch's frames (and matches them when {@code matchHere}) into {@code events}, in order. */
    private void fill(List<Frame> frames, Receipt receipt, EventParser.Source source, long first, boolean matchHere, List<Object> events,
                      BatchCounts counts) {
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
     * Journals and parses the frames of one read and queues them for the judge thread; their
     * incidents go to the cases ({@link #casesTo}). Returns once the batch is journaled and queued.
     * Throws when the journal cannot write: nothing of the batch is then journaled, and the input
     * must not acknowledge it.
     */
    public void acceptAsync(List<Frame> frames, Receipt receipt, EventParser.Source source) {
        if (!frames.isEmpty()) {
            submit(frames, receipt, source);
        }
    }

    /** As {@link #acceptAsync} for one message of the agent's own; returns its journal seq. */
    public long acceptOwn(byte[] line, Receipt receipt) {
        return submit(List.of(Frame.whole(line)), receipt, EventParser.Source.SYSLOG);
    }

    /** Returns the seq of the batch's first record. */
    private long submit(List<Frame> frames, Receipt receipt, EventParser.Source source) {
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
        long first;
        // TCP batches are parsed after the order lock (several connections at once); a UDP batch, small
        // and frequent, under it as before: the judge then never waits for it (waiting cost UDP datagrams)
        Filling filling = udp ? null : new Filling(frames.size());
        List<Object> events = new ArrayList<>(frames.size());
        order.lock();
        try {
            try {
                first = journal.append(entries);
            } catch (RuntimeException e) {
                metrics.journalFailed();
                throw e;
            }
            metrics.journaled(entries.size());
            if (udp) {
                fill(frames, receipt, source, first, false, events, counts);
            }
            // its place in the judge queue now, in journal order
            enqueue(new Work(events, null, null, null, false, first + frames.size() - 1, null, overdraft, filling));
            queuedIt = true;
        } finally {
            order.unlock();
            if (!queuedIt) {
                (overdraft ? udpRoom : room).release(permits);
            }
        }
        if (filling != null) {
            RuntimeException failure = null;
            try {
                // Matching the conditions is stateless and runs where there is room: on this thread
                // while the judge thread has a backlog, else on the judge thread, which then has time
                // for it. One connection's thread, the busiest part of the pipeline, is spared when it can be.
                fill(frames, receipt, source, first, queuedEvents() >= MATCH_ON_INPUT_ABOVE, events, counts);
            } catch (RuntimeException e) {
                failure = e; // journaled all the same; the judge counts the batch as failed (replay judges it again)
                throw e;
            } finally {
                filling.filled(failure);
            }
        }
        counts.publish(metrics);
        return first;
    }

    /** Called holding {@link #order}, with the room taken: queues in journal order. */
    private void enqueue(Work w) {
        if (w.lastSeq > lastQueuedSeq) {
            lastQueuedSeq = w.lastSeq;
        }
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

    /** The judge thread: batches and ticks in journal order, until stopped with nothing left. */
    private void judgeLoop() {
        while (true) {
            Work w;
            try {
                w = queue.poll(100, TimeUnit.MILLISECONDS);
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
                judge(w);
            } catch (RuntimeException | Error e) {
                judgeFailures.incrementAndGet();
                LoggerFactory.getLogger(IngestPipeline.class).error(
                        "Judging a batch of {} records failed; they are journaled, and `replay` judges them again: {}",
                        w.weight(), e.toString(), e);
                if (w.done instanceof CompletableFuture<?> f) {
                    f.completeExceptionally(e);
                }
            } finally {
                (w.overdraft ? udpRoom : room).release(Math.min(w.weight(), MAX_QUEUED_EVENTS));
            }
        }
    }

    /** One item of the queue, on the judge thread. */
    @SuppressWarnings("unchecked")
    private void judge(Work w) {
        CaseSink to = sink;
        if (to == null) {
            throw new IllegalStateException("no case stage to hand verdicts to");
        }
        if (w.snapshot) {
            to.snapshot(w.lastSeq, TriageState.serialize(triage, w.lastSeq), (CompletableFuture<Long>) w.done);
            return;
        }
        List<Verdict> incidents;
        if (w.report != null) {
            incidents = new ArrayList<>(1);
            collect(w.decide.apply(w.report), incidents);
            judged.incrementAndGet();
        } else {
            if (w.filling != null) {
                w.filling.await();
            }
            incidents = w.events == null ? judgeTick(w.tick) : judgeBatch(w.events);
        }
        CompletableFuture<List<CaseChange>> done = (CompletableFuture<List<CaseChange>>) w.done;
        if (!incidents.isEmpty()) {
            to.incidents(incidents, w.lastSeq, done);
        } else if (done != null) {
            done.complete(List.of());
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
        private final Map<String, int[]> parsed = new HashMap<>(4);
        private final Map<String, int[]> failed = new HashMap<>(4);
        private final Map<String, int[]> levels = new HashMap<>(4);
        private final Map<String, int[]> criteria = new HashMap<>(16);
        private final Map<String, int[]> repeats = new HashMap<>(4);

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

    /**
     * Decides held events whose wait has ended: in the judge queue, after the events received
     * before now; their incidents go to the cases like those of any batch.
     */
    public void tick(Instant now) {
        order.lock();
        try {
            enqueue(new Work(null, null, null, now, false, lastQueuedSeq, null, false));
        } finally {
            order.unlock();
        }
    }

    /**
     * Queues a snapshot of the triage state after everything queued so far: the judge thread takes
     * it when it gets there, and the cases save it once they hold every incident before it. No
     * input waits for it. {@code done} completes with the seq it covers.
     */
    public CompletableFuture<Long> snapshot() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        order.lock();
        try {
            enqueue(new Work(null, null, null, null, true, lastQueuedSeq, done, false));
        } finally {
            order.unlock();
        }
        return done;
    }

    /**
     * Queues records the journal holds but the saved triage state does not cover (after a crash),
     * to be judged again in journal order with their receipt times; their incidents go to the
     * cases, which recognise those they already hold. {@code done} gets what they changed.
     */
    public CompletableFuture<List<CaseChange>> rejudgeAsync(List<JournalRecord> records,
                                                                              Function<JournalRecord, EventParser.Source> source) {
        CompletableFuture<List<CaseChange>> done = new CompletableFuture<>();
        if (records.isEmpty()) {
            done.complete(List.of());
            return done;
        }
        List<Object> events = new ArrayList<>(records.size());
        for (JournalRecord r : records) {
            events.add((r.flags() & JournalRecord.FLAG_CONTINUATION) != 0 ? null
                    : parser.parse(r.seq(), r.receipt(), r.payload(), source.apply(r)));
        }
        int permits = Math.min(events.size(), MAX_QUEUED_EVENTS);
        reserve(permits, false);
        order.lock();
        try {
            enqueue(Work.batch(events, records.get(records.size() - 1).seq(), done, false));
        } finally {
            order.unlock();
        }
        return done;
    }

    /**
     * A report from a person: journaled like any message (input {@code intake}), then decided on the
     * judge thread, in journal order, by {@code decide} (the criteria for theft and loss facts, or
     * the handler's Annex decision). {@code done} gets what its incidents changed in the cases.
     */
    public CompletableFuture<List<CaseChange>> submitReport(Receipt receipt, byte[] raw,
                                                                              LongFunction<Event> event,
                                                                              Function<Event, List<Verdict>> decide) {
        CompletableFuture<List<CaseChange>> done = new CompletableFuture<>();
        order.lock();
        try {
            long seq = journal.append(List.of(new JournalEntry(receipt, 0, raw)));
            metrics.journaled(1);
            metrics.received(receipt.input(), 1, raw.length);
            enqueue(new Work(null, event.apply(seq), decide, null, false, seq, done, false));
        } finally {
            order.unlock();
        }
        return done;
    }

    /** Every verdict, level 0 included, is also handed to {@code listener} (on the input's thread). */
    public void addListener(Consumer<Verdict> listener) {
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
            for (Consumer<Verdict> l : listeners) {
                l.accept(v);
            }
            if (v.incident()) {
                incidents.add(v);
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
