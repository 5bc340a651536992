package csirt.agent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import csirt.agent.ingest.Frame;
import csirt.agent.journal.Journal;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.EventParser;
import csirt.agent.pipeline.IngestPipeline;

/**
 * Messages of the agent's own (a failed verification, a retention deletion, a silent source, an
 * export's custody): journaled and judged like any received message, so their incidents reach the
 * cases by the same road and they are evidence in the same chain. Transport {@code internal}.
 */
public final class OwnMessages {

    /** The input of the journal records that attest an evidence export. */
    public static final String CUSTODY_INPUT = "evidence-export";

    private final IngestPipeline pipeline;
    private final Journal journal;
    private final String hostName;

    OwnMessages(IngestPipeline pipeline, Journal journal, String hostName) {
        this.pipeline = pipeline;
        this.journal = journal;
        this.hostName = hostName;
    }

    /** Journals and queues {@code line} as received on {@code input}. */
    public void send(String input, String line) {
        pipeline.acceptAsync(List.of(Frame.whole(line.getBytes(StandardCharsets.UTF_8))),
                new Receipt(Instant.now(), input, "internal", "-", 0), EventParser.Source.SYSLOG);
    }

    /** Journals an evidence export's custody statement, forced to disk before it returns; its seq. */
    public long custody(String statement) {
        String line = "<110>1 " + Instant.now() + " " + hostName + " csirt-agent - - - " + statement;
        long seq = pipeline.acceptOwn(line.getBytes(StandardCharsets.UTF_8), new Receipt(Instant.now(), CUSTODY_INPUT, "internal", "-", 0));
        journal.sync();
        return seq;
    }
}
