package csirt.agent.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import csirt.agent.asset.Asset;
import csirt.agent.journal.Receipt;
import csirt.agent.parse.AvAction;
import csirt.agent.parse.AvAlert;
import csirt.agent.parse.Event;
import csirt.agent.parse.Format;
import org.junit.jupiter.api.Test;

/**
 * Where a detected file was ({@code av.media}): the product's own word first, then the path,
 * with the Windows drive letters the asset lists as removable, through {@code \\?\} and
 * {@code file:///} prefixes.
 */
class RemovableMediaTest {

    private static final Asset TERMINAL = new Asset("pc-1", List.of(), "terminal", true, "one-user", "normal", "", "", false, true);

    private static String media(String path, Asset asset, Map<String, String> fields) {
        Event e = new Event(1, new Receipt(Instant.EPOCH, "t", "tcp", "192.0.2.1", 1), Format.RFC3164, -1, -1, null, "pc-1", "av", null,
                null, null, "m", "m", null, new AvAlert("p", "Sig", path, AvAction.DETECTED), fields);
        return EventFields.get(e, asset, "av.media");
    }

    @Test
    void without_a_list_any_drive_but_c_is_removable_and_linux_mount_points_are() {
        assertThat(media("C:\\Users\\a\\x.exe", TERMINAL, Map.of())).isEqualTo("fixed");
        assertThat(media("E:\\x.exe", TERMINAL, Map.of())).isEqualTo("removable");
        assertThat(media("\\\\?\\E:\\USB\\x.exe", TERMINAL, Map.of())).isEqualTo("removable");
        assertThat(media("\\\\?\\C:\\Windows\\x.dll", TERMINAL, Map.of())).isEqualTo("fixed");
        assertThat(media("file:///F:/a.exe", TERMINAL, Map.of())).isEqualTo("removable");
        assertThat(media("/media/alice/USB/x", TERMINAL, Map.of())).isEqualTo("removable");
        assertThat(media("/home/alice/x", TERMINAL, Map.of())).isEqualTo("fixed");
        assertThat(media("\\\\fileserver\\share\\x.exe", TERMINAL, Map.of())).isEqualTo("fixed");
        assertThat(media(null, TERMINAL, Map.of())).isEqualTo("fixed");
    }

    @Test
    void the_assets_removable_drives_decide_which_letters_are_removable() {
        Asset withD = TERMINAL.withRemovableDrives("E: F");
        assertThat(media("D:\\data\\x.exe", withD, Map.of())).isEqualTo("fixed");
        assertThat(media("e:\\x.exe", withD, Map.of())).isEqualTo("removable");
        assertThat(media("F:\\x.exe", withD.forHost("pc-2"), Map.of())).isEqualTo("removable");
    }

    @Test
    void the_products_own_word_wins_over_the_path() {
        assertThat(media("D:\\x.tmp", TERMINAL, Map.of(EventFields.PRODUCT_MEDIA, "fixed"))).isEqualTo("fixed");
        assertThat(media("C:\\x.tmp", TERMINAL, Map.of(EventFields.PRODUCT_MEDIA, "removable"))).isEqualTo("removable");
    }
}
