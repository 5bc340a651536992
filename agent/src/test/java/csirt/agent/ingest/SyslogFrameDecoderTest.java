package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.journal.JournalRecord;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Framing of a TCP syslog stream, per RFC 6587, on a real Netty pipeline (EmbeddedChannel). */
class SyslogFrameDecoderTest {

    private final EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(100));

    private void write(String s) {
        ch.writeInbound(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8)));
    }

    private List<Frame> frames() {
        List<Frame> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.addAll(((FrameBatch) o).frames());
        }
        return out;
    }

    private static List<String> texts(List<Frame> frames) {
        return frames.stream().map(f -> new String(f.bytes(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void lf_terminated_frames_with_and_without_cr() {
        // RFC 6587 3.4.2: non-transparent framing, LF trailer; CR LF is common too
        write("<13>a\n<13>b\r\n");
        assertThat(texts(frames())).containsExactly("<13>a", "<13>b");
    }

    @Test
    void nul_terminated_frames_mixed_with_lf_and_octet_counting() {
        // RFC 6587 3.4.2: some senders end a frame with NUL instead of LF
        write("<13>a\0<13>b\n5 <13>c<13>d\0");
        assertThat(texts(frames())).containsExactly("<13>a", "<13>b", "<13>c", "<13>d");
    }

    @Test
    void octet_counted_frames() {
        // RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG
        write("5 <13>a6 <13>bc");
        assertThat(texts(frames())).containsExactly("<13>a", "<13>bc");
    }

    @Test
    void octet_counting_and_lf_framing_are_recognised_per_frame_on_one_connection() {
        write("5 <13>a<13>b\n6 <13>cd<13>e\n");
        assertThat(texts(frames())).containsExactly("<13>a", "<13>b", "<13>cd", "<13>e");
    }

    @Test
    void rsyslog_counts_the_trailing_lf_in_the_length() {
        // CAMEL-NOTES trap 3: the LF is inside the count; the frame keeps it, the parser trims it
        write("6 <13>a\n6 <13>b\n");
        assertThat(texts(frames())).containsExactly("<13>a\n", "<13>b\n");
    }

    @Test
    void a_read_ending_inside_the_length_prefix_waits_for_the_rest() {
        // the case that makes camel-syslog's Rfc5425FrameDecoder replay frames (CAMEL-NOTES trap 2)
        write("1");
        write("0 <13>hel");
        write("lo!");
        write("5 <13>x");
        assertThat(texts(frames())).containsExactly("<13>hello!", "<13>x");
    }

    @Test
    void a_frame_split_across_reads_is_joined() {
        write("<13>hel");
        assertThat(frames()).isEmpty();
        write("lo\n");
        assertThat(texts(frames())).containsExactly("<13>hello");
    }

    @Test
    void a_multi_line_message_inside_an_octet_counted_frame_stays_whole() {
        write("22 <13>line one\nline two\n");
        assertThat(texts(frames())).containsExactly("<13>line one\nline two\n");
    }

    @Test
    void all_frames_of_one_read_travel_as_one_batch() {
        write("<13>a\n<13>b\n<13>c\n");
        Object first = ch.readInbound();
        assertThat(first).isInstanceOf(FrameBatch.class);
        assertThat(((FrameBatch) first).size()).isEqualTo(3);
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void an_over_long_lf_frame_is_kept_in_flagged_pieces_not_dropped() {
        String longLine = "<13>" + "x".repeat(246);
        write(longLine + "\n<13>next\n");
        List<Frame> f = frames();
        assertThat(f).hasSize(4);
        assertThat(f.get(0).bytes()).hasSize(100);
        assertThat(f.get(0).flags()).isEqualTo(JournalRecord.FLAG_CONTINUES);
        assertThat(f.get(0).startsOversized()).isTrue();
        assertThat(f.get(1).flags()).isEqualTo(JournalRecord.FLAG_CONTINUES | JournalRecord.FLAG_CONTINUATION);
        assertThat(f.get(2).flags()).isEqualTo(JournalRecord.FLAG_CONTINUATION);
        assertThat(String.join("", texts(f.subList(0, 3)))).isEqualTo(longLine);
        assertThat(texts(f.subList(3, 4))).containsExactly("<13>next");
    }

    @Test
    void an_over_long_octet_counted_frame_is_kept_in_flagged_pieces() {
        String body = "<13>" + "y".repeat(196);
        write("200 " + body + "5 <13>z");
        List<Frame> f = frames();
        assertThat(texts(f)).containsExactly(body.substring(0, 100), body.substring(100), "<13>z");
        assertThat(f.get(0).flags()).isEqualTo(JournalRecord.FLAG_CONTINUES);
        assertThat(f.get(1).flags()).isEqualTo(JournalRecord.FLAG_CONTINUATION);
    }

    @Test
    void an_over_long_octet_counted_frame_arriving_in_small_reads_keeps_its_first_piece_as_the_event() {
        // found by the hostile-input test: a read ending before the first piece was whole made it a continuation
        String body = "<13>" + "y".repeat(246);
        write("250 " + body.substring(0, 30));
        write(body.substring(30, 160));
        write(body.substring(160) + "5 <13>z");
        List<Frame> f = frames();
        assertThat(texts(f)).containsExactly(body.substring(0, 100), body.substring(100, 200), body.substring(200), "<13>z");
        assertThat(f.get(0).flags()).isEqualTo(JournalRecord.FLAG_CONTINUES);
        assertThat(f.get(0).startsOversized()).isTrue();
        assertThat(f.get(1).flags()).isEqualTo(JournalRecord.FLAG_CONTINUATION | JournalRecord.FLAG_CONTINUES);
        assertThat(f.get(2).flags()).isEqualTo(JournalRecord.FLAG_CONTINUATION);
    }

    @Test
    void a_garbage_length_prefix_is_read_as_a_line() {
        write("99999999999 not a count\n");
        assertThat(texts(frames())).containsExactly("99999999999 not a count");
    }

    @Test
    void the_last_line_without_lf_is_kept_when_the_sender_closes() {
        // util-linux logger over TCP ends its single message without LF in some modes
        write("<13>a\n<13>tail");
        assertThat(texts(frames())).containsExactly("<13>a");
        ch.finish();
        assertThat(texts(frames())).containsExactly("<13>tail");
    }

    @Test
    void an_octet_counted_frame_cut_short_by_the_sender_is_kept_and_flagged() {
        write("50 <13>short");
        ch.finish();
        List<Frame> f = frames();
        assertThat(texts(f)).containsExactly("<13>short");
        assertThat(f.get(0).flags()).isEqualTo(JournalRecord.FLAG_INCOMPLETE);
    }

    @Test
    void nul_and_blank_separators_between_frames_are_skipped() {
        write("<13>a\n\n\0<13>b\n");
        assertThat(texts(frames())).containsExactly("<13>a", "<13>b");
    }
}
