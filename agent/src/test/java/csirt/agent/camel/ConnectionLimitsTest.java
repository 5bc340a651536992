package csirt.agent.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may send, how many at once, and for how long silent: enforced on real sockets, counted. */
class ConnectionLimitsTest {

    @TempDir
    Path data;

    @Test
    void senders_outside_the_allowed_networks_are_refused_on_tcp_and_udp_and_nothing_is_journaled() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of("syslog.tcp.allowed-networks", "10.0.0.0/8",
                "syslog.udp.allowed-networks", "10.0.0.0/8, 2001:db8::/32"))) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort)) {
                s.getOutputStream().write("<13>Nov 26 18:00:00 pc-1 app: from a refused network\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(AgentHarness.closedByAgent(s)).isTrue();
            }
            agent.udp("<13>Nov 26 18:00:00 pc-1 app: refused datagram");
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.metricNow("csirt_peers_refused_total{input=\"syslog-tcp\"}") == 1.0
                            && agent.metricNow("csirt_peers_refused_total{input=\"syslog-udp\"}") == 1.0)).isTrue();
            assertThat(agent.daemon.services().journal().lastSeq()).isZero();
        }
    }

    @Test
    void one_connection_beyond_the_limit_is_refused_and_the_open_ones_keep_working() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of("syslog.tcp.max-connections", "2"))) {
            try (Socket a = new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort);
                 Socket b = new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort)) {
                assertThat(AgentHarness.await(Duration.ofSeconds(10),
                        () -> agent.metricNow("csirt_connections_open{input=\"syslog-tcp\"}") == 2.0)).isTrue();
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort)) {
                    assertThat(AgentHarness.closedByAgent(c)).as("the third connection").isTrue();
                }
                assertThat(agent.metricNow("csirt_peers_refused_total{input=\"syslog-tcp\"}")).isEqualTo(1.0);
                a.getOutputStream().write("<13>Nov 26 18:00:00 pc-1 app: a\n".getBytes(StandardCharsets.US_ASCII));
                b.getOutputStream().write("<13>Nov 26 18:00:00 pc-2 app: b\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(AgentHarness.await(Duration.ofSeconds(10),
                        () -> agent.daemon.services().journal().lastSeq() == 2)).isTrue();
            }
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.metricNow("csirt_connections_open{input=\"syslog-tcp\"}") == 0.0)).isTrue();
            agent.tcp("<13>Nov 26 18:00:01 pc-3 app: room again\n");
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == 3)).isTrue();
        }
    }

    /** 1,000 idle connections from one address used to lock every sender out: one address gets its share only (other addresses: ConnectionGuardTest). */
    @Test
    void one_address_cannot_take_the_whole_input_and_other_senders_still_get_in() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of("syslog.tcp.max-connections", "50",
                "syslog.tcp.max-connections-per-peer", "3"))) {
            java.util.List<Socket> idle = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    idle.add(new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort));
                }
                assertThat(AgentHarness.await(Duration.ofSeconds(10),
                        () -> agent.metricNow("csirt_connections_open{input=\"syslog-tcp\"}") == 3.0)).isTrue();
                try (Socket fourth = new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort)) {
                    assertThat(AgentHarness.closedByAgent(fourth)).as("the fourth from the same address").isTrue();
                }
                assertThat(agent.metricNow("csirt_peers_refused_total{input=\"syslog-tcp\"}")).isEqualTo(1.0);
                assertThat(agent.metricNow("csirt_connections_open{input=\"syslog-tcp\"}")).as("the input has room for others").isEqualTo(3.0);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.metricNow("csirt_connections_open{input=\"syslog-tcp\"}") == 0.0)).isTrue();
            try (Socket again = new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort)) {
                again.getOutputStream().write("<13>Nov 26 18:00:01 pc-1 app: room again\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(AgentHarness.await(Duration.ofSeconds(10), () -> agent.daemon.services().journal().lastSeq() == 1))
                        .as("the address's slots were given back").isTrue();
            }
        }
    }

    @Test
    void a_connection_silent_past_the_idle_timeout_is_closed_after_its_messages_are_kept() throws Exception {
        try (AgentHarness agent = AgentHarness.start(data, Map.of("syslog.tcp.idle-timeout-seconds", "1"))) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.syslogPort)) {
                s.getOutputStream().write("<13>Nov 26 18:00:00 pc-1 app: then silence\n".getBytes(StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                assertThat(AgentHarness.closedByAgent(s)).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            }
            assertThat(AgentHarness.await(Duration.ofSeconds(10),
                    () -> agent.daemon.services().journal().lastSeq() == 1)).isTrue();
        }
    }
}
