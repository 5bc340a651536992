package csirt.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import csirt.agent.journal.JournalReader;

/**
 * Reads the agent's journal after a run and proves what was sent is there: for each TCP
 * connection, every message byte for byte, in order, exactly once; for UDP, which datagrams
 * arrived (in order, each at most once). Also gives the receipt time of each latency probe.
 */
final class Verification {

    /** How one connection's or socket's messages ended up in the journal. */
    static final class Tally {
        final Senders.Sent sent;
        final LongFunction<byte[]> expected;
        long next;
        long received;
        long mismatched;
        long extra;

        Tally(Senders.Sent sent, LongFunction<byte[]> expected) {
            this.sent = sent;
            this.expected = expected;
            this.next = sent.from();
        }

        long lost() {
            return sent.count() - received;
        }
    }

    final Map<String, Tally> tallies = new HashMap<>();
    final Map<Long, Instant> probeReceipts = new HashMap<>();
    long otherRecords;
    long records;
    private String probeKey;

    void expect(Senders.Sent sent, LongFunction<byte[]> expected) {
        tallies.put(sent.transport() + ":" + sent.localPort(), new Tally(sent, expected));
    }

    void expectProbes(Senders.Sent sent, LongFunction<byte[]> expected) {
        expect(sent, expected);
        probeKey = sent.transport() + ":" + sent.localPort();
    }

    Tally of(Senders.Sent sent) {
        return tallies.get(sent.transport() + ":" + sent.localPort());
    }

    void read(Path journalDir) throws IOException {
        JournalReader.read(journalDir, 1, r -> {
            records++;
            String key = r.receipt().transport() + ":" + r.receipt().peerPort();
            Tally t = tallies.get(key);
            if (t == null) {
                otherRecords++;
                return;
            }
            if (t.next >= t.sent.to()) {
                t.extra++;
                return;
            }
            if (t.sent.transport().equals("udp")) {
                // datagrams may be lost, never reordered on loopback: find this one ahead
                long k = t.next;
                while (k < t.sent.to() && !Arrays.equals(t.expected.apply(k), r.payload())) {
                    k++;
                }
                if (k == t.sent.to()) {
                    t.mismatched++;
                    return;
                }
                t.next = k + 1;
                t.received++;
                return;
            }
            if (Arrays.equals(t.expected.apply(t.next), r.payload())) {
                t.received++;
                if (key.equals(probeKey)) {
                    probeReceipts.put(t.next, r.receipt().receivedAt());
                }
            } else {
                t.mismatched++;
            }
            t.next++;
        });
    }

    /** Messages of these senders that are not in the journal exactly as sent. */
    long problems(List<Senders.Sent> sent) {
        long n = 0;
        for (Senders.Sent s : sent) {
            Tally t = of(s);
            n += t.lost() + t.mismatched + t.extra;
        }
        return n;
    }
}
