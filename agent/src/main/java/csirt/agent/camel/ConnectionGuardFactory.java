package csirt.agent.camel;

import csirt.agent.ingest.ConnectionGuard;
import csirt.agent.ingest.TlsSessionGuard;
import io.netty.channel.ChannelHandler;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * The first "decoder" of a TCP or TLS input route ({@code decoders=#tcpGuard,...}): a fresh
 * {@link ConnectionGuard} per connection, sharing the input's limits and open-connection count.
 */
final class ConnectionGuardFactory extends DefaultChannelHandlerFactory {

    private final ConnectionGuard.Limits limits;
    private final TlsSessionGuard.Listener listener;

    ConnectionGuardFactory(ConnectionGuard.Limits limits, TlsSessionGuard.Listener listener) {
        this.limits = limits;
        this.listener = listener;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new ConnectionGuard(limits, listener);
    }
}
