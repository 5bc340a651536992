package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The per-address limit of a TCP input: one address at its limit does not keep another out. */
class ConnectionGuardTest {

    /** A channel that says it comes from {@code peer} (addresses from the documentation ranges, RFC 5737). */
    private static final class FromPeer extends EmbeddedChannel {
        private final InetSocketAddress peer;

        FromPeer(String address, ConnectionGuard guard) {
            super(false, false);
            this.peer = new InetSocketAddress(address, 40000);
            pipeline().addLast(guard);
            register0();
        }

        private void register0() {
            try {
                register();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return peer;
        }
    }

    @Test
    void an_address_at_its_limit_is_refused_while_another_gets_in_and_a_closed_connection_gives_its_slot_back() {
        ConnectionGuard.Limits limits = new ConnectionGuard.Limits("syslog-tcp", NetworkAllowList.parse(""), 100, 2, 0);
        int[] refused = new int[1];
        TlsSessionGuard.Listener listener = new TlsSessionGuard.Listener() {
            @Override
            public void tlsFailed(String input) {
            }

            @Override
            public void peerRefused(String input) {
                refused[0]++;
            }
        };
        FromPeer a1 = new FromPeer("192.0.2.1", new ConnectionGuard(limits, listener));
        FromPeer a2 = new FromPeer("192.0.2.1", new ConnectionGuard(limits, listener));
        FromPeer a3 = new FromPeer("192.0.2.1", new ConnectionGuard(limits, listener));
        FromPeer b1 = new FromPeer("198.51.100.7", new ConnectionGuard(limits, listener));
        assertThat(a1.isOpen()).isTrue();
        assertThat(a2.isOpen()).isTrue();
        assertThat(a3.isOpen()).as("the third from 192.0.2.1").isFalse();
        assertThat(b1.isOpen()).as("another address").isTrue();
        assertThat(refused[0]).isEqualTo(1);
        a1.close();
        FromPeer a4 = new FromPeer("192.0.2.1", new ConnectionGuard(limits, listener));
        assertThat(a4.isOpen()).as("the slot given back").isTrue();
        a2.close();
        a4.close();
        b1.close();
        assertThat(limits.perPeer).as("no address is remembered once its connections are gone").isEmpty();
        assertThat(limits.open()).isZero();
    }
}
