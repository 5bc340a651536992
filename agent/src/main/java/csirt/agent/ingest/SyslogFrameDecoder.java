package csirt.agent.ingest;

import java.util.ArrayList;
import java.util.List;

import csirt.agent.journal.JournalRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts a TCP syslog stream into frames, deciding per frame between RFC 6587 octet counting
 * ({@code LEN SP MSG}, section 3.4.1) and non-transparent framing by LF or NUL (section 3.4.2), and
 * emits everything cut from one read as one {@link FrameBatch}.
 *
 * <p>A frame longer than {@code maxFrameBytes} is not dropped: it is cut into pieces of at most
 * that size, flagged "continues"/"continuation", so every byte still reaches the journal.
 * camel-syslog's own {@code Rfc5425FrameDecoder} is not used: it replays frames when a read ends
 * inside the length prefix (CAMEL-NOTES.md, trap 2).
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {

    /** Longest length prefix accepted: 9 digits (under 1 GB); more is not an octet count. */
    private static final int MAX_LENGTH_DIGITS = 9;

    private final int maxFrameBytes;
    /** Bytes still owed to an over-long octet-counted frame; 0 when none. */
    private long countedRemaining;
    /** True until the first piece of the current over-long octet-counted frame is emitted (a read may end before it is whole). */
    private boolean firstPiecePending;
    /** True while inside an over-long LF-terminated frame whose first piece was already emitted. */
    private boolean inLongLine;

    public SyslogFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 64, was " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        List<Frame> frames = new ArrayList<>();
        cut(in, frames, false);
        if (!frames.isEmpty()) {
            out.add(new FrameBatch(frames));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // The peer closed: what is left is a last frame without its LF (common with `logger`),
        // or an octet-counted frame cut short, which is kept and flagged incomplete.
        List<Frame> frames = new ArrayList<>();
        cut(in, frames, true);
        if (!frames.isEmpty()) {
            out.add(new FrameBatch(frames));
        }
    }

    private void cut(ByteBuf in, List<Frame> frames, boolean eof) {
        while (in.isReadable()) {
            if (countedRemaining > 0) {
                if (!continueCounted(in, frames, eof)) {
                    return;
                }
                continue;
            }
            if (inLongLine) {
                if (!continueLine(in, frames, eof)) {
                    return;
                }
                continue;
            }
            skipSeparators(in);
            if (!in.isReadable()) {
                return;
            }
            int prefix = octetCountPrefix(in, eof);
            if (prefix == NEED_MORE) {
                return;
            }
            boolean progressed = prefix > 0 ? startCounted(in, prefix, frames, eof) : startLine(in, frames, eof);
            if (!progressed) {
                return;
            }
        }
    }

    private static final int NEED_MORE = -2;

    /**
     * Length of the prefix "DIGITS SP" when the frame starts with a valid octet count, 0 when it
     * is LF-framed, or {@link #NEED_MORE} when the read ended inside a possible prefix.
     */
    private static int octetCountPrefix(ByteBuf in, boolean eof) {
        int r = in.readerIndex();
        int w = in.writerIndex();
        byte first = in.getByte(r);
        if (first < '1' || first > '9') {
            return 0;
        }
        for (int i = r + 1; i < w && i <= r + MAX_LENGTH_DIGITS; i++) {
            byte b = in.getByte(i);
            if (b == ' ') {
                return i - r + 1;
            }
            if (b < '0' || b > '9') {
                return 0;
            }
        }
        if (w - r <= MAX_LENGTH_DIGITS && !eof) {
            return NEED_MORE;
        }
        return 0;
    }

    private boolean startCounted(ByteBuf in, int prefix, List<Frame> frames, boolean eof) {
        int r = in.readerIndex();
        long len = 0;
        for (int i = r; i < r + prefix - 1; i++) {
            len = len * 10 + (in.getByte(i) - '0');
        }
        int available = in.readableBytes() - prefix;
        if (len <= maxFrameBytes) {
            if (available < len) {
                if (eof) {
                    in.skipBytes(prefix);
                    frames.add(new Frame(take(in, available), JournalRecord.FLAG_INCOMPLETE));
                    return true;
                }
                return false;
            }
            in.skipBytes(prefix);
            frames.add(Frame.whole(take(in, (int) len)));
            return true;
        }
        // Over-long: stream it through in pieces of maxFrameBytes.
        in.skipBytes(prefix);
        countedRemaining = len;
        firstPiecePending = true;
        return continueCounted(in, frames, eof);
    }

    private boolean continueCounted(ByteBuf in, List<Frame> frames, boolean eof) {
        // the first piece is the event (judged); the later ones are its continuation (evidence only)
        int flags = firstPiecePending ? JournalRecord.FLAG_CONTINUES : JournalRecord.FLAG_CONTINUATION | JournalRecord.FLAG_CONTINUES;
        boolean emitted = emitCountedPiece(in, frames, flags, eof);
        if (emitted) {
            firstPiecePending = false;
        }
        return emitted;
    }

    private boolean emitCountedPiece(ByteBuf in, List<Frame> frames, int flags, boolean eof) {
        int piece = (int) Math.min(maxFrameBytes, countedRemaining);
        if (in.readableBytes() < piece) {
            if (!eof) {
                return false;
            }
            frames.add(new Frame(take(in, in.readableBytes()), (flags & ~JournalRecord.FLAG_CONTINUES) | JournalRecord.FLAG_INCOMPLETE));
            countedRemaining = 0;
            return true;
        }
        countedRemaining -= piece;
        if (countedRemaining == 0) {
            flags &= ~JournalRecord.FLAG_CONTINUES;
        }
        frames.add(new Frame(take(in, piece), flags));
        return true;
    }

    private boolean startLine(ByteBuf in, List<Frame> frames, boolean eof) {
        return line(in, frames, eof, 0);
    }

    private boolean continueLine(ByteBuf in, List<Frame> frames, boolean eof) {
        return line(in, frames, eof, JournalRecord.FLAG_CONTINUATION);
    }

    private boolean line(ByteBuf in, List<Frame> frames, boolean eof, int flags) {
        int r = in.readerIndex();
        int searchLen = Math.min(in.readableBytes(), maxFrameBytes + 1);
        // the trailer is LF, or NUL for senders that use it (RFC 6587 3.4.2 mentions both); two
        // indexOf scans (netty searches several bytes per step) beat one byte-by-byte callback
        int lf = in.indexOf(r, r + searchLen, (byte) '\n');
        int nul = in.indexOf(r, lf >= 0 ? lf : r + searchLen, (byte) 0);
        if (nul >= 0) {
            lf = nul;
        }
        if (lf >= 0 && lf - r <= maxFrameBytes) {
            int end = lf;
            if (end > r && in.getByte(end - 1) == '\r') {
                end--;
            }
            byte[] bytes = take(in, end - r);
            in.readerIndex(lf + 1);
            frames.add(new Frame(bytes, flags));
            inLongLine = false;
            return true;
        }
        if (in.readableBytes() > maxFrameBytes) {
            frames.add(new Frame(take(in, maxFrameBytes), flags | JournalRecord.FLAG_CONTINUES));
            inLongLine = true;
            return true;
        }
        if (eof) {
            frames.add(new Frame(take(in, in.readableBytes()), flags));
            inLongLine = false;
            return true;
        }
        return false;
    }

    /** Skips LF, CR and NUL between frames (some senders end octet-counted frames with LF or NUL). */
    private static void skipSeparators(ByteBuf in) {
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b != '\n' && b != '\r' && b != 0) {
                return;
            }
            in.skipBytes(1);
        }
    }

    private static byte[] take(ByteBuf in, int n) {
        byte[] out = new byte[n];
        in.readBytes(out);
        return out;
    }
}
