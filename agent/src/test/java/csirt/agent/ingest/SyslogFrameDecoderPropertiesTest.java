package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Framing invariants over arbitrary messages and arbitrary read boundaries. */
class SyslogFrameDecoderPropertiesTest {

    @Property(tries = 500)
    void octet_counted_messages_come_out_whole_whatever_the_read_boundaries(
            @ForAll @Size(min = 1, max = 20) List<@StringLength(min = 1, max = 150) String> messages,
            @ForAll @IntRange(min = 1, max = 40) int chunk) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (String m : messages) {
            String msg = "<13>" + m;
            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
            if (b.length > 1000) {
                continue;
            }
            stream.writeBytes((b.length + " ").getBytes(StandardCharsets.US_ASCII));
            stream.writeBytes(b);
            expected.add(msg);
        }
        assertThat(decode(stream.toByteArray(), chunk)).containsExactlyElementsOf(expected);
    }

    @Property(tries = 500)
    void arbitrary_bytes_lose_nothing_but_separators(@ForAll @Size(max = 3000) byte[] bytes,
                                                     @ForAll @IntRange(min = 1, max = 64) int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(256));
        for (int off = 0; off < bytes.length; off += chunk) {
            int n = Math.min(chunk, bytes.length - off);
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, off, n));
        }
        ch.finish();
        long out = 0;
        Object o;
        while ((o = ch.readInbound()) != null) {
            for (Frame f : ((FrameBatch) o).frames()) {
                assertThat(f.bytes().length).isLessThanOrEqualTo(256);
                out += f.bytes().length;
            }
        }
        // Only framing bytes may go: LF/CR/NUL separators and octet-count prefixes (digits and a space).
        long framing = 0;
        for (byte b : bytes) {
            if (b == '\n' || b == '\r' || b == 0 || b == ' ' || (b >= '0' && b <= '9')) {
                framing++;
            }
        }
        assertThat(out).isGreaterThanOrEqualTo(bytes.length - framing);
    }

    private static List<String> decode(byte[] stream, int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(1000));
        for (int off = 0; off < stream.length; off += chunk) {
            ch.writeInbound(Unpooled.wrappedBuffer(stream, off, Math.min(chunk, stream.length - off)));
        }
        ch.finish();
        List<String> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            for (Frame f : ((FrameBatch) o).frames()) {
                out.add(new String(f.bytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
