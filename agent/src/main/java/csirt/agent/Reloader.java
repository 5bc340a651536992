package csirt.agent;

import java.time.Instant;
import java.util.stream.Collectors;

import csirt.agent.asset.SilenceWatch;
import csirt.agent.config.AgentConfig;
import csirt.agent.config.ConfigException;
import csirt.agent.config.ConfigWatcher;
import csirt.agent.health.ReadinessCheck;
import csirt.agent.metrics.AgentMetrics;
import csirt.agent.notify.NoticeComposer;
import csirt.agent.pipeline.IngestPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts changed criteria, assets and contacts in force: on {@code reload} (command, API) and when
 * the files change. A set with any problem is refused whole and the one in force stays; readiness
 * says so until a reload succeeds.
 */
public final class Reloader {

    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    /** What a reload did, in a sentence. */
    public record Result(boolean ok, String message) {
    }

    private final AgentConfig config;
    private final IngestPipeline pipeline;
    private final SilenceWatch silence;
    private final NoticeComposer composer;
    private final AgentMetrics metrics;
    private final ConfigWatcher watcher;
    private volatile String lastProblem;

    Reloader(AgentConfig config, IngestPipeline pipeline, SilenceWatch silence, NoticeComposer composer, AgentMetrics metrics) {
        this.config = config;
        this.pipeline = pipeline;
        this.silence = silence;
        this.composer = composer;
        this.metrics = metrics;
        this.watcher = new ConfigWatcher(config.dir());
    }

    /** Loads the reloadable files again and puts them in force at once, or refuses them whole. */
    public synchronized Result reload(String why) {
        try {
            AgentConfig.Reloadable r = AgentConfig.loadReloadable(config.dir());
            pipeline.triage().replace(r.criteria(), r.assets());
            pipeline.parser().useSources(r.assets()::sourceProfile);
            silence.watch(r.assets(), Instant.now());
            composer.contacts(r.contacts());
            metrics.reload("ok");
            lastProblem = null;
            String msg = "Reloaded (" + why + "): criteria set " + r.criteria().hash() + " with " + r.criteria().criteria().size()
                    + " criteria, " + r.assets().size() + " assets";
            LOG.info(msg);
            return new Result(true, msg);
        } catch (ConfigException e) {
            metrics.reload("refused");
            lastProblem = "the reload of " + why + " was refused, the previous set stays in force: "
                    + e.problems().stream().map(Object::toString).collect(Collectors.joining("; "));
            String msg = "Reload refused (" + why + "); criteria set " + pipeline.triage().criteria().hash()
                    + " stays in force. " + e.getMessage();
            LOG.warn(msg);
            return new Result(false, msg);
        }
    }

    /** The timer's job: reloads when the files changed since the last look. */
    public void reloadIfChanged() {
        if (watcher.changed()) {
            reload("files changed");
        }
    }

    /** Readiness: the last reload's refusal, until one succeeds. */
    public ReadinessCheck check() {
        return ReadinessCheck.of("criteria", () -> lastProblem);
    }
}
