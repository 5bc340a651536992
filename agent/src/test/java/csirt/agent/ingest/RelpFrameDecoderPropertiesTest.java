package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * The RELP decoder on arbitrary bytes and on real frames cut at arbitrary points: it never throws,
 * frames come out whole however the reads fall, and bytes that are not RELP are handed on as they
 * were (to be journaled), never lost.
 */
class RelpFrameDecoderPropertiesTest {

    private static List<RelpCommand> decode(List<byte[]> reads) {
        EmbeddedChannel ch = new EmbeddedChannel(new RelpFrameDecoder(1 << 20));
        for (byte[] r : reads) {
            ch.writeInbound(Unpooled.wrappedBuffer(r));
        }
        List<RelpCommand> out = new ArrayList<>();
        RelpBatch b;
        while ((b = ch.readInbound()) != null) {
            out.addAll(b.commands());
        }
        ch.finishAndReleaseAll();
        return out;
    }

    @Property(tries = 1000)
    void arbitrary_bytes_never_throw_and_what_is_not_relp_is_kept(@ForAll @Size(max = 400) byte[] bytes) {
        List<RelpCommand> out = decode(List.of(bytes));
        for (RelpCommand c : out) {
            if (c.malformed()) {
                // the rest of the read from where the grammar broke, byte for byte
                byte[] tail = Arrays.copyOfRange(bytes, bytes.length - c.data().length, bytes.length);
                assertThat(c.data()).isEqualTo(tail);
            }
        }
    }

    @Property(tries = 500)
    void frames_split_anywhere_come_out_whole(@ForAll @Size(min = 1, max = 20) List<@StringLength(max = 80) String> messages,
                                              @ForAll @IntRange(min = 1, max = 50) int chunk) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int txnr = 1;
        for (String m : messages) {
            byte[] data = m.getBytes(StandardCharsets.UTF_8);
            stream.writeBytes((txnr++ + " syslog " + data.length + (data.length > 0 ? " " : "")).getBytes(StandardCharsets.US_ASCII));
            stream.writeBytes(data);
            stream.write('\n');
        }
        byte[] all = stream.toByteArray();
        List<byte[]> reads = new ArrayList<>();
        for (int off = 0; off < all.length; off += chunk) {
            reads.add(Arrays.copyOfRange(all, off, Math.min(all.length, off + chunk)));
        }
        List<RelpCommand> out = decode(reads);
        assertThat(out).hasSize(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            assertThat(out.get(i).malformed()).isFalse();
            assertThat(out.get(i).txnr()).isEqualTo(i + 1);
            assertThat(out.get(i).command()).isEqualTo("syslog");
            assertThat(new String(out.get(i).data(), StandardCharsets.UTF_8)).isEqualTo(messages.get(i));
        }
    }
}
