package csirt.agent.camel;

import csirt.agent.ingest.SyslogTls;
import csirt.agent.ingest.TlsSessionGuard;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import org.apache.camel.component.netty.DefaultChannelHandlerFactory;

/**
 * The first "decoder" of the TLS syslog route ({@code decoders=#syslogTls,#syslogFramer}): for each
 * connection it puts a fresh {@link SslHandler} and its {@link TlsSessionGuard} where it stands,
 * so TLS is unwrapped before our framer sees a byte. We do this instead of camel-netty's own
 * {@code ssl=true} to count and log handshake failures per peer and to check permitted peers.
 * Never called (and {@code tls} null) while syslog.tls.enabled=false: the route does not start.
 */
final class SyslogTlsHandlerFactory extends DefaultChannelHandlerFactory {

    private final SyslogTls tls;
    private final String input;
    private final TlsSessionGuard.Listener listener;

    SyslogTlsHandlerFactory(SyslogTls tls, String input, TlsSessionGuard.Listener listener) {
        this.tls = tls;
        this.input = input;
        this.listener = listener;
    }

    @Override
    public ChannelHandler newChannelHandler() {
        if (tls == null) {
            throw new IllegalStateException("syslog.tls.enabled=false: the TLS input has no certificate to serve");
        }
        return new ChannelHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                String self = ctx.name();
                ctx.pipeline().addAfter(self, "tls-guard", new TlsSessionGuard(tls, input, listener));
                ctx.pipeline().addAfter(self, "tls", new SslHandler(tls.newEngine()));
                ctx.pipeline().remove(this);
            }
        };
    }
}
