package csirt.agent.ingest;

import java.util.List;

/** The RELP commands cut from one read of one connection, acknowledged together after the journal has them. */
public record RelpBatch(List<RelpCommand> commands) {
}
