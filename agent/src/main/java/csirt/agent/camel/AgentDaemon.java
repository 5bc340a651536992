package csirt.agent.camel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import csirt.agent.AgentServices;
import csirt.agent.config.AgentConfig;
import csirt.agent.config.Settings.Key;
import csirt.agent.config.Settings;
import csirt.agent.ingest.ConnectionGuard;
import csirt.agent.ingest.FileTailer;
import csirt.agent.ingest.ListeningPorts;
import csirt.agent.ingest.NetworkAllowList;
import csirt.agent.ingest.RelpFrameDecoder;
import csirt.agent.ingest.SyslogTls;
import csirt.agent.ingest.UdpBatcher;
import csirt.agent.ingest.WarningLimiter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent on Camel Main: the routes come from {@code routes/*.camel.yaml} on disk, the
 * placeholders from the validated settings, and the beans the routes call from
 * {@link AgentServices}. The only place that starts Camel.
 */
public final class AgentDaemon {

    private static final Logger LOG = LoggerFactory.getLogger(AgentDaemon.class);

    private final AgentConfig config;
    private final Path dataDir;
    private final Main main = new Main();
    /**
     * The netty TCP inputs; each route names its channel group ({@code #syslogTcpChannels}), where
     * netty puts the bound socket. Netty's UDP server ignores a channel group: the UDP batcher reports its socket.
     */
    private static final List<String> NETTY_INPUTS = List.of("syslog-tcp", "syslog-tls", "syslog-relp");
    private static final List<String> ALL_NETWORK_INPUTS = List.of("syslog-udp", "syslog-tcp", "syslog-tls", "syslog-relp");
    private final Map<String, ChannelGroup> channels = new HashMap<>();
    private AgentServices services;

    public AgentDaemon(AgentConfig config, Path dataDir) {
        this.config = config;
        this.dataDir = dataDir;
    }

    /** Starts everything and returns once the routes are up. */
    public void start() throws Exception {
        configure();
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("Camel did not start; see the log above");
        }
        announceRunning(main.getCamelContext()); // main.start() does not call the listeners' afterStart
    }

    /**
     * Starts and blocks until SIGTERM or SIGINT, then stops cleanly: inputs stop accepting first,
     * in-flight events drain through journal, triage and cases, the triage state is saved, the
     * journal synced and closed. The signals are handled here rather than by the JVM's shutdown so
     * that a clean stop ends with exit status 0.
     */
    @SuppressWarnings("restriction")
    public void runUntilStopped() throws Exception {
        configure();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    LOG.info("SIG{} received: stopping inputs, draining in-flight events", sig.getName());
                    main.completed();
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("Cannot handle SIG{} here; the JVM's shutdown stops Camel instead", name);
            }
        }
        main.run();
    }

    public void stop() {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("Stopping Camel failed: {}", e.toString());
        }
        closeServices();
    }

    public AgentServices services() {
        return services;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    private void configure() throws IOException {
        Settings s = config.settings();
        LOG.info("Effective configuration from {} (secrets masked):", s.file());
        for (String line : s.describe()) {
            LOG.info("  {}", line);
        }
        for (String w : config.warnings()) {
            LOG.warn(w);
        }
        services = AgentServices.open(config, dataDir);
        if (services.journal().recoveredTornBytes() > 0) {
            LOG.warn("The journal's last record was torn ({} bytes cut); the chain continues after seq {}",
                    services.journal().recoveredTornBytes(), services.journal().lastSeq());
        }
        Properties props = s.asProperties();
        boolean smtp = !s.get(Key.MAIL_HOST).isEmpty();
        props.setProperty("mail.smtp.enabled", Boolean.toString(smtp));
        props.setProperty("mail.smtp.uri", smtpUri(s));
        props.setProperty("clamav.log.host.effective",
                s.get(Key.CLAMAV_HOST).isEmpty() ? services.hostName() : s.get(Key.CLAMAV_HOST));
        main.setOverrideProperties(props);
        main.configure().withRoutesIncludePattern("file:" + config.routesDir().toAbsolutePath() + "/*.camel.yaml");
        main.configure().withName("csirt-agent");
        int maxFrame = s.getInt(Key.SYSLOG_MAX_FRAME);
        main.bind("syslogFramer", new SyslogFramerFactory(maxFrame));
        for (String input : NETTY_INPUTS) {
            main.bind(channelGroupBean(input), channels.computeIfAbsent(input,
                    i -> new DefaultChannelGroup(i, ImmediateEventExecutor.INSTANCE)));
        }
        main.bind("udpBatcher", new DefaultChannelHandlerFactory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new UdpBatcher(a -> services.listening().bound("syslog-udp", a));
            }
        });
        bindGuard("tcpGuard", "syslog-tcp", s, Key.SYSLOG_TCP_ALLOWED, Key.SYSLOG_TCP_MAX_CONNECTIONS,
                Key.SYSLOG_TCP_MAX_PER_PEER, Key.SYSLOG_TCP_IDLE);
        bindGuard("tlsGuard", "syslog-tls", s, Key.SYSLOG_TLS_ALLOWED, Key.SYSLOG_TLS_MAX_CONNECTIONS,
                Key.SYSLOG_TLS_MAX_PER_PEER, Key.SYSLOG_TLS_IDLE);
        bindGuard("relpGuard", "syslog-relp", s, Key.SYSLOG_RELP_ALLOWED, Key.SYSLOG_RELP_MAX_CONNECTIONS,
                Key.SYSLOG_RELP_MAX_PER_PEER, Key.SYSLOG_RELP_IDLE);
        // RELP has no continuation frames: accept messages up to 1 MiB and journal long ones in pieces
        main.bind("relpFramer", new DefaultChannelHandlerFactory() {
            @Override
            public ChannelHandler newChannelHandler() {
                return new RelpFrameDecoder(Math.max(maxFrame, 1 << 20));
            }
        });
        main.bind("syslogTls", new SyslogTlsHandlerFactory(
                s.getBoolean(Key.SYSLOG_TLS_ENABLED) ? SyslogTls.load(s) : null, "syslog-tls", services.metrics()));
        FileTailer clamav = s.getBoolean(Key.CLAMAV_ENABLED)
                ? new FileTailer(Path.of(s.get(Key.CLAMAV_FILE)),
                        dataDir.resolve("tail").resolve("clamav-file.position"))
                : null;
        SyslogIngress ingress = new SyslogIngress(services.pipeline(), maxFrame,
                props.getProperty("clamav.log.host.effective"), clamav,
                NetworkAllowList.parse(s.get(Key.SYSLOG_UDP_ALLOWED)), services.metrics());
        services.metrics().inputsWaitingForJournal(ingress::waitingForJournal);
        Logger relpLog = LoggerFactory.getLogger("csirt.agent.ingest.Relp");
        ingress.relpProblems(new SyslogIngress.RelpProblems() {
            @Override
            public void malformed(String input, String peer, String problem) {
                services.metrics().relpMalformed(input);
                WarningLimiter.warn(relpLog, input, "Input {}: {} sent {}; the bytes are journaled, the session is closed "
                        + "(is the sender configured for RELP, e.g. omrelp, and not plain TCP?)", input, peer, problem);
            }

            @Override
            public void notStored(String input, String why) {
                WarningLimiter.warn(relpLog, input, "Input {}: messages answered 500 (not stored; the sender "
                        + "keeps and retransmits them): {}", input, why);
            }
        });
        ingress.tailFiles(fileTailers(s, dataDir), s.get(Key.FILES_HOST).isEmpty() ? services.hostName() : s.get(Key.FILES_HOST));
        main.bind("ingress", ingress);
        main.bind("notices", new NoticeDelivery(services));
        main.bind("housekeeping", services.housekeeping());
        main.bind("smtpSecurity", SmtpSettings.javaMailProperties(s));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                if (!s.get(Key.MAIL_USER).isEmpty()) {
                    String password = SmtpSettings.password(s);
                    for (String scheme : new String[] {"smtp", "smtps"}) {
                        MailComponent mail = m.getCamelContext().getComponent(scheme, MailComponent.class);
                        mail.getConfiguration().setUsername(s.get(Key.MAIL_USER));
                        mail.getConfiguration().setPassword(password);
                    }
                }
                // Stopped by the CamelContext after its routes have drained, also when SIGTERM's
                // shutdown hook stops Camel: the journal is synced and closed last.
                try {
                    m.getCamelContext().addService(new ServiceSupport() {
                        @Override
                        protected void doStop() {
                            closeServices();
                        }
                    }, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot register the agent's shutdown with Camel", e);
                }
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                announceRunning(m.getCamelContext());
            }
        });
    }

    /** One tailer per file of files.paths, each with its saved position under data/tail. */
    private static List<FileTailer> fileTailers(Settings s, Path dataDir) {
        List<FileTailer> out = new ArrayList<>();
        for (String p : s.get(Key.FILES_PATHS).split(",")) {
            String path = p.strip();
            if (!path.isEmpty()) {
                String name = Path.of(path).getFileName() + "-" + Integer.toHexString(path.hashCode()) + ".position";
                out.add(new FileTailer(Path.of(path), dataDir.resolve("tail").resolve(name)));
            }
        }
        return out;
    }

    /** The connection guard of one TCP or TLS input, and its open-connections gauge. */
    private void bindGuard(String bean, String input, Settings s, Key allowed, Key max, Key perPeer, Key idle) {
        ConnectionGuard.Limits limits = new ConnectionGuard.Limits(input, NetworkAllowList.parse(s.get(allowed)),
                s.getInt(max), s.getInt(perPeer), s.getInt(idle));
        services.metrics().connectionsOpen(input, limits::open);
        main.bind(bean, new ConnectionGuardFactory(limits, services.metrics()));
    }

    /** Readiness learns which inputs must be running; the log says where the agent listens. */
    private void announceRunning(CamelContext ctx) {
        // the case stage starts a delivery pass after it queued notices
        ProducerTemplate kick = ctx.createProducerTemplate();
        services.outboxKick(() -> {
            try {
                kick.sendBody("seda:outbox-kick?size=1&discardWhenFull=true", null);
            } catch (RuntimeException e) {
                // Camel is stopping: the notices wait in the durable outbox for the next pass
            }
        });
        Settings s = config.settings();
        boolean smtp = !s.get(Key.MAIL_HOST).isEmpty();
        services.inputCheck(() -> {
            List<String> down = new ArrayList<>();
            for (Route r : ctx.getRoutes()) {
                String id = r.getRouteId();
                boolean input = id.startsWith("syslog-") || id.equals("clamav-file");
                ServiceStatus st = ctx.getRouteController().getRouteStatus(id);
                // an input switched off in the settings (autoStartup false) is not a problem
                if (input && r.isAutoStartup() && st != null && !st.isStarted()) {
                    down.add("input " + id + " is " + st.name().toLowerCase() + " (a port that could not be bound?)");
                }
            }
            return down;
        });
        ListeningPorts listening = services.listening();
        recordBound(ctx, listening);
        try {
            listening.write(dataDir);
        } catch (IOException e) {
            LOG.warn("Cannot write {} (where the agent listens): {}", dataDir.resolve(ListeningPorts.FILE), e.toString());
        }
        StringBuilder where = new StringBuilder();
        listening.described().forEach((name, hostPort) -> where.append(where.length() == 0 ? "" : ", ").append(name).append(' ').append(hostPort));
        LOG.info("csirt-agent is running: {}; metrics http://{}:{}/metrics; data in {}",
                where, s.get(Key.HTTP_HOST), services.http().port(), dataDir.toAbsolutePath());
        if (smtp) {
            LOG.info("Notices are mailed through {}:{} to {}", s.get(Key.MAIL_HOST), s.get(Key.MAIL_PORT),
                    config.contacts().poc().address());
        } else {
            LOG.info("No SMTP host configured (mail.smtp.host): notices are written as .eml files to {}",
                    services.noticeFiles().dir().toAbsolutePath());
        }
    }

    /**
     * Puts what each started input bound into {@code listening}. The UDP input reports its socket
     * from the event loop a moment after the bind returned, so this waits for it (bounded).
     */
    private void recordBound(CamelContext ctx, ListeningPorts listening) {
        List<String> started = new ArrayList<>();
        for (String input : ALL_NETWORK_INPUTS) {
            ServiceStatus st = ctx.getRouteController().getRouteStatus(input);
            if (st != null && st.isStarted()) {
                started.add(input);
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            channels.forEach((input, group) -> boundAddress(group).ifPresent(a -> listening.bound(input, a)));
            if (listening.all().keySet().containsAll(started) || System.nanoTime() > end) {
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        started.stream().filter(i -> !listening.all().containsKey(i)).forEach(i ->
                LOG.warn("Input {} runs but did not report its socket (its route lacks channelGroup?): {} does not list it", i, ListeningPorts.FILE));
    }

    /** The socket netty bound for an input (the server or datagram channel of its group), once it is up. */
    private static Optional<InetSocketAddress> boundAddress(ChannelGroup group) {
        for (Channel c : group) {
            if (c.parent() == null && c.localAddress() instanceof InetSocketAddress a) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** {@code syslog-tcp} → {@code syslogTcpChannels}, the bean its route names as channelGroup. */
    static String channelGroupBean(String input) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : input.toCharArray()) {
            if (ch == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.append("Channels").toString();
    }

    private synchronized void closeServices() {
        if (services == null) {
            return;
        }
        ListeningPorts.remove(dataDir);
        try {
            String summary = services.drainSummary();
            services.close();
            LOG.info("Journal synced and closed at seq {}; {}", services.journal().lastSeq(), summary);
        } catch (IOException e) {
            LOG.error("Closing the journal or case database failed: {}", e.toString());
        }
        services = null;
    }

    static String smtpUri(Settings s) {
        return SmtpSettings.uri(s);
    }

}
