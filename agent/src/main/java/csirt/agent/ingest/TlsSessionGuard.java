package csirt.agent.ingest;

import java.net.SocketAddress;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@link SslHandler} of one TLS syslog connection. A failed handshake (an
 * untrusted or missing certificate, plain text sent to the TLS port, an old protocol) is counted
 * and logged with the peer, then the connection closes; it never reaches the input's error
 * handler, and the input keeps accepting others. After a good handshake the peer's certificate is
 * checked against the permitted-peers list; a refused peer is counted, logged and disconnected,
 * and nothing it sent is read.
 */
public final class TlsSessionGuard extends RefusingHandler {

    /** Where the guard reports; the agent's metrics, kept apart so this class needs no Camel. */
    public interface Listener {
        void tlsFailed(String input);

        void peerRefused(String input);
    }

    private static final Logger LOG = LoggerFactory.getLogger("csirt.agent.input");

    private final SyslogTls tls;
    private final String input;
    private final Listener listener;
    private boolean handshakeDone;

    public TlsSessionGuard(SyslogTls tls, String input, Listener listener) {
        this.tls = tls;
        this.input = input;
        this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            handshakeDone = true;
            SocketAddress peer = ctx.channel().remoteAddress();
            if (!done.isSuccess()) {
                refused = true;
                listener.tlsFailed(input);
                WarningLimiter.warn(LOG, input, "Input {}: TLS handshake with {} failed ({}); check the sender's certificate and that it speaks TLS 1.2+",
                        input, peer, rootMessage(done.cause()));
                ctx.close();
                return;
            }
            String why = tls.refusal(ctx.pipeline().get(SslHandler.class).engine().getSession());
            if (why != null) {
                refused = true;
                listener.peerRefused(input);
                WarningLimiter.warn(LOG, input, "Input {}: refused {}: {}", input, peer, why);
                ctx.close();
                return;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!isTls(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (handshakeDone && !refused) {
            // a broken record after the handshake: the stream cannot be trusted past this point
            listener.tlsFailed(input);
            WarningLimiter.warn(LOG, input, "Input {}: TLS error from {} ({}); connection closed", input, ctx.channel().remoteAddress(), rootMessage(cause));
        }
        // during the handshake, the failed-handshake event that follows counts and logs it once
        ctx.close();
    }

    private static boolean isTls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reason, short and safe to log: netty's message for a non-TLS record is a hex dump of what
     * the sender sent, which is the sender's data, not a diagnosis.
     */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c != null && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        if (c == null) {
            return "unknown";
        }
        if (c instanceof io.netty.handler.ssl.NotSslRecordException) {
            return "not TLS: the sender sent plain text or another protocol to the TLS port";
        }
        String m = String.valueOf(c.getMessage()).replaceAll("[\\p{Cntrl}]", "?");
        return c.getClass().getSimpleName() + ": " + (m.length() > 200 ? m.substring(0, 200) + "..." : m);
    }
}
