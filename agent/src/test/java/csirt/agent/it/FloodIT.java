package csirt.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import csirt.agent.camel.AgentHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One million messages from 50 TCP connections as fast as they can send, into the packaged agent
 * on a deliberately small heap (96 MiB, and an OutOfMemoryError would end the process): the agent
 * pushes back instead of queueing without bound or dropping, every message is journaled, the
 * metrics show the pressure, and it stops cleanly afterwards.
 */
class FloodIT {

    private static final int SENDERS = 50;
    private static final int PER_SENDER = 20_000;

    @TempDir
    Path tmp;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        PackagedAgent.stop(agent);
    }

    @Test
    void a_million_messages_from_fifty_connections_on_a_small_heap() throws Exception {
        Path log = tmp.resolve("agent.log");
        agent = PackagedAgent.start(tmp.resolve("data"), log, 0, 0, "-Xmx96m", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError",
                "-Dsyslog.tcp.max-connections-per-peer=100"); // fifty senders from one address, on purpose
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        int port = PackagedAgent.port(tmp.resolve("data"), "syslog-tcp");
        int http = PackagedAgent.port(tmp.resolve("data"), "http");
        AtomicLong maxQueued = new AtomicLong();
        AtomicLong maxUnread = new AtomicLong();
        List<Future<?>> sent = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int s = 0; s < SENDERS; s++) {
            int id = s;
            sent.add(pool.submit(() -> {
                try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    for (int i = 0; i < PER_SENDER; i++) {
                        byte[] m = ("<30>Nov 26 18:00:00 pc-" + id + " app[" + i + "]: flood message " + i + " from sender " + id)
                                .getBytes(StandardCharsets.UTF_8);
                        if (buf.remaining() < m.length + 8) {
                            buf.flip();
                            while (buf.hasRemaining()) {
                                ch.write(buf);
                            }
                            buf.clear();
                        }
                        buf.put((m.length + " ").getBytes(StandardCharsets.US_ASCII)).put(m);
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
                return null;
            }));
        }
        long total = (long) SENDERS * PER_SENDER;
        boolean all = AgentHarness.await(Duration.ofSeconds(120), () -> {
            maxQueued.accumulateAndGet((long) PackagedAgent.metric(http, "csirt_judge_queue_events"), Math::max);
            maxUnread.accumulateAndGet((long) PackagedAgent.metric(http, "csirt_tcp_unread_bytes{input=\"syslog-tcp\"}"), Math::max);
            return PackagedAgent.metric(http, "csirt_journal_records_total") >= total && agent.isAlive();
        });
        for (Future<?> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(agent.isAlive()).as("alive after the flood; log:%n%s", tail(log)).isTrue();
        assertThat(all).as("all %d journaled; log:%n%s", total, tail(log)).isTrue();
        assertThat(PackagedAgent.metric(http, "csirt_journal_records_total")).isEqualTo((double) total);
        assertThat(AgentHarness.await(Duration.ofSeconds(30),
                () -> PackagedAgent.metric(http, "csirt_events_judged_total") == total)).isTrue();
        // the pressure was visible: bytes waiting in the kernel for the agent to read them (TCP holding
        // the senders back), and the judge queue never past its bound
        assertThat(maxUnread.get()).as("csirt_tcp_unread_bytes peak").isPositive();
        assertThat(maxQueued.get()).isLessThanOrEqualTo(csirt.agent.pipeline.IngestPipeline.MAX_QUEUED_EVENTS);
        assertThat(PackagedAgent.metric(http, "csirt_backpressure_waits_total")).isGreaterThanOrEqualTo(0);
        long hwmKib = peakRssKib(agent.pid());
        System.out.printf("flood: %,d messages from %d connections in %.1f s; peak RSS %,d MiB; judge queue peak %,d events; "
                + "unread TCP bytes peak %,d; backpressure waits %.0f%n", total, SENDERS, seconds, hwmKib / 1024, maxQueued.get(),
                maxUnread.get(), PackagedAgent.metric(http, "csirt_backpressure_waits_total"));
        agent.destroy();
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as("clean stop after the flood").isZero();
        assertThat(PackagedAgent.read(log)).doesNotContain("OutOfMemoryError");
    }

    private static long peakRssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static String tail(Path log) {
        String s = PackagedAgent.read(log);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
