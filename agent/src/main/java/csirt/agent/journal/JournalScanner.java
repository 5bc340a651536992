package csirt.agent.journal;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the records of one segment file in order, checking structure only (magic, lengths);
 * hashes are checked by {@link JournalVerifier}.
 */
final class JournalScanner implements Closeable {

    /** One record as stored: its file offset, format version (1 or 2), the body bytes and the stored hash. */
    record Raw(long offset, int version, byte[] body, byte[] hash) {
    }

    /** Where the last whole record ends, its sequence number and hash, and the first record's hash and the one before it. */
    record Tail(long validLength, long lastSeq, byte[] lastHash, byte[] firstHash) {
    }

    /** The structure of the file is broken at {@code offset} (not merely cut short). */
    static final class DamagedException extends IOException {
        final long offset;

        DamagedException(long offset, String message) {
            super(message);
            this.offset = offset;
        }
    }

    private final DataInputStream in;
    private final long size;
    private long offset;

    JournalScanner(Path file) throws IOException {
        this.size = Files.size(file);
        InputStream raw = Files.newInputStream(file);
        this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    }

    long offset() {
        return offset;
    }

    /** True when the bytes left are fewer than a whole record needs: a torn (cut-short) tail. */
    boolean tornTail() {
        return offset < size;
    }

    /**
     * The next record, or null at the end of the file or at a torn (incomplete) last record;
     * {@link #tornTail()} tells the two apart.
     */
    Raw next() throws IOException {
        long left = size - offset;
        if (left == 0) {
            return null;
        }
        if (left < JournalFormat.PREFIX_BYTES) {
            return null;
        }
        int magic = in.readInt();
        int bodyLen = in.readInt();
        if (!JournalFormat.knownMagic(magic)) {
            throw new DamagedException(offset, String.format("bad record marker 0x%08X at offset %d", magic, offset));
        }
        if (bodyLen < 30 || bodyLen > JournalFormat.MAX_BODY_BYTES) {
            throw new DamagedException(offset, "impossible record length " + bodyLen + " at offset " + offset);
        }
        long whole = (long) JournalFormat.PREFIX_BYTES + bodyLen + JournalFormat.HASH_BYTES;
        if (left < whole) {
            return null;
        }
        byte[] body = new byte[bodyLen];
        byte[] hash = new byte[JournalFormat.HASH_BYTES];
        try {
            in.readFully(body);
            in.readFully(hash);
        } catch (EOFException e) {
            throw new DamagedException(offset, "file shrank while being read at offset " + offset);
        }
        Raw r = new Raw(offset, JournalFormat.version(magic), body, hash);
        offset += whole;
        return r;
    }

    static long seqOf(byte[] body) {
        return ByteBuffer.wrap(body).getLong();
    }

    /** Scans a segment to find where appending continues. */
    static Tail scanTail(Path file) throws IOException {
        try (JournalScanner s = new JournalScanner(file)) {
            long lastSeq = 0;
            byte[] lastHash = JournalFormat.GENESIS_HASH;
            byte[] firstHash = null;
            Raw r;
            try {
                while ((r = s.next()) != null) {
                    if (firstHash == null) {
                        firstHash = r.hash();
                    }
                    lastSeq = seqOf(r.body());
                    lastHash = r.hash();
                }
            } catch (DamagedException e) {
                throw new IOException("The journal " + file + " is damaged (" + e.getMessage() + "). "
                        + "Run `csirt-agent evidence verify` to see where, keep a copy of the file as evidence, "
                        + "and start the agent with a new --data directory.", e);
            }
            return new Tail(s.offset(), lastSeq, lastHash, firstHash);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
