package csirt.agent;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

import csirt.agent.cases.CaseChange;
import csirt.agent.cases.CaseStore;
import csirt.agent.config.AgentConfig;
import csirt.agent.config.Settings;
import csirt.agent.config.Settings.Key;
import csirt.agent.http.HttpEndpoint;
import csirt.agent.ingest.ListeningPorts;
import csirt.agent.journal.Journal;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.notify.NoticeService;
import csirt.agent.notify.NoticeComposer;
import csirt.agent.notify.NoticeFiles;
import csirt.agent.parse.EventParser;
import csirt.agent.pipeline.IngestPipeline;
import csirt.agent.triage.TriageEngine;
import csirt.agent.triage.TriageState;
import csirt.agent.triage.Verdict;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's parts, built from a validated configuration and closed in reverse order: metrics,
 * journal, triage, cases, notices and the local HTTP endpoint. No Camel here; the Camel adapter
 * wires these into routes.
 */
public final class AgentServices implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentServices.class);

    private final AgentConfig config;
    private final Path dataDir;
    private final PrometheusMeterRegistry registry;
    private final AgentMetrics metrics;
    private final Journal journal;
    private final IngestPipeline pipeline;
    private final CaseStore cases;
    private final NoticeComposer composer;
    private final NoticeFiles noticeFiles;
    private final NoticeService notices;
    private final HttpEndpoint http;
    private final String hostName;
    private final java.nio.file.Path stateFile;
    private final long coveredAtStart;
    private long lastStateSave;
    private long lastConfigCheck;
    private final csirt.agent.config.ConfigWatcher watcher;
    private final String apiToken;
    private final ListeningPorts listening = new ListeningPorts();

    private AgentServices(AgentConfig config, Path dataDir) throws IOException {
        this.config = config;
        this.dataDir = dataDir;
        Settings s = config.settings();
        this.hostName = localHostName();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Keep the exposition clean for `promtool check metrics`: no abbreviated units, no _count on a gauge.
        registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.metrics = new AgentMetrics(registry);
        // evidence, personal data in log lines, the API token: the data directory is its owner's only,
        // whatever it was before (a directory made 0777 by hand is made 0700)
        PrivateFiles.directory(dataDir);
        this.journal = Journal.open(dataDir.resolve("journal"), s.getInt(Key.JOURNAL_FSYNC));
        ListeningPorts.remove(dataDir); // this process holds the journal's lock: what an earlier one listed is stale
        journal.rotateAt(s.getInt(Key.JOURNAL_SEGMENT_MB) * 1024L * 1024L, java.time.Duration.ofHours(s.getInt(Key.JOURNAL_SEGMENT_HOURS)));
        journal.fsyncEvery(s.getInt(Key.JOURNAL_FSYNC_RECORDS));
        TriageEngine triage = new TriageEngine(config.criteria(), config.assets());
        triage.explainAll(false); // live, facts are for incidents (case records, notices); replay explains the rest
        this.stateFile = dataDir.resolve("triage").resolve("state.bin");
        long stateCovered = -1;
        if (java.nio.file.Files.exists(stateFile)) {
            try {
                TriageState.Restored restored = TriageState.restore(triage, stateFile);
                stateCovered = restored.coveredSeq();
                LOG.info("Restored triage state from {} (covers the journal to seq {}): {} held events{}", stateFile, stateCovered,
                        triage.heldCount(), restored.dropped() > 0 ? ", " + restored.dropped() + " dropped because their criteria are gone" : "");
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not restore the triage state from {} ({}); starting with empty windows and holds",
                        stateFile, e.toString());
            }
        }
        EventParser parser = new EventParser(s.getZone(Key.SYSLOG_ZONE));
        parser.useSources(config.assets()::sourceProfile);
        this.pipeline = new IngestPipeline(journal, parser, triage, metrics);
        silence.watch(config.assets(), java.time.Instant.now());
        pipeline.observe(silence::seen);
        this.cases = CaseStore.open(dataDir, s.get(Key.CASES_JDBC_URL), s.get(Key.CASES_JDBC_USER), s.get(Key.CASES_JDBC_PASSWORD),
                java.time.Duration.ofMillis(s.getInt(Key.MAIL_RETRY_DELAY)), java.time.Duration.ofMillis(s.getInt(Key.MAIL_RETRY_MAX_DELAY)));
        cases.journalId(journal.id());
        this.coveredAtStart = coveredAtStart(stateCovered, cases.coveredSeq());
        String httpHost = s.get(Key.HTTP_HOST).equals("0.0.0.0") ? "127.0.0.1" : s.get(Key.HTTP_HOST);
        this.composer = new NoticeComposer(config.contacts(), config.templates(), s.getZone(Key.NOTICE_ZONE), hostName,
                s.get(Key.NOTICE_CHARSET), "http://" + httpHost + ":" + s.get(Key.HTTP_PORT) + "/api/cases/");
        this.noticeFiles = new NoticeFiles(dataDir.resolve("notices"));
        this.notices = new NoticeService(cases, composer, noticeFiles, metrics, journal::lastSeq, journal::headHashHex,
                java.time.Duration.ofMinutes(s.getInt(Key.NOTICE_UPDATE_INTERVAL)), s.getInt(Key.NOTICE_HOURLY_CAP),
                java.time.LocalTime.parse(s.get(Key.NOTICE_DIGEST_TIME)), s.getZone(Key.NOTICE_ZONE),
                java.time.Duration.ofMinutes(s.getInt(Key.OUTBOX_ALERT)), dataDir);
        pipeline.addListener(notices::countLevelZero);
        this.caseStage = new CaseStage(cases, notices, stateFile, this::logChanges);
        pipeline.casesTo(caseStage);
        pipeline.judgedFrom(coveredAtStart);
        caseStage.start();
        metrics.registerKnown(List.of("syslog-udp", "syslog-tcp", "syslog-tls", "syslog-relp", "clamav-file", "file-tail", "intake"),
                config.criteria().criteria().stream().map(csirt.agent.triage.Criterion::id).toList());
        long tornAfter = journal.lastSeq();
        Recovery.run(journal, pipeline, metrics, coveredAtStart);
        if (journal.recoveredTornBytes() > 0) {
            // visible in the journal itself (and so in replay and exports), not only in the log
            metrics.tornRecordCut();
            internal("journal-recovery", "csirt-agent journal-recovery: cut a torn last record of " + journal.recoveredTornBytes()
                    + " bytes after seq " + tornAfter + " (the agent had stopped in the middle of a write)");
        }
        metrics.gauge("outbox.depth", "Notices waiting in the durable outbox", () -> cases.outbox().depth());
        metrics.gauge("outbox.oldest.age.seconds", "Age of the oldest notice waiting in the outbox (0 when none)", () -> {
            java.time.Instant oldest = cases.outbox().oldest();
            return oldest == null ? 0 : java.time.Duration.between(oldest, java.time.Instant.now()).toSeconds();
        });
        this.watcher = new csirt.agent.config.ConfigWatcher(config.dir());
        this.apiToken = ApiToken.generate();
        metrics.gauge("journal.last.seq", "Sequence number of the last journaled record", journal::lastSeq);
        metrics.functionCounter("journal.written", "Bytes appended to the evidence journal", "bytes", journal, Journal::bytesWritten);
        metrics.functionTimer("journal.fsync", "Forcing the journal to disk (group commit)", journal, Journal::fsyncs,
                Journal::fsyncSeconds);
        metrics.gauge("journal.segments", "Segment files of the journal", journal::segmentCount);
        metrics.gauge("cases.queue.batches", "Batches of level 1-2 verdicts waiting for the case stage (the one being applied included)",
                caseStage::backlog);
        metrics.gauge("judge.queue.events", "Events parsed and waiting for the judge thread (at most "
                + IngestPipeline.MAX_QUEUED_EVENTS + ", and up to " + IngestPipeline.UDP_OVERDRAFT_EVENTS
                + " more from UDP, which cannot be held back)", pipeline::queuedEvents);
        metrics.functionCounter("backpressure.waits", "Times an input waited for room in the judge queue, reading nothing "
                + "meanwhile (TCP senders held back instead of messages dropped)", null, pipeline, IngestPipeline::backpressureWaits);
        metrics.functionCounter("judge.failures", "Batches whose judging failed (journaled; `replay` judges them again)",
                null, pipeline, IngestPipeline::judgeFailures);
        // every journal record is judged once (decided or held) or is a later piece of an over-long
        // frame: this equals journal.records when nothing is waiting, which the benchmark checks
        metrics.functionCounter("events.judged", "Journal records judged (decided or held), later pieces of over-long frames included",
                null, pipeline, p -> p.judged() + p.continuationPieces());
        for (int level = 1; level <= 2; level++) {
            int l = level;
            metrics.gauge("cases.open", "Cases not closed, per level", "level", Integer.toString(level),
                    () -> cases.openCases().stream().filter(c -> c.level() == l).count());
        }
        metrics.gauge("ready", "1 when the agent is ready (see /health/ready), else 0", () -> readinessProblems().isEmpty() ? 1 : 0);
        metrics.udpSocket("syslog-udp", new csirt.agent.ingest.UdpSocketStats(
                () -> listening.port("syslog-udp", s.getInt(Key.SYSLOG_UDP_PORT))));
        csirt.agent.ingest.TcpBacklog tcpBacklog = new csirt.agent.ingest.TcpBacklog(
                () -> listening.port("syslog-tcp", s.getInt(Key.SYSLOG_TCP_PORT)));
        metrics.gauge("tcp.unread.bytes", "Bytes senders delivered to the TCP input that the agent has not read yet (the kernel "
                + "holds them while the agent pushes back); -1 = unknown", "input", "syslog-tcp", tcpBacklog::unreadBytes);
        metrics.gauge("triage.held", "Events waiting for a release or deadline before their verdict", triage::heldCount);
        try {
            CaseApi caseApi = new CaseApi(cases, caseStage, new Intake(pipeline, caseStage, composer), this::custody);
            this.http = HttpEndpoint.start(s.get(Key.HTTP_HOST), s.getInt(Key.HTTP_PORT), s.getList(Key.HTTP_ALLOWED_HOSTS), registry, this::health,
                    apiToken, () -> {
                        ReloadResult r = reload("reload command");
                        return new HttpEndpoint.Outcome(r.ok(), r.message());
                    }, caseApi::caseJson, caseApi::write);
            ApiToken.write(dataDir, apiToken, httpHost + ":" + http.port());
            listening.bound("http", new java.net.InetSocketAddress(s.get(Key.HTTP_HOST), http.port()));
        } catch (IOException e) {
            journal.close();
            cases.close();
            throw new IOException("Cannot serve metrics on http.host " + s.get(Key.HTTP_HOST) + " port "
                    + s.get(Key.HTTP_PORT), e);
        }
    }

    /** Builds every part; a failure stops start-up (the process then exits and releases what it opened). */
    public static AgentServices open(AgentConfig config, Path dataDir) throws IOException {
        return new AgentServices(config, dataDir);
    }

    /**
     * Where judging starts again: the saved triage state says how far it judged, the cases how far
     * their incidents are recorded; after a crash the smaller wins, so no incident is left out (the
     * cases recognise those they hold). Without a state, the cases' coverage; with neither, the
     * whole journal; a store that never recorded coverage (an earlier version's) leaves the state's word.
     */
    private static long coveredAtStart(long stateCovered, long casesCovered) {
        if (stateCovered < 0) {
            return Math.max(0, casesCovered);
        }
        if (casesCovered >= 0 && casesCovered < stateCovered) {
            LOG.warn("The triage state covers the journal to seq {} but the cases only to seq {}: judging again from seq {}",
                    stateCovered, casesCovered, casesCovered + 1);
            return casesCovered;
        }
        return stateCovered;
    }

    private final CaseStage caseStage;

    /** Batches of incidents the case stage has not applied yet. */
    public int caseBacklog() {
        return caseStage.backlog();
    }

    /** Starts a delivery pass after new notices (set by the daemon once Camel runs). */
    public void outboxKick(Runnable kick) {
        caseStage.afterBatch(kick);
    }

    private void logChanges(List<CaseChange> changes) {
        for (CaseChange change : changes) {
            Verdict v = change.verdict();
            switch (change.kind()) {
                case OPENED -> {
                    metrics.caseOpened(v.category().id(), change.caseRecord().level());
                    metrics.noticeQueued("opened");
                    LOG.info("Opened case {} level {} {} by {} ({})", change.caseRecord().displayId(), change.caseRecord().level(),
                            v.category().id(), v.criterionId(), v.summary());
                }
                case ESCALATED -> {
                    metrics.caseEscalated(v.category().id(), change.caseRecord().level());
                    metrics.noticeQueued("escalated");
                    LOG.info("Escalated case {} from level {} to {} by {} ({})", change.caseRecord().displayId(),
                            change.previousLevel(), change.caseRecord().level(), v.criterionId(), v.summary());
                }
                default -> LOG.debug("Attached {} to case {}", v.summary(), change.caseRecord().displayId());
            }
        }
    }

    private java.util.concurrent.CompletableFuture<Object> housekeeping = java.util.concurrent.CompletableFuture.completedFuture(null);

    /** Every minute: queue the updates that are due and, once a day, the digest (by the case stage, the one writer). */
    public synchronized void noticeHousekeeping(java.time.Instant now) {
        if (housekeeping.isDone()) {
            housekeeping = caseStage.write("queue notice updates and the digest", store -> {
                notices.queueUpdates(now);
                notices.digestIfDue(now);
                return null;
            });
        }
    }

    public NoticeService notices() {
        return notices;
    }

    /**
     * Called every second by the timer route: saves a consistent triage state every ten seconds,
     * decides held events whose time is up, and forces the journal to disk.
     */
    public void tick(java.time.Instant now) {
        if (now.toEpochMilli() - lastStateSave >= 10_000 && lastSnapshot.isDone()) {
            // a marker on the judge queue: taken between two batches, saved once the cases hold what came before it
            lastSnapshot = pipeline.snapshot();
            lastStateSave = now.toEpochMilli();
        }
        journal.sync();
        long verifyEvery = config.settings().getInt(Key.JOURNAL_VERIFY_HOURS) * 3_600_000L;
        if (lastEvidenceRun == 0) {
            // the first run shortly after start, out of the way of start-up and recovery
            lastEvidenceRun = now.toEpochMilli() - verifyEvery + config.settings().getInt(Key.JOURNAL_VERIFY_FIRST) * 1000L;
        }
        if (now.toEpochMilli() - lastEvidenceRun >= verifyEvery) {
            lastEvidenceRun = now.toEpochMilli();
            evidenceWorker.submit(() -> evidenceHousekeeping(java.time.Instant.now()));
        }
        if (now.toEpochMilli() - lastConfigCheck >= 5_000) {
            lastConfigCheck = now.toEpochMilli();
            if (watcher.changed()) {
                reload("files changed");
            }
        }
        pipeline.tick(now);
        for (csirt.agent.asset.SilenceWatch.Change c : silence.check(now)) {
            silenceChanged(c, now);
        }
    }

    private java.util.concurrent.CompletableFuture<Long> lastSnapshot = java.util.concurrent.CompletableFuture.completedFuture(0L);

    private final csirt.agent.asset.SilenceWatch silence = new csirt.agent.asset.SilenceWatch();

    /**
     * An asset fell silent or spoke again: the agent's own line, journaled and judged (criteria
     * SIL-*); speaking again is also noted on the asset's open silence case.
     */
    private void silenceChanged(csirt.agent.asset.SilenceWatch.Change c, java.time.Instant now) {
        String t = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String since = c.lastSeen().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        if (c.silent()) {
            LOG.warn("{} has sent nothing since {} (expected at least every {})", c.host(), since, c.expectedEvery());
            internal("silence-watch", "<27>1 " + t + " " + c.host() + " csirt-agent - SILENT - " + c.host()
                    + " has sent nothing since " + since + " (expected at least every " + c.expectedEvery() + ")");
            return;
        }
        LOG.info("{} speaks again (silent since {})", c.host(), since);
        internal("silence-watch", "<30>1 " + t + " " + c.host() + " csirt-agent - SPOKE - " + c.host()
                + " speaks again (silent since " + since + ")");
        caseStage.write("note that " + c.host() + " speaks again", store -> {
            for (csirt.agent.cases.CaseRecord open : store.list()) {
                if (csirt.agent.cases.CaseState.open(open.state()) && c.host().equalsIgnoreCase(open.host())
                        && open.criterionId() != null && open.criterionId().startsWith("SIL-")) {
                    store.note(open.id(), "silence-watch", c.host() + " speaks again at " + t + " (silent since " + since
                            + "); close the case once the cause is known");
                }
            }
            return null;
        });
    }

    /**
     * The journal's scheduled care: delete sealed segments past the retention that no case holds
     * (each deletion journaled), then verify the whole journal; a failure is raised as an incident
     * (EVD-200) through the same path as any alert, so it is journaled, triaged, cased and mailed.
     */
    public void evidenceHousekeeping(java.time.Instant now) {
        // its own lock: a long verification must not hold up reloads or the one-second timer
        synchronized (evidenceLock) {
            evidenceHousekeepingLocked(now);
        }
    }

    private final Object evidenceLock = new Object();

    private void evidenceHousekeepingLocked(java.time.Instant now) {
        try {
            java.time.Duration retention = java.time.Duration.ofDays(config.settings().getInt(Key.JOURNAL_RETENTION_DAYS));
            java.util.Set<Long> held = cases.heldSeqs(now.minus(retention));
            for (csirt.agent.journal.Retention.Deleted d : csirt.agent.journal.Retention.apply(journal, retention, held::contains, now)) {
                internal("journal-retention", d.record());
                LOG.info("Retention: {}", d.record());
            }
            // paced: read at full speed, a large journal took a core and made GC pauses that cost UDP datagrams
            csirt.agent.journal.VerifyResult r = csirt.agent.journal.JournalVerifier.verify(journal.file().getParent(),
                    csirt.agent.journal.ReadPace.of(config.settings().getInt(Key.JOURNAL_VERIFY_RATE) * 1_000_000L));
            metrics.verification(r.ok() ? "ok" : "failed");
            if (r.ok()) {
                lastVerifyProblem = null;
                LOG.info("Scheduled verification of the journal: OK, {} records, chain head seq {} {}", r.records(), r.lastSeq(), r.headHash());
            } else {
                lastVerifyProblem = "the scheduled verification failed at seq " + r.problemSeq() + ": " + r.problem();
                LOG.error("Scheduled verification of the journal FAILED at seq {} ({}): {}. Keep a copy of the data directory "
                        + "and compare the journal with the chain heads in past notices and digests.", r.problemSeq(), r.problemFile(), r.problem());
                String file = r.problemFile() == null ? "-" : r.problemFile().getFileName().toString();
                internal("journal-verifier", "<10>1 " + now + " " + hostName + " csirt-agent - - - evidence verification FAILED at seq "
                        + r.problemSeq() + " (" + file + "): " + r.problem());
            }
        } catch (IOException | RuntimeException e) {
            metrics.verification("error");
            LOG.error("The journal's scheduled care failed: {}", e.toString());
        }
    }

    /**
     * Journals a custody statement of an evidence export (input {@code evidence-export}) and forces
     * it to disk; returns its seq. Judged like any message of the agent's own.
     */
    public long custody(String statement) {
        String line = "<110>1 " + java.time.Instant.now() + " " + hostName + " csirt-agent - - - " + statement;
        long seq = pipeline.acceptOwn(line.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new csirt.agent.journal.Receipt(java.time.Instant.now(), CUSTODY_INPUT, "internal", "-", 0));
        journal.sync();
        return seq;
    }

    /** The input of the journal records that attest an evidence export. */
    public static final String CUSTODY_INPUT = "evidence-export";

    /** A message of the agent's own, journaled and judged like any other (its incidents reach the cases the same way). */
    private void internal(String input, String line) {
        pipeline.acceptAsync(List.of(csirt.agent.ingest.Frame.whole(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                new csirt.agent.journal.Receipt(java.time.Instant.now(), input, "internal", "-", 0),
                csirt.agent.parse.EventParser.Source.SYSLOG);
    }

    /**
     * Loads criteria, assets and contacts again and puts them in force at once; a set with any
     * problem is refused whole, the one in force stays, and the problems are returned.
     */
    public synchronized ReloadResult reload(String why) {
        try {
            AgentConfig.Reloadable r = AgentConfig.loadReloadable(config.dir());
            pipeline.triage().replace(r.criteria(), r.assets());
            pipeline.parser().useSources(r.assets()::sourceProfile);
            silence.watch(r.assets(), java.time.Instant.now());
            composer.contacts(r.contacts());
            metrics.reload("ok");
            lastReloadProblem = null;
            String msg = "Reloaded (" + why + "): criteria set " + r.criteria().hash() + " with " + r.criteria().criteria().size()
                    + " criteria, " + r.assets().size() + " assets";
            LOG.info(msg);
            return new ReloadResult(true, msg);
        } catch (csirt.agent.config.ConfigException e) {
            metrics.reload("refused");
            lastReloadProblem = "the reload of " + why + " was refused, the previous set stays in force: "
                    + e.problems().stream().map(Object::toString).collect(java.util.stream.Collectors.joining("; "));
            String msg = "Reload refused (" + why + "); criteria set " + pipeline.triage().criteria().hash()
                    + " stays in force. " + e.getMessage();
            LOG.warn(msg);
            return new ReloadResult(false, msg);
        }
    }

    /** What a reload did, in a sentence. */
    public record ReloadResult(boolean ok, String message) {
    }

    private volatile java.util.function.Supplier<List<String>> inputCheck = () -> List.of("inputs: starting");
    private volatile String lastReloadProblem;
    private volatile String lastVerifyProblem;
    private long lastEvidenceRun;
    private final java.util.concurrent.ExecutorService evidenceWorker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "csirt-evidence");
        t.setDaemon(true);
        return t;
    });

    /** The Camel adapter says which inputs are not running (a port that could not be bound). */
    public void inputCheck(java.util.function.Supplier<List<String>> check) {
        this.inputCheck = check;
    }

    /**
     * Why the agent is not ready, one sentence each; empty when it is: the journal cannot write,
     * the disk is nearly full, the last reload of criteria was refused, an input is not running, or
     * notices are stuck in the outbox.
     */
    public List<String> readinessProblems() {
        List<String> out = new java.util.ArrayList<>();
        String caseError = caseStage.error();
        if (caseError != null) {
            out.add("cases: the case database refuses incidents (" + caseError + "); retrying, the inputs wait");
        }
        if (caseStage.gap() != null) {
            out.add("cases: " + caseStage.gap() + "; restart the agent to judge them again from the journal");
        }
        if (caseStage.stopped()) {
            out.add("internal: the case stage thread stopped; restart the agent (the journal keeps everything)");
        }
        if (pipeline.judgeStopped()) {
            out.add("internal: the judge thread stopped; restart the agent (the journal keeps everything)");
        }
        if (journal.lastError() != null) {
            out.add("journal: the last write failed (" + journal.lastError() + "); check disk space and permissions of " + dataDir);
        }
        long minMb = config.settings().getInt(Key.HEALTH_MIN_FREE_DISK);
        try {
            long freeMb = java.nio.file.Files.getFileStore(dataDir).getUsableSpace() / (1024 * 1024);
            if (freeMb < minMb) {
                out.add("disk: only " + freeMb + " MiB free for " + dataDir + " (health.min-free-disk-mb=" + minMb + ")");
            }
        } catch (IOException e) {
            out.add("disk: cannot read the free space of " + dataDir + ": " + e.getMessage());
        }
        if (lastReloadProblem != null) {
            out.add("criteria: " + lastReloadProblem);
        }
        if (lastVerifyProblem != null) {
            out.add("journal: " + lastVerifyProblem);
        }
        out.addAll(inputCheck.get());
        String outbox = notices.problem();
        if (outbox != null) {
            out.add("outbox: " + outbox);
        }
        return out;
    }

    private String health() {
        List<String> problems = readinessProblems();
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("status", problems.isEmpty() ? "UP" : "DEGRADED");
        m.put("problems", problems);
        m.put("journal", java.util.Map.of("lastSeq", journal.lastSeq(), "head", journal.headHashHex()));
        m.put("held", pipeline.triage().heldCount());
        m.put("outbox", java.util.Map.of("depth", cases.outbox().depth()));
        return csirt.agent.util.Json.value(m);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public AgentConfig config() {
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    public IngestPipeline pipeline() {
        return pipeline;
    }

    public Journal journal() {
        return journal;
    }

    public CaseStore cases() {
        return cases;
    }

    public NoticeFiles noticeFiles() {
        return noticeFiles;
    }

    /** Where the inputs and the HTTP endpoint listen, as bound. */
    public ListeningPorts listening() {
        return listening;
    }

    public HttpEndpoint http() {
        return http;
    }

    public String hostName() {
        return hostName;
    }

    /** What the stop log line says: everything journaled was judged (decided or held for later). */
    public String drainSummary() {
        return "journal at seq " + journal.lastSeq() + "; " + pipeline.judged() + " events judged since start, "
                + pipeline.continuationPieces() + " continuation pieces, " + pipeline.triage().heldCount()
                + " held for a release (saved with the triage state)";
    }

    @Override
    public void close() throws IOException {
        evidenceWorker.shutdownNow();
        try {
            // the inputs have stopped: judge what they queued, apply its incidents, then save the state
            // (the last snapshot, after everything else in the queue)
            pipeline.snapshot();
            if (!pipeline.drain(30_000)) {
                LOG.warn("The judge thread did not finish within 30 s; the records it left are judged again at the next start");
            }
            caseStage.drain(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
        try {
            journal.close();
        } finally {
            cases.close();
            registry.close();
        }
    }
}
