package csirt.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import csirt.agent.journal.JournalReader;

/**
 * Reads the agent's journal after a run and proves what was sent is there: for each TCP
 * connection, every message byte for byte, in order, exactly once; for UDP, which datagrams
 * arrived (in order, each at most once). Also gives the receipt time of each latency probe.
 * A connection opened by loggen, whose local port the benchmark cannot know, is recognised by its
 * first message; loggen's own generated messages are checked by their {@code seq:} numbers.
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
        /** Receipt times (epoch ms) of the first and the last record of this sender in the journal. */
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;

        Tally(Senders.Sent sent, LongFunction<byte[]> expected) {
            this.sent = sent;
            this.expected = expected;
            this.next = sent.from();
        }

        /** Message {@code next} as sent: byte for byte, or (loggen's own messages, expected == null) by its seq number. */
        boolean isNext(byte[] payload) {
            return expected != null ? Arrays.equals(expected.apply(next), payload) : seqOf(payload) == next;
        }

        long lost() {
            return sent.count() - received;
        }
    }

    /**
     * The senders of each transport and local port, in the order they ran: a run opens enough
     * connections that the kernel gives a later one the local port of an earlier one (a 3-run
     * benchmark once bound a loggen connection's records to a finished connection of an earlier
     * phase and counted 2.4 million messages as not delivered).
     */
    private final Map<String, Deque<Tally>> byPort = new HashMap<>();
    private final Map<Senders.Sent, Tally> bySender = new java.util.IdentityHashMap<>();
    private final Deque<Tally> unbound = new ArrayDeque<>();
    final Map<Long, Instant> probeReceipts = new HashMap<>();
    long otherRecords;
    long records;
    private String probeKey;
    private Tally probes;

    void expect(Senders.Sent sent, LongFunction<byte[]> expected) {
        Tally t = new Tally(sent, expected);
        byPort.computeIfAbsent(sent.transport() + ":" + sent.localPort(), k -> new ArrayDeque<>()).add(t);
        bySender.put(sent, t);
    }

    void expectProbes(Senders.Sent sent, LongFunction<byte[]> expected) {
        expect(sent, expected);
        probeKey = sent.transport() + ":" + sent.localPort();
        probes = bySender.get(sent);
    }

    /**
     * A connection whose local port is unknown (loggen's): bound to the first unknown port whose
     * first record is this sender's first message, in the order the senders ran.
     */
    Tally expectFromUnknownPort(Senders.Sent sent, LongFunction<byte[]> expected) {
        Tally t = new Tally(sent, expected);
        unbound.add(t);
        bySender.put(sent, t);
        return t;
    }

    Tally of(Senders.Sent sent) {
        return bySender.get(sent);
    }

    /**
     * The sender a record of this port belongs to: the port's current sender until it has all its
     * messages, then the next sender that ran on the same port, or a loggen connection (unknown
     * port) whose first message this record is.
     */
    private Tally senderOf(String key, boolean tcp, byte[] payload) {
        Deque<Tally> q = byPort.get(key);
        while (q != null && q.size() > 1 && q.peek().next >= q.peek().sent.to()) {
            q.poll();
        }
        Tally t = q == null ? null : q.peek();
        if ((t == null || t.next >= t.sent.to()) && tcp && !unbound.isEmpty() && unbound.peek().isNext(payload)) {
            t = unbound.poll();
            byPort.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(t);
        }
        return t;
    }

    /**
     * How evenly the receiver served senders that ran at once: the time from the phase's first
     * receipt until the 10th percentile of senders had their last message journaled, over the same
     * for the 90th percentile (1: all finished together, each got its share; near 0: some were served
     * long before others). Read after {@link #read}.
     */
    double fairness(List<Senders.Sent> phase) {
        long t0 = Long.MAX_VALUE;
        List<Long> last = new java.util.ArrayList<>();
        for (Senders.Sent s : phase) {
            Tally t = bySender.get(s);
            if (t == null || t.received == 0) {
                return 0;
            }
            t0 = Math.min(t0, t.firstAt);
            last.add(t.lastAt);
        }
        java.util.Collections.sort(last);
        long p10 = last.get(last.size() / 10);
        long p90 = last.get(Math.min(last.size() - 1, last.size() * 9 / 10));
        return p90 == t0 ? 1 : (double) (p10 - t0 + 1) / (p90 - t0 + 1);
    }

    void read(Path journalDir) throws IOException {
        JournalReader.read(journalDir, 1, r -> {
            records++;
            String key = r.receipt().transport() + ":" + r.receipt().peerPort();
            Tally t = senderOf(key, r.receipt().transport().equals("tcp"), r.payload());
            if (t == null) {
                otherRecords++;
                return;
            }
            long at = r.receipt().receivedAt().toEpochMilli();
            t.firstAt = Math.min(t.firstAt, at);
            t.lastAt = Math.max(t.lastAt, at);
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
            if (t.isNext(r.payload())) {
                t.received++;
                if (key.equals(probeKey) && t == probes) {
                    probeReceipts.put(t.next, r.receipt().receivedAt());
                }
            } else {
                t.mismatched++;
            }
            t.next++;
        });
    }

    /** loggen's sequence number in one of its generated messages ("seq: 0000000042, thread: ..."), or -1. */
    static long seqOf(byte[] payload) {
        String s = new String(payload, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("seq: ");
        if (at < 0 || at + 15 > s.length()) {
            return -1;
        }
        try {
            return Long.parseLong(s.substring(at + 5, at + 15));
        } catch (NumberFormatException e) {
            return -1;
        }
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
