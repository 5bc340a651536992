package csirt.agent.camel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import csirt.agent.ingest.FileTailer;
import csirt.agent.ingest.Frame;
import csirt.agent.ingest.FrameBatch;
import csirt.agent.ingest.NetworkAllowList;
import csirt.agent.ingest.RelpBatch;
import csirt.agent.ingest.RelpCommand;
import csirt.agent.ingest.TlsSessionGuard;
import csirt.agent.ingest.UdpBatcher;
import csirt.agent.journal.JournalRecord;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.EventParser;
import csirt.agent.pipeline.IngestPipeline;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.component.netty.NettyConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bean the input routes call: takes what a Camel consumer received (a batch of TCP frames, a
 * datagram, a file line), adds the receipt (time, input = route id, peer), and hands it to the
 * pipeline; the judge thread hands the incidents on to the case stage.
 */
public final class SyslogIngress {

    private final IngestPipeline pipeline;
    private final int maxFrameBytes;
    private final String fileHost;
    private final FileTailer clamavTailer;

    private final NetworkAllowList udpAllowed;
    private final TlsSessionGuard.Listener refusals;

    public SyslogIngress(IngestPipeline pipeline, int maxFrameBytes, String fileHost, FileTailer clamavTailer,
                         NetworkAllowList udpAllowed, TlsSessionGuard.Listener refusals) {
        this.clamavTailer = clamavTailer;
        this.udpAllowed = udpAllowed;
        this.refusals = refusals;
        this.pipeline = pipeline;
        this.maxFrameBytes = maxFrameBytes;
        this.fileHost = fileHost;
    }

    /**
     * A batch of frames cut from one TCP read: journaled and parsed on this (I/O) thread, judged on
     * the judge thread; incidents go on to the case stage from there.
     */
    public void tcp(Exchange exchange) throws InvalidPayloadException {
        FrameBatch batch = exchange.getMessage().getMandatoryBody(FrameBatch.class);
        acceptHolding(batch.frames(), receipt(exchange, "tcp"));
    }

    /** As {@link #tcp}, for frames that arrived over TLS (RFC 5425). */
    public void tls(Exchange exchange) throws InvalidPayloadException {
        FrameBatch batch = exchange.getMessage().getMandatoryBody(FrameBatch.class);
        acceptHolding(batch.frames(), receipt(exchange, "tls"));
    }

