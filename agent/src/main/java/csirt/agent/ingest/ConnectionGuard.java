package csirt.agent.ingest;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection to a TCP or TLS input: refuses a peer outside the input's
 * allow list, beyond its connection limit or beyond its limit per peer address before a byte is read (counted as a refused peer,
 * logged with the address), keeps the input's count of open connections, and closes a connection
 * idle for longer than the input's timeout. One per connection; the {@link Limits} are shared.
 */
public final class ConnectionGuard extends RefusingHandler {

    /** What one input allows, and its live count of open connections. */
    public static final class Limits {
        final String input;
        final NetworkAllowList allowed;
        final int maxConnections;
        final int maxPerPeer;
        final int idleSeconds;
        final AtomicInteger open = new AtomicInteger();
        /** Open connections per peer address: one address cannot take the whole input. */
        final java.util.concurrent.ConcurrentHashMap<java.net.InetAddress, AtomicInteger> perPeer = new java.util.concurrent.ConcurrentHashMap<>();

        public Limits(String input, NetworkAllowList allowed, int maxConnections, int maxPerPeer, int idleSeconds) {
            this.input = input;
            this.allowed = allowed;
            this.maxConnections = maxConnections;
            this.maxPerPeer = maxPerPeer;
            this.idleSeconds = idleSeconds;
        }

        public int open() {
            return open.get();
        }

        public String input() {
            return input;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger("csirt.agent.input");

    private final Limits limits;
    private final TlsSessionGuard.Listener listener;
    private boolean counted;
    private java.net.InetAddress peerAddress;

    public ConnectionGuard(Limits limits, TlsSessionGuard.Listener listener) {
        this.limits = limits;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (limits.idleSeconds > 0) {
            // before this guard: the idle event travels towards the end of the pipeline, through us
            ctx.pipeline().addBefore(ctx.name(), "idle", new IdleStateHandler(limits.idleSeconds, 0, 0, TimeUnit.SECONDS));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        SocketAddress peer = ctx.channel().remoteAddress();
        if (peer instanceof InetSocketAddress in && in.getAddress() != null && !limits.allowed.permits(in.getAddress())) {
            refuse(ctx, "not in the input's allowed networks (" + limits.allowed + ")");
            return;
        }
        int now = limits.open.incrementAndGet();
        counted = true;
        if (now > limits.maxConnections) {
            refuse(ctx, "the input already has " + limits.maxConnections + " connections (its max-connections)");
            return;
        }
        if (peer instanceof InetSocketAddress in && in.getAddress() != null) {
            peerAddress = in.getAddress();
            int fromPeer = limits.perPeer.computeIfAbsent(peerAddress, a -> new AtomicInteger()).incrementAndGet();
            if (fromPeer > limits.maxPerPeer) {
                refuse(ctx, "this address already has " + limits.maxPerPeer + " connections (the input's max-connections-per-peer)");
                return;
            }
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (counted) {
            counted = false;
            limits.open.decrementAndGet();
            if (peerAddress != null) {
                // the entry goes when its last connection does, so the map holds only addresses connected now
                limits.perPeer.computeIfPresent(peerAddress, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
        if (!refused) {
            super.channelInactive(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            LOG.info("Input {}: closing the connection from {}, silent for {} s (its idle timeout)",
                    limits.input, ctx.channel().remoteAddress(), limits.idleSeconds);
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        refused = true;
        listener.peerRefused(limits.input);
        WarningLimiter.warn(LOG, limits.input, "Input {}: refused {}: {}", limits.input, ctx.channel().remoteAddress(), why);
        ctx.close();
    }
}
