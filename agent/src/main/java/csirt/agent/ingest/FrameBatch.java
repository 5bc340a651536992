package csirt.agent.ingest;

import java.util.List;

/**
 * The frames cut from one read of one connection (or one datagram): the unit that travels
 * through journal, parse and triage together, so the hot path pays per read, not per message.
 */
public record FrameBatch(List<Frame> frames) {

    public int size() {
        return frames.size();
    }

    public long bytes() {
        long n = 0;
        for (Frame f : frames) {
            n += f.bytes().length;
        }
        return n;
    }
}