    /**
     * RELP commands cut from one read: the {@code syslog} messages are journaled (one write), and only
     * then answered ({@link csirt.agent.ingest.RelpBatch#reply}). Bytes that are not RELP are
     * journaled (flagged incomplete) and counted, and end the session.
     */
    public void relp(Exchange exchange) throws InvalidPayloadException {
        RelpBatch batch = exchange.getMessage().getMandatoryBody(RelpBatch.class);
        ChannelHandlerContext ctx = exchange.getMessage()
                .getHeader(NettyConstants.NETTY_CHANNEL_HANDLER_CONTEXT, ChannelHandlerContext.class);
        Receipt receipt = receipt(exchange, "relp");
        List<Frame> frames = new ArrayList<>();
        for (RelpCommand c : batch.commands()) {
            if (c.malformed()) {
                frames.add(new Frame(c.data(), JournalRecord.FLAG_INCOMPLETE));
                relpProblems.malformed(receipt.input(), receipt.peer(), c.problem());
            } else if (c.command().equals("syslog") && c.data().length > 0) {
                frames.addAll(pieces(c.data())); // exact bytes, a trailing LF included (the parser ignores it)
            }
        }
        String notStored = null;
        try {
            acceptHolding(frames, receipt);
        } catch (RuntimeException e) {
            notStored = String.valueOf(e.getMessage());
        }
        RelpBatch.Reply reply = batch.reply(notStored);
        if (ctx != null) {
            ChannelFuture f = ctx.writeAndFlush(
                    Unpooled.copiedBuffer(reply.text(), StandardCharsets.UTF_8));
            if (reply.close()) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
        if (notStored != null) {
            relpProblems.notStored(receipt.input(), notStored);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SyslogIngress.class);
    private final AtomicInteger waiting = new AtomicInteger();

    /** Inputs (I/O threads) holding a batch the journal could not write yet. */
    public int waitingForJournal() {
        return waiting.get();
    }

    /**
     * Hands a network input's batch on. While the journal cannot write it (a full disk), this I/O
     * thread keeps the batch and tries again every second instead of dropping it: it reads nothing
     * meanwhile, so TCP, TLS and RELP senders are held back by their windows (UDP datagrams queue
     * in the kernel, then are dropped there and counted), and the input resumes by itself when the
     * journal writes again. Health is red meanwhile (the journal's last error). Gives up only when
     * the thread is interrupted (a forced stop), with the batch not journaled.
     */
    private void acceptHolding(List<Frame> frames, Receipt receipt) {
        long since = 0;
        try {
            while (true) {
                try {
                    pipeline.acceptAsync(frames, receipt, EventParser.Source.SYSLOG);
                    if (since != 0) {
                        LOG.warn("Input {}: the journal writes again; reading resumed after {} s", receipt.input(),
                                (System.currentTimeMillis() - since) / 1000);
                    }
                    return;
                } catch (UncheckedIOException e) {
                    if (since == 0) {
                        since = System.currentTimeMillis();
                        waiting.incrementAndGet();
                        LOG.error("Input {}: the journal cannot write ({}); the input holds {} messages and stops reading until it can, "
                                + "holding the senders back. Free disk space in the data directory; it resumes by itself.",
                                receipt.input(), e.getMessage(), frames.size());
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                        LOG.error("Input {}: stopped while the journal could not write; {} held messages were not journaled",
                                receipt.input(), frames.size());
                        throw e;
                    }
                }
            }
        } finally {
            if (since != 0) {
                waiting.decrementAndGet();
            }
        }
    }

    /** What the RELP input reports besides the counters of the pipeline. */
    public interface RelpProblems {
        void malformed(String input, String peer, String problem);

        void notStored(String input, String why);
    }

    private RelpProblems relpProblems = new RelpProblems() {
        @Override
        public void malformed(String input, String peer, String problem) {
        }

        @Override
        public void notStored(String input, String why) {
        }
    };

    void relpProblems(RelpProblems p) {
        this.relpProblems = p;
    }

    /**
     * One UDP datagram: one message (RFC 5426 section 3.1), trailing LF removed by the parser. A
     * datagram from outside syslog.udp.allowed-networks is counted as refused and not journaled.
     */
    public void udp(Exchange exchange) throws InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof UdpBatcher.Datagrams batch) {
            // one read loop's datagrams: journaled together, in runs of the same sender (one receipt each)
            List<Frame> run = new ArrayList<>();
            InetSocketAddress runFrom = null;
            for (UdpBatcher.Datagram d : batch.datagrams()) {
                if (d.sender().getAddress() != null && !udpAllowed.permits(d.sender().getAddress())) {
                    refusals.peerRefused(exchange.getFromRouteId());
                    continue;
                }
                if (runFrom != null && !runFrom.equals(d.sender())) {
                    acceptHolding(run, receipt(exchange.getFromRouteId(), "udp", runFrom));
                    run = new ArrayList<>();
                }
                runFrom = d.sender();
                run.addAll(pieces(d.bytes()));
            }
            if (!run.isEmpty()) {
                acceptHolding(run, receipt(exchange.getFromRouteId(), "udp", runFrom));
            }
            return;
        }
        // one datagram as netty's own codec gives it (a route changed to udpByteArrayCodec=true)
        byte[] datagram = exchange.getMessage().getMandatoryBody(byte[].class);
        SocketAddress peer = exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS, SocketAddress.class);
        if (peer instanceof InetSocketAddress in && in.getAddress() != null && !udpAllowed.permits(in.getAddress())) {
            refusals.peerRefused(exchange.getFromRouteId());
            return;
        }
        acceptHolding(pieces(datagram), receipt(exchange, "udp"));
    }

    /**
     * The lines appended to the ClamAV log file since the last poll; the host is this machine's
     * unless configured (clamav.log.host).
     */
    public void clamavPoll(Exchange exchange) throws IOException {
        if (clamavTailer != null) {
            tail(clamavTailer, exchange, fileHost, EventParser.Source.CLAMAV_LOG);
        }
    }

    private List<FileTailer> fileTailers = List.of();
    private String filesHost = "-";

    /** The tailers of files.paths and the host their lines are about when they name none (set once at start). */
    void tailFiles(List<FileTailer> tailers, String host) {
        this.fileTailers = List.copyOf(tailers);
        this.filesHost = host;
    }

    /**
     * The lines appended to the files of files.paths since the last poll, read as syslog lines; the
     * host of a line that names none is files.host (or this machine).
     */
    public void filesPoll(Exchange exchange) throws IOException {
        for (FileTailer t : fileTailers) {
            tail(t, exchange, filesHost, EventParser.Source.SYSLOG);
        }
    }

    /** The non-empty lines one tailer read since its last poll, journaled and judged. */
    private void tail(FileTailer tailer, Exchange exchange, String host, EventParser.Source source)
            throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (byte[] line : tailer.poll()) {
            if (line.length > 0) {
                frames.add(Frame.whole(line));
            }
        }
        try {
            pipeline.acceptAsync(frames, new Receipt(Instant.now(), exchange.getFromRouteId(), "file", host, 0), source);
        } catch (RuntimeException notJournaled) {
            tailer.rewind(); // read again at the next poll: the journal did not take them
            throw notJournaled;
        }
        tailer.commit();
    }

    private List<Frame> pieces(byte[] datagram) {
        if (datagram.length <= maxFrameBytes) {
            return List.of(Frame.whole(datagram));
        }
        List<Frame> out = new ArrayList<>();
        for (int off = 0; off < datagram.length; off += maxFrameBytes) {
            int end = Math.min(datagram.length, off + maxFrameBytes);
            int flags = (off > 0 ? JournalRecord.FLAG_CONTINUATION : 0) | (end < datagram.length ? JournalRecord.FLAG_CONTINUES : 0);
            out.add(new Frame(Arrays.copyOfRange(datagram, off, end), flags));
        }
        return out;
    }

    private static Receipt receipt(String input, String transport, InetSocketAddress peer) {
        String address = peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
        return new Receipt(Instant.now(), input, transport, address, peer.getPort());
    }

    private static Receipt receipt(Exchange exchange, String transport) {
        SocketAddress peer = exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS, SocketAddress.class);
        String address = "-";
        int port = 0;
        if (peer instanceof InetSocketAddress in) {
            address = in.getAddress() != null ? in.getAddress().getHostAddress() : in.getHostString();
            port = in.getPort();
        }
        return new Receipt(Instant.now(), exchange.getFromRouteId(), transport, address, port);
    }
}
