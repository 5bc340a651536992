package csirt.agent.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a log file that another program appends to (a ClamAV LogFile), line by line, across
 * rotation by rename (the rest of the old file is read before the new one) and by truncation
 * (reading starts again at 0), and resumes after a restart from the position saved beside the data.
 * A line is handed out only once its LF has arrived.
 */
public final class FileTailer implements AutoCloseable {

    private static final int MAX_LINE = 1 << 20;

    private final Path file;
    private final Path positionFile;
    private FileChannel channel;
    private Object fileKey;
    private long position;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

    public FileTailer(Path file, Path positionFile) {
        this.file = file;
        this.positionFile = positionFile;
    }

    /**
     * The complete lines appended since the last call (without their LF), in order. The position
     * is saved only by {@link #commit}, once the lines are journaled: a crash or a refused journal
     * write in between reads them again, nothing is skipped.
     */
    public synchronized List<byte[]> poll() throws IOException {
        List<byte[]> lines = new ArrayList<>();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return lines; // not there (yet, or between rotation steps)
        }
        if (channel == null) {
            if (!open(attrs, restoredPosition(attrs))) {
                return lines;
            }
        } else if (!attrs.fileKey().equals(fileKey)) {
            // Rotated by rename: finish the old file, then follow the new one from its start.
            readToEnd(lines);
            if (partial.size() > 0) {
                lines.add(stripCr(partial.toByteArray())); // the old file's last line, without its LF: it will get none
                partial.reset();
            }
            channel.close();
            channel = null;
            if (!open(attrs, 0)) {
                return lines;
            }
        } else if (attrs.size() < position) {
            position = 0; // truncated in place (copytruncate)
            partial.reset();
        }
        readToEnd(lines);
        return lines;
    }

    /** The lines of the last poll are journaled: their position is saved (a restart goes on after them). */
    public synchronized void commit() throws IOException {
        String now = fileKey + "\t" + (position - partial.size());
        if (fileKey != null && !now.equals(committed)) {
            savePosition();
            committed = now;
        }
    }

    /** What the position file says now (null before the first commit): nothing is written when nothing moved. */
    private String committed;

    /**
     * The lines of the last poll could not be journaled (a full disk): the next poll reads again
     * from the position last committed. After a rotation in between, the old file's rest is read
     * no more (the saved position names the old file).
     */
    public synchronized void rewind() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        partial.reset();
    }

    /**
     * Opens the file {@code attrs} describe; false when it went away or was replaced while opening
     * (a rotation in progress: the next poll tries again). The key is read before and after the
     * open, so the channel is known to be that file.
     */
    private boolean open(BasicFileAttributes attrs, long from) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        BasicFileAttributes after;
        try {
            after = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            after = null;
        }
        if (after == null || !attrs.fileKey().equals(after.fileKey())) {
            ch.close();
            return false;
        }
        channel = ch;
        fileKey = attrs.fileKey();
        position = Math.min(from, attrs.size());
        partial.reset();
        return true;
    }

    private void readToEnd(List<byte[]> lines) throws IOException {
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                return;
            }
            position += n;
            byte[] a = buffer.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    partial.write(a, start, i - start);
                    lines.add(stripCr(partial.toByteArray()));
                    partial.reset();
                    start = i + 1;
                }
            }
            partial.write(a, start, n - start);
            if (partial.size() > MAX_LINE) {
                lines.add(partial.toByteArray()); // a runaway line is handed out in pieces, never dropped
                partial.reset();
            }
        }
    }

    private static byte[] stripCr(byte[] b) {
        return b.length > 0 && b[b.length - 1] == '\r' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
    }

    /** The position saved for this same file (same inode), else 0: a file never seen is read whole. */
    private long restoredPosition(BasicFileAttributes attrs) {
        try {
            String[] s = Files.readString(positionFile, StandardCharsets.UTF_8).strip().split("\t");
            if (s.length == 2 && s[0].equals(String.valueOf(attrs.fileKey()))) {
                return Long.parseLong(s[1]);
            }
        } catch (IOException | NumberFormatException e) {
            // no saved position: start at the beginning
        }
        return 0;
    }

    private void savePosition() throws IOException {
        // The saved position stops before an incomplete last line, so it is read whole after a restart.
        long complete = position - partial.size();
        csirt.agent.PrivateFiles.directory(positionFile.getParent());
        Path tmp = positionFile.resolveSibling(positionFile.getFileName() + ".tmp");
        Files.writeString(tmp, fileKey + "\t" + complete + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, positionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
