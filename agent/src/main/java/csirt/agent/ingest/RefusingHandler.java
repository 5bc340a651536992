package csirt.agent.ingest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * A connection handler that can refuse its peer: once refused, nothing the peer sent travels
 * further down the pipeline (its buffers are released), while the connection closes.
 */
abstract class RefusingHandler extends ChannelInboundHandlerAdapter {

    protected boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
