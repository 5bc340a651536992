package csirt.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import csirt.agent.asset.AssetInventory;
import csirt.agent.config.ConfigProblem;
import csirt.agent.journal.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-sender charsets and time zones, declared in assets.yaml and applied by address before parsing. */
class SourceProfilesTest {

    @TempDir
    Path dir;

    private AssetInventory inventory(String yaml, List<ConfigProblem> problems) throws Exception {
        Path f = dir.resolve("assets.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return AssetInventory.load(f, problems);
    }

    private static Event parse(EventParser p, String peer, byte[] bytes) {
        Receipt r = new Receipt(Instant.parse("2026-11-26T09:00:00Z"), "syslog-udp", "udp", peer, 514);
        return p.parse(1, r, bytes, EventParser.Source.SYSLOG);
    }

    @Test
    void shift_jis_and_euc_jp_senders_are_read_in_their_charset_and_others_in_utf8() throws Exception {
        List<ConfigProblem> problems = new ArrayList<>();
        AssetInventory assets = inventory("""
                assets:
                  - host: ups-old
                    aliases: [192.0.2.30]
                    role: ups
                    charset: Shift_JIS
                  - host: rt-old
                    aliases: ["2001:db8::31"]
                    role: network
                    charset: EUC-JP
                    zone: UTC
                """, problems);
        assertThat(problems).isEmpty();
        EventParser p = new EventParser(ZoneId.of("Asia/Tokyo"));
        p.useSources(assets::sourceProfile);
        String line = "<12>Nov 26 18:00:00 ups-old upsd: 商用電源が停止しました";

        Event sjis = parse(p, "192.0.2.30", line.getBytes(Charset.forName("Shift_JIS")));
        assertThat(sjis.message()).isEqualTo("商用電源が停止しました");
        assertThat(sjis.fields()).doesNotContainKey(EventParser.DECODE_ERRORS);

        Event euc = parse(p, "2001:db8:0:0:0:0:0:31", line.replace("ups-old", "rt-old").getBytes(Charset.forName("EUC-JP")));
        assertThat(euc.message()).isEqualTo("商用電源が停止しました");
        assertThat(euc.timestamp()).as("read in the sender's zone, UTC").isEqualTo(Instant.parse("2026-11-26T18:00:00Z"));

        // the same Shift_JIS bytes from an undeclared sender: UTF-8, marked, counted by charset
        Event other = parse(p, "192.0.2.99", line.getBytes(Charset.forName("Shift_JIS")));
        assertThat(other.message()).contains("\uFFFD");
        assertThat(other.fields()).containsEntry(EventParser.DECODE_ERRORS, "UTF-8");
        assertThat(other.timestamp()).as("the default zone, Asia/Tokyo").isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
    }

    @Test
    void a_charset_needs_an_address_and_must_exist() throws Exception {
        List<ConfigProblem> problems = new ArrayList<>();
        inventory("""
                assets:
                  - host: named-only
                    charset: Shift_JIS
                  - host: typo
                    aliases: [192.0.2.40]
                    charset: SJIS-X
                    zone: Tokio
                """, problems);
        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m).contains("list its IP address under aliases"))
                .anySatisfy(m -> assertThat(m).contains("unknown charset 'SJIS-X'"))
                .anySatisfy(m -> assertThat(m).contains("unknown time zone 'Tokio'"));
    }
}
