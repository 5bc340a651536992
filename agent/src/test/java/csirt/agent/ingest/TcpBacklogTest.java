package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import csirt.agent.camel.AgentHarness;
import org.junit.jupiter.api.Test;

/** The kernel's unread bytes for a port, from /proc, with a real connection whose reader does not read. */
class TcpBacklogTest {

    @Test
    void bytes_nobody_read_show_up_and_go_when_read() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            TcpBacklog backlog = new TcpBacklog(server.getLocalPort());
            assertThat(backlog.unreadBytes()).isZero();
            OutputStream out = client.getOutputStream();
            out.write(new byte[5000]);
            out.flush();
            assertThat(AgentHarness.await(Duration.ofSeconds(5), () -> backlog.unreadBytes() == 5000)).isTrue();
            InputStream in = accepted.getInputStream();
            assertThat(in.readNBytes(5000)).hasSize(5000);
            assertThat(AgentHarness.await(Duration.ofSeconds(5), () -> backlog.unreadBytes() == 0)).isTrue();
        }
    }

    @Test
    void rows_of_other_ports_or_states_do_not_count() {
        String established = "   1: 0100007F:15BA 0100007F:9C40 01 00000000:0000012C 00:00000000 00000000     0        0 1 1 0000 20 4 30 10 -1";
        String listening = "   0: 00000000:15BA 00000000:0000 0A 00000000:00000010 00:00000000 00000000     0        0 2 1 0000 100 0 0 10 0";
        assertThat(TcpBacklog.unread(established, 0x15BA)).isEqualTo(0x12C);
        assertThat(TcpBacklog.unread(established, 514)).isEqualTo(-1);
        assertThat(TcpBacklog.unread(listening, 0x15BA)).isEqualTo(-1);
        assertThat(TcpBacklog.unread("garbage", 1)).isEqualTo(-1);
    }
}
