package csirt.agent.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The on-disk record format of the journal (documented in docs/JOURNAL.md). Version 2 is written;
 * version 1 records (an earlier agent's) are read and verified, and the chain runs through both.
 *
 * <pre>
 * offset size  field
 * 0      4     magic "CSJ2" (0x43534A32); "CSJ1" (0x43534A31) for a version 1 record
 * 4      4     body length B (uint32, big-endian): bytes from seq to the end of payload
 * 8      8     seq (uint64), starts at 1, +1 per record
 * 16     8     receivedAt, microseconds since the epoch (int64, UTC)
 * 24     1     flags (bit 0 continues, bit 1 continuation, bit 2 incomplete)
 * 25     1     transport length T, then T bytes US-ASCII
 * .      2     input length I (uint16), then I bytes UTF-8
 * .      1     peer address length P, then P bytes US-ASCII
 * .      2     peer port (uint16)
 * .      4     payload length N (uint32), then N bytes: exactly what was received
 * 8+B    32    hash = SHA-256(previous record's hash || SHA-256(the B body bytes)); before seq 1: 32 zero bytes
 *              (version 1: SHA-256(previous record's hash || the B body bytes))
 * </pre>
 * Version 2 hashes the body's digest, not the body, into the chain: a record is then proven to lead
 * to a chain head by the 32-byte digests of the records after it, without their bytes (the evidence
 * export's chain proof carries no other person's log lines).
 */
public final class JournalFormat {

    /** "CSJ2": what is written. */
    public static final int MAGIC = 0x43534A32;
    /** "CSJ1": an earlier agent's records, whose hash covers the body itself. */
    public static final int MAGIC_V1 = 0x43534A31;
    public static final int HASH_BYTES = 32;
    /** Bytes before the body: magic and body length. */
    public static final int PREFIX_BYTES = 8;
    public static final byte[] GENESIS_HASH = new byte[HASH_BYTES];
    /** No real record comes near this; a larger length field means the file is damaged. */
    public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private JournalFormat() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256: the journal cannot be sealed", e);
        }
    }

    /** True for the marker of a record of either version. */
    public static boolean knownMagic(int magic) {
        return magic == MAGIC || magic == MAGIC_V1;
    }

    /** The format version a record marker stands for: 2 or 1. */
    public static int version(int magic) {
        return magic == MAGIC_V1 ? 1 : 2;
    }

    /** The hash a record of {@code version} (1 or 2) with this body has after {@code prev}. */
    public static byte[] chainHash(MessageDigest digest, int version, byte[] prev, byte[] body) {
        digest.reset();
        if (version == 1) {
            digest.update(prev);
            digest.update(body);
            return digest.digest();
        }
        return link(digest, prev, digest.digest(body));
    }

    /** A version 2 record's hash from the hash before it and its body's SHA-256. */
    public static byte[] link(MessageDigest digest, byte[] prev, byte[] bodyDigest) {
        digest.reset();
        digest.update(prev);
        digest.update(bodyDigest);
        return digest.digest();
    }

    /** A receipt's fields as the journal stores them: encoded once per batch, not per record. */
    public record EncodedReceipt(Receipt receipt, byte[] transport, byte[] input, byte[] peer, long micros) {
        public static EncodedReceipt of(Receipt r) {
            EncodedReceipt e = new EncodedReceipt(r, ascii(r.transport()), utf8(r.input()), ascii(r.peerAddress()), toMicros(r.receivedAt()));
            if (e.transport.length > 255 || e.peer.length > 255 || e.input.length > 65535) {
                throw new IllegalArgumentException("receipt field too long for the journal format: " + r);
            }
            return e;
        }
    }

    /** Size of the body (seq .. payload) for this receipt and payload. */
    public static int bodySize(Receipt r, byte[] payload) {
        return bodySize(EncodedReceipt.of(r), payload);
    }

    public static int bodySize(EncodedReceipt r, byte[] payload) {
        return 8 + 8 + 1
                + 1 + r.transport().length
                + 2 + r.input().length
                + 1 + r.peer().length
                + 2
                + 4 + payload.length;
    }

    /**
     * Writes one whole record (prefix, body, hash) at the buffer's position and returns its hash.
     * The digest is reset and reused, so the caller keeps one per thread.
     */
    public static byte[] write(ByteBuffer out, MessageDigest digest, byte[] prevHash, long seq, Receipt r,
                               int flags, byte[] payload) {
        return write(out, digest, prevHash, seq, EncodedReceipt.of(r), flags, payload);
    }

    public static byte[] write(ByteBuffer out, MessageDigest digest, byte[] prevHash, long seq, EncodedReceipt e,
                               int flags, byte[] payload) {
        byte[] transport = e.transport();
        byte[] input = e.input();
        byte[] peer = e.peer();
        Receipt r = e.receipt();
        int bodySize = bodySize(e, payload);
        out.putInt(MAGIC);
        out.putInt(bodySize);
        int bodyStart = out.position();
        out.putLong(seq);
        out.putLong(e.micros());
        out.put((byte) flags);
        out.put((byte) transport.length).put(transport);
        out.putShort((short) input.length).put(input);
        out.put((byte) peer.length).put(peer);
        out.putShort((short) r.peerPort());
        out.putInt(payload.length).put(payload);
        digest.reset();
        ByteBuffer body = out.duplicate();
        body.position(bodyStart).limit(bodyStart + bodySize);
        digest.update(body);
        byte[] hash = link(digest, prevHash, digest.digest());
        out.put(hash);
        return hash;
    }

    /** Decodes a body (the bytes from seq to the end of the payload) with its stored hash. */
    public static JournalRecord readBody(ByteBuffer body, byte[] hash) {
        long seq = body.getLong();
        Instant at = fromMicros(body.getLong());
        int flags = body.get() & 0xFF;
        String transport = new String(bytes(body, body.get() & 0xFF), StandardCharsets.US_ASCII);
        String input = new String(bytes(body, body.getShort() & 0xFFFF), StandardCharsets.UTF_8);
        String peer = new String(bytes(body, body.get() & 0xFF), StandardCharsets.US_ASCII);
        int port = body.getShort() & 0xFFFF;
        int n = body.getInt();
        if (n < 0 || n > body.remaining()) {
            throw new IllegalArgumentException("payload length " + n + " exceeds the record body");
        }
        byte[] payload = bytes(body, n);
        if (body.hasRemaining()) {
            throw new IllegalArgumentException(body.remaining() + " unexpected bytes after the payload");
        }
        return new JournalRecord(seq, new Receipt(at, input, transport, peer, port), flags, payload, hash);
    }

    static long toMicros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
