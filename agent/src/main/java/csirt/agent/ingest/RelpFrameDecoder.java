package csirt.agent.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts a RELP stream (rsyslog's Reliable Event Logging Protocol, as {@code omrelp} sends it) into
 * commands: {@code TXNR SP COMMAND SP DATALEN [SP DATA] LF}. Everything cut from one read travels
 * as one {@link RelpBatch}, so acknowledging costs one write per read.
 *
 * <p>A frame that does not follow the grammar ends the session: what is left of the read is handed
 * on as one {@link RelpCommand#MALFORMED} command (so the bytes are journaled as evidence) and the
 * rest of the connection is discarded; the sender reconnects and retransmits what it has no
 * acknowledgement for.
 */
public final class RelpFrameDecoder extends ByteToMessageDecoder {

    private static final int MAX_TXNR_DIGITS = 9;
    private static final int MAX_COMMAND = 32;

    private final int maxDataBytes;
    private boolean broken;

    public RelpFrameDecoder(int maxDataBytes) {
        this.maxDataBytes = maxDataBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        List<RelpCommand> commands = new ArrayList<>();
        while (in.isReadable()) {
            int start = in.readerIndex();
            RelpCommand c = next(in);
            if (c == null) {
                in.readerIndex(start);
                break;
            }
            commands.add(c);
            if (c.malformed()) {
                broken = true;
                in.skipBytes(in.readableBytes());
                break;
            }
        }
        if (!commands.isEmpty()) {
            out.add(new RelpBatch(commands));
        }
    }

    /** The next command, null when the read ended inside it, or a MALFORMED command holding the rest. */
    private RelpCommand next(ByteBuf in) {
        // senders may put LF between frames; RELP allows none, but they harm nothing
        while (in.isReadable() && in.getByte(in.readerIndex()) == '\n') {
            in.skipBytes(1);
        }
        if (!in.isReadable()) {
            return null;
        }
        int start = in.readerIndex();
        long txnr = number(in, MAX_TXNR_DIGITS);
        if (txnr == NEED_MORE) {
            return null;
        }
        if (txnr < 0 || !space(in)) {
            return malformed(in, start, "transaction number");
        }
        StringBuilder command = new StringBuilder();
        while (in.isReadable() && in.getByte(in.readerIndex()) != ' ') {
            byte b = in.readByte();
            if (!(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z') || command.length() >= MAX_COMMAND) {
                return malformed(in, start, "command");
            }
            command.append((char) b);
        }
        if (!in.isReadable()) {
            return null;
        }
        if (command.length() == 0 || !space(in)) {
            return malformed(in, start, "command");
        }
        long len = number(in, MAX_TXNR_DIGITS);
        if (len == NEED_MORE) {
            return null;
        }
        if (len < 0) {
            return malformed(in, start, "data length");
        }
        if (len > maxDataBytes) {
            return malformed(in, start, "data length " + len + " over " + maxDataBytes + " bytes (syslog.max-frame-bytes)");
        }
        byte[] data = new byte[(int) len];
        if (len > 0) {
            if (in.readableBytes() < len + 2) {
                return null;
            }
            if (in.readByte() != ' ') {
                return malformed(in, start, "space before data");
            }
            in.readBytes(data);
        }
        if (!in.isReadable()) {
            return null;
        }
        if (in.readByte() != '\n') {
            return malformed(in, start, "trailer (LF)");
        }
        return new RelpCommand(txnr, command.toString(), data, null);
    }

    private static final long NEED_MORE = -2;

    /** Digits up to a space, LF or the end of the read: their value, NEED_MORE, or -1 when not a number. */
    private static long number(ByteBuf in, int maxDigits) {
        long v = 0;
        int digits = 0;
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b < '0' || b > '9') {
                return digits == 0 || digits > maxDigits ? -1 : v;
            }
            in.skipBytes(1);
            v = v * 10 + (b - '0');
            if (++digits > maxDigits) {
                return -1;
            }
        }
        return NEED_MORE;
    }

    private static boolean space(ByteBuf in) {
        return in.isReadable() && in.readByte() == ' ';
    }

    private static RelpCommand malformed(ByteBuf in, int start, String what) {
        in.readerIndex(start);
        byte[] rest = new byte[in.readableBytes()];
        in.readBytes(rest);
        return new RelpCommand(0, RelpCommand.MALFORMED, rest, "not a RELP frame (bad " + what + "): "
                + new String(rest, 0, Math.min(rest.length, 60), StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?"));
    }
}
