package csirt.bench.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Senders of a {@link Stream}: TCP over one or more connections, LF- or octet-counted (RFC 6587),
 * as fast as the receiver takes it or paced; UDP paced. Each connection sends a contiguous range of
 * message numbers, so the receiver's record of it can be checked in order.
 */
final class Senders {

    /** What one connection (or UDP socket) sent: its local port and message numbers [from, to), and how long it took (ns). */
    record Sent(String transport, int localPort, long from, long to, long[] nanos) {
        Sent(String transport, int localPort, long from, long to) {
            this(transport, localPort, from, to, new long[1]);
        }

        long count() {
            return to - from;
        }
    }

    private Senders() {
    }

    /**
     * Sends messages [first, first + n) to 127.0.0.1:port over {@code connections} connections at
     * once, {@code perSecond} in all (0: as fast as possible). Returns when every byte is written.
     */
    static List<Sent> tcp(int port, Stream stream, long first, long n, int connections, boolean octetCounted, long perSecond)
            throws Exception {
        List<Sent> sent = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < connections; c++) {
            long from = first + n * c / connections;
            long to = first + n * (c + 1) / connections;
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.socket().setSendBufferSize(connections > 8 ? 1 << 16 : 1 << 20);
            Sent one = new Sent("tcp", ((InetSocketAddress) ch.getLocalAddress()).getPort(), from, to);
            sent.add(one);
            long rate = perSecond / connections;
            int buffer = connections > 8 ? 16 * 1024 : 256 * 1024; // a thousand senders: 16 MB of buffers, not 256
            Thread t = new Thread(null, () -> {
                long t0 = System.nanoTime();
                try (ch) {
                    write(ch, stream, from, to, octetCounted, rate, buffer);
                } catch (Exception e) {
                    failures.add(e);
                }
                one.nanos()[0] = System.nanoTime() - t0;
            }, "sender-" + c, 256 * 1024);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return sent;
    }

    private static void write(SocketChannel ch, Stream stream, long from, long to, boolean octetCounted, long perSecond, int buffer)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(buffer);
        long start = System.nanoTime();
        for (long i = from; i < to; i++) {
            byte[] m = stream.line(i);
            if (buf.remaining() < m.length + 12) {
                drain(ch, buf);
            }
            if (octetCounted) {
                buf.put(Integer.toString(m.length).getBytes(StandardCharsets.US_ASCII)).put((byte) ' ').put(m);
            } else {
                buf.put(m).put((byte) '\n');
            }
            if (perSecond > 0 && (i - from) % 256 == 255) {
                drain(ch, buf);
                pace(start, i - from + 1, perSecond);
            }
        }
        drain(ch, buf);
    }

    private static void drain(SocketChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }

    /** UDP datagrams [first, first + n) at perSecond, one message each, from one socket. */
    static Sent udp(int port, Stream stream, long first, long n, long perSecond) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            ByteBuffer buf = ByteBuffer.allocateDirect(65536);
            long start = System.nanoTime();
            for (long i = 0; i < n; i++) {
                buf.clear();
                buf.put(stream.line(first + i)).flip();
                ch.write(buf);
                if (i % 50 == 49) {
                    pace(start, i + 1, perSecond);
                }
            }
            return new Sent("udp", ((InetSocketAddress) ch.getLocalAddress()).getPort(), first, first + n);
        }
    }

    /** Waits until {@code done} messages are due at {@code perSecond} since {@code startNanos}. */
    static void pace(long startNanos, long done, long perSecond) {
        long due = startNanos + done * 1_000_000_000L / perSecond;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 1_000_000));
        }
    }
}
