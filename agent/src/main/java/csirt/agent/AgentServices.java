package csirt.agent;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import csirt.agent.asset.SilenceWatch;
import csirt.agent.asset.SourceCoverage;
import csirt.agent.cases.CaseStore;
import csirt.agent.cases.Peers;
import csirt.agent.cases.SourceTally;
import csirt.agent.cases.VerdictTally;
import csirt.agent.config.AgentConfig;
import csirt.agent.config.Settings;
import csirt.agent.config.Settings.Key;
import csirt.agent.console.Accounts;
import csirt.agent.console.ConsoleHandler;
import csirt.agent.health.DiskSpaceCheck;
import csirt.agent.health.JournalWriteCheck;
import csirt.agent.health.Readiness;
import csirt.agent.health.ReadinessCheck;
import csirt.agent.health.StagesCheck;
import csirt.agent.http.HttpEndpoint;
import csirt.agent.http.HttpTls;
import csirt.agent.ingest.ListeningPorts;
import csirt.agent.ingest.TcpBacklog;
import csirt.agent.ingest.UdpSocketStats;
import csirt.agent.journal.Journal;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.notify.NoticeComposer;
import csirt.agent.notify.NoticeFiles;
import csirt.agent.notify.NoticeService;
import csirt.agent.parse.EventParser;
import csirt.agent.pipeline.IngestPipeline;
import csirt.agent.triage.Criterion;
import csirt.agent.triage.TriageEngine;
import csirt.agent.util.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of the agent once from a validated configuration, in
 * the order their dependencies need, binds them together, and closes them in reverse. It does no
 * work of its own; the Camel adapter ({@code AgentDaemon}) hands the routes the beans they call.
 */
