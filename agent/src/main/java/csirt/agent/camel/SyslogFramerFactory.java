package csirt.agent.camel;

import csirt.agent.ingest.SyslogFrameDecoder;
import io.netty.channel.ChannelHandler;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * Gives every TCP connection its own {@link SyslogFrameDecoder} (a decoder keeps per-connection
 * state, so it cannot be shared); referenced from the route as {@code decoders=#syslogFramer}.
 */
public final class SyslogFramerFactory extends DefaultChannelHandlerFactory {

    private final int maxFrameBytes;

    public SyslogFramerFactory(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        return new SyslogFrameDecoder(maxFrameBytes);
    }
}