public final class AgentServices implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentServices.class);

    /** The inputs whose counters exist from the start (route ids). */
    private static final List<String> INPUTS = List.of("syslog-udp", "syslog-tcp", "syslog-tls", "syslog-relp", "clamav-file", "file-tail", "intake");

    private final AgentConfig config;
    private final Path dataDir;
    private final String hostName;
    private final PrometheusMeterRegistry registry;
    private final AgentMetrics metrics;
    private final Journal journal;
    private final IngestPipeline pipeline;
    private final SilenceWatch silence;
    private final CaseStore cases;
    private final NoticeComposer composer;
    private final NoticeFiles noticeFiles;
    private final NoticeService notices;
    /** Verdicts per category and level, added to the store's daily counts every minute (the console's overview). */
    private final VerdictTally tally = new VerdictTally();
    /** Messages per sender, added to the store's daily counts every minute (coverage, plan 5(1)②). */
    private final SourceTally sources = new SourceTally();
    private final CaseStage caseStage;
    private final OwnMessages own;
    private final Reloader reloader;
    private final EvidenceCare evidence;
    private final Housekeeping housekeeping;
    private final Readiness readiness = new Readiness();
    private final AtomicReference<ReadinessCheck> inputs = new AtomicReference<>(() -> List.of("inputs: starting"));
    private final ListeningPorts listening = new ListeningPorts();
    private final HttpEndpoint http;
    private final String agentId;

    private AgentServices(AgentConfig config, Path dataDir) throws IOException {
        this.config = config;
        this.dataDir = dataDir;
        Settings s = config.settings();
        this.hostName = localHostName();
        this.registry = AgentMetrics.prometheusRegistry();
        this.metrics = new AgentMetrics(registry);
        // evidence, personal data in log lines, the API token: the data directory is its owner's only,
        // whatever it was before (a directory made 0777 by hand is made 0700)
        PrivateFiles.directory(dataDir);
        this.journal = Journal.open(dataDir.resolve("journal"), s.getInt(Key.JOURNAL_FSYNC));
        ListeningPorts.remove(dataDir); // this process holds the journal's lock: what an earlier one listed is stale
        this.agentId = journal.id(); // also this agent's name among those sharing a case database
        journal.rotateAt(s.getInt(Key.JOURNAL_SEGMENT_MB) * 1024L * 1024L, Duration.ofHours(s.getInt(Key.JOURNAL_SEGMENT_HOURS)));
        journal.fsyncEvery(s.getInt(Key.JOURNAL_FSYNC_RECORDS));

        TriageEngine triage = new TriageEngine(config.criteria(), config.assets());
        triage.explainAll(false); // live, facts are for incidents (case records, notices); replay explains the rest
        Path stateFile = dataDir.resolve("triage").resolve("state.bin");
        long stateCovered = Recovery.restoreState(triage, stateFile);
        EventParser parser = new EventParser(s.getZone(Key.SYSLOG_ZONE));
        parser.useSources(config.assets()::sourceProfile);
        this.pipeline = new IngestPipeline(journal, parser, triage, metrics);
        this.silence = new SilenceWatch();
        silence.watch(config.assets(), Instant.now());
        pipeline.observe(e -> {
            silence.seen(e);
            sources.seen(e);
        });

        this.cases = openCases(s);
        long coveredAtStart = Recovery.coveredAtStart(stateCovered, cases.coveredSeq());
        this.composer = new NoticeComposer(config.contacts(), config.templates(), s.getZone(Key.NOTICE_ZONE), hostName,
                s.get(Key.NOTICE_CHARSET), caseUrlBase(s));
        composer.reviewContactsEvery(s.getInt(Key.CONTACTS_REVIEW_MONTHS));
        this.noticeFiles = new NoticeFiles(dataDir.resolve("notices"));
        this.notices = new NoticeService(cases, composer, noticeFiles, metrics, journal::lastSeq, journal::headHashHex,
                Duration.ofMinutes(s.getInt(Key.NOTICE_UPDATE_INTERVAL)), s.getInt(Key.NOTICE_HOURLY_CAP),
                LocalTime.parse(s.get(Key.NOTICE_DIGEST_TIME)), s.getZone(Key.NOTICE_ZONE),
                Duration.ofMinutes(s.getInt(Key.OUTBOX_ALERT)), dataDir);
        pipeline.addListener(notices::countLevelZero);
        notices.claimAs(agentId, Duration.ofSeconds(s.getInt(Key.NOTICE_CLAIM)));
        // a pass this agent was killed in left its notices claimed: they go out now, not when the claims run out
        cases.outbox().releaseClaims(agentId);
        notices.acknowledgeWithin(Duration.ofMinutes(s.getInt(Key.NOTICE_ACK_LEVEL2)), Duration.ofMinutes(s.getInt(Key.NOTICE_ACK_LEVEL1)));
        this.caseStage = new CaseStage(cases, notices, stateFile, new CaseChangeLog(metrics));
        pipeline.casesTo(caseStage);
        pipeline.judgedFrom(coveredAtStart);

        this.own = new OwnMessages(pipeline, journal, hostName);
        this.reloader = new Reloader(config, pipeline, silence, composer, metrics);
        this.evidence = new EvidenceCare(journal, cases, own, metrics, hostName, new EvidenceCare.Settings(
                Duration.ofDays(s.getInt(Key.JOURNAL_RETENTION_DAYS)), Duration.ofHours(s.getInt(Key.JOURNAL_VERIFY_HOURS)),
                Duration.ofSeconds(s.getInt(Key.JOURNAL_VERIFY_FIRST)), s.getInt(Key.JOURNAL_VERIFY_RATE) * 1_000_000L), Instant.now());
        pipeline.addListener(tally::count);
        this.housekeeping = new Housekeeping(pipeline, journal, reloader, new SilenceReporter(silence, own, caseStage), evidence,
                notices, caseStage, tally, sources, s.getZone(Key.NOTICE_ZONE));
        cases.peers().joinAs(agentId, hostName, Instant.now(), Duration.ofSeconds(Math.max(10, s.getInt(Key.CASES_LEASE))));
        housekeeping.beatWith(cases.peers());
        housekeeping.beat(); // before the inputs open: health and the first timed jobs know at once whether this agent leads
        notices.neverSent(() -> SourceCoverage.of(pipeline.triage().assets(), cases.senders(LocalDate.now(s.getZone(Key.NOTICE_ZONE))
                .minusDays(6)), 7).neverSent().stream().map(r -> r.asset().host()).toList());
        readiness.add(new StagesCheck(pipeline, caseStage))
                .add(new JournalWriteCheck(journal, dataDir))
                .add(new DiskSpaceCheck(dataDir, s.getInt(Key.HEALTH_MIN_FREE_DISK)))
                .add(reloader.check())
                .add(evidence.check())
                .add(() -> inputs.get().problems())
                .add(ReadinessCheck.of("outbox", notices::problem));
        bindMeters(s, triage);

        try {
            // before the case writer starts: the notices recovery queues link to the port bound
            this.http = serve(s);
            caseStage.start();
            metrics.registerKnown(INPUTS, config.criteria().criteria().stream().map(Criterion::id).toList());
            long tornAfter = journal.lastSeq();
            Recovery.run(journal, pipeline, metrics, coveredAtStart);
            if (journal.recoveredTornBytes() > 0) {
                // visible in the journal itself (and so in replay and exports), not only in the log
                metrics.tornRecordCut();
                own.send("journal-recovery", "csirt-agent journal-recovery: cut a torn last record of " + journal.recoveredTornBytes()
                        + " bytes after seq " + tornAfter + " (the agent had stopped in the middle of a write)");
            }
        } catch (IOException | RuntimeException e) {
            journal.close();
            cases.close();
            throw e;
        }
    }

    /** Builds every part; a failure stops start-up (the process then exits and releases what it opened). */
    public static AgentServices open(AgentConfig config, Path dataDir) throws IOException {
        return new AgentServices(config, dataDir);
    }

    private CaseStore openCases(Settings s) throws IOException {
        CaseStore store = CaseStore.open(dataDir, s.get(Key.CASES_JDBC_URL), s.get(Key.CASES_JDBC_USER), s.get(Key.CASES_JDBC_PASSWORD),
                Duration.ofMillis(s.getInt(Key.MAIL_RETRY_DELAY)), Duration.ofMillis(s.getInt(Key.MAIL_RETRY_MAX_DELAY)));
        store.journalId(agentId);
        return store;
    }

    /**
     * Where a notice's recipients open a case: notice.base-url as they reach the console, or null
     * (the notice then names the command: a loopback link opens nothing on a recipient's PC).
     */
    private static String caseUrlBase(Settings s) {
        String configured = s.get(Key.NOTICE_BASE_URL).strip();
        if (configured.isEmpty()) {
            return null;
        }
        return (configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured) + "/cases/";
    }

    /** Binds the HTTP endpoint, then writes the API token: an agent that fails to bind never replaces the running one's. */
    private HttpEndpoint serve(Settings s) throws IOException {
        String token = ApiToken.generate();
        Intake intake = new Intake(pipeline, caseStage, composer);
        CaseApi caseApi = new CaseApi(cases, caseStage, intake, own::custody);
        Drills drills = new Drills(config.dir().resolve("drills"), own, intake);
        caseApi.drills(drills);
        ConsoleActions consoleActions = new ConsoleActions(cases, caseStage, intake, dataDir, own::custody);
        consoleActions.drills(drills);
        HttpTls tls = s.getBoolean(Key.HTTP_TLS_ENABLED) ? HttpTls.load(s) : null;
        HttpEndpoint endpoint;
        try {
            endpoint = HttpEndpoint.start(s.get(Key.HTTP_HOST), s.getInt(Key.HTTP_PORT), s.getList(Key.HTTP_ALLOWED_HOSTS), registry,
                    this::health, token, () -> {
                        Reloader.Result r = reloader.reload("reload command");
                        return new HttpEndpoint.Outcome(r.ok(), r.message());
                    }, caseApi::caseJson, caseApi::write, new ConsoleHandler(Accounts.watching(config.dir().resolve(Accounts.FILE)),
                            Duration.ofMinutes(s.getInt(Key.CONSOLE_IDLE)), cases, consoleActions,
                            () -> pipeline.triage().assets(), s.getZone(Key.NOTICE_ZONE), readiness::problems, silence::silent, s.get(Key.NOTICE_LANGUAGE)),
                    tls == null ? null : tls.context());
        } catch (IOException e) {
            throw new IOException("Cannot serve metrics on http.host " + s.get(Key.HTTP_HOST) + " port " + s.get(Key.HTTP_PORT), e);
        }
        String host = s.get(Key.HTTP_HOST).equals("0.0.0.0") ? "127.0.0.1" : s.get(Key.HTTP_HOST);
        // the command line's way in: plain, or TLS with the certificate it must find there (it names the server, not 127.0.0.1)
        ApiToken.write(dataDir, token, tls == null ? host + ":" + endpoint.port()
                : "https://" + host + ":" + endpoint.port() + " sha256=" + tls.fingerprint());
        listening.bound("http", new InetSocketAddress(s.get(Key.HTTP_HOST), endpoint.port()));
        return endpoint;
    }

    /** {@code source} read at most once per {@code ttl}; the last value in between. */
    private static <T> java.util.function.Supplier<T> cached(Duration ttl, java.util.function.Supplier<T> source) {
        Object[] box = new Object[2];
        return () -> {
            synchronized (box) {
                long now = System.nanoTime();
                if (box[1] == null || now - (Long) box[1] > ttl.toNanos()) {
                    box[0] = source.get();
                    box[1] = now;
                }
                @SuppressWarnings("unchecked")
                T value = (T) box[0];
                return value;
            }
        };
    }

    private void bindMeters(Settings s, TriageEngine triage) {
        metrics.journal(journal::lastSeq, journal::bytesWritten, journal::fsyncs, journal::fsyncSeconds, journal::segmentCount);
        metrics.judge(pipeline::queuedEvents, IngestPipeline.MAX_QUEUED_EVENTS, IngestPipeline.UDP_OVERDRAFT_EVENTS,
                pipeline::backpressureWaits, pipeline::judgeFailures, () -> pipeline.judged() + pipeline.continuationPieces());
        metrics.held(triage::heldCount);
        metrics.cases(caseStage::backlog, level -> cases.openCases().stream().filter(c -> c.level() == level).count());
        metrics.outbox(() -> cases.outbox().depth(), () -> cases.outbox().oldest());
        metrics.silentSources(() -> silence.silent().size());
        metrics.agents(() -> 1 + cases.peers().others().size(), () -> cases.peers().leader());
        // one query per scrape at most every 5 s: a scraper polling fast must not load the case store
        java.util.function.Supplier<Object[]> unacked = cached(Duration.ofSeconds(5), cases::unacknowledgedSummary);
        metrics.unacknowledged(() -> (Integer) unacked.get()[0], () -> (Instant) unacked.get()[1]);
        metrics.ready(() -> readiness.problems().isEmpty());
        int udpPort = s.getInt(Key.SYSLOG_UDP_PORT);
        int tcpPort = s.getInt(Key.SYSLOG_TCP_PORT);
        metrics.udpSocket("syslog-udp", new UdpSocketStats(() -> listening.port("syslog-udp", udpPort)));
        metrics.tcpUnread("syslog-tcp", new TcpBacklog(() -> listening.port("syslog-tcp", tcpPort))::unreadBytes);
    }

    /** The one-line JSON document of /health: status, problems, and where the journal and the outbox stand. */
    private String health() {
        List<String> problems = readiness.problems();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", problems.isEmpty() ? "UP" : "DEGRADED");
        m.put("problems", problems);
        m.put("journal", Map.of("lastSeq", journal.lastSeq(), "head", journal.headHashHex()));
        m.put("held", pipeline.triage().heldCount());
        m.put("outbox", Map.of("depth", cases.outbox().depth()));
        m.put("agents", agents());
        return Json.value(m);
    }

    /** The agents sharing the case database as /health shows them: whether this one runs alone, and its peers. */
    private Map<String, Object> agents() {
        Peers peers = cases.peers();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shared", peers.shared());
        m.put("alone", peers.others().isEmpty());
        m.put("leader", peers.leader());
        m.put("self", agentId);
        List<Map<String, Object>> others = new ArrayList<>();
        for (Peers.Peer p : peers.others()) {
            others.add(Map.of("id", p.agentId(), "host", p.host(), "beat", p.beatAt().toString()));
        }
        m.put("peers", others);
        if (peers.lastBeat() != null) {
            m.put("beat", peers.lastBeat().toString());
        }
        return m;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The Camel adapter says which inputs are not running (a port that could not be bound). */
    public void inputCheck(ReadinessCheck check) {
        inputs.set(check);
    }

    /** Starts a delivery pass after new notices (set by the daemon once Camel runs). */
    public void outboxKick(Runnable kick) {
        caseStage.afterBatch(kick);
    }

    /** Why the agent is not ready, one sentence each; empty when it is. */
    public List<String> readinessProblems() {
        return readiness.problems();
    }

    /** Puts changed criteria, assets and contacts in force, or refuses them whole. */
    public Reloader.Result reload(String why) {
        return reloader.reload(why);
    }

    /** The journal's care (retention, verification), run now on the caller's thread. */
    public void evidenceCare(Instant now) {
        evidence.run(now);
    }

    /** The timed jobs the housekeeping routes call. */
    public Housekeeping housekeeping() {
        return housekeeping;
    }

    /** Batches of incidents the case stage has not applied yet. */
    public int caseBacklog() {
        return caseStage.backlog();
    }

    public NoticeService notices() {
        return notices;
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

    /** This agent's identity among agents sharing a case database (its journal's id). */
    public String agentId() {
        return agentId;
    }

    /** What the stop log line says: everything journaled was judged (decided or held for later). */
    public String drainSummary() {
        return "journal at seq " + journal.lastSeq() + "; " + pipeline.judged() + " events judged since start, "
                + pipeline.continuationPieces() + " continuation pieces, " + pipeline.triage().heldCount()
                + " held for a release (saved with the triage state)";
    }

    @Override
    public void close() throws IOException {
        evidence.close();
        try {
            // the inputs have stopped: judge what they queued, apply its incidents, then save the state
            // (the last snapshot, after everything else in the queue)
            pipeline.snapshot();
            if (!pipeline.drain(30_000)) {
                LOG.warn("The judge thread did not finish within 30 s; the records it left are judged again at the next start");
            }
            caseStage.drain(30_000);
            housekeeping.addVerdictCounts(cases);
            cases.peers().leave();
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
