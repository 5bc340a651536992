package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class NetworkAllowListTest {

    private static boolean permits(String list, String address) throws Exception {
        return NetworkAllowList.parse(list).permits(InetAddress.getByName(address));
    }

    @Test
    void cidr_networks_and_single_addresses_of_both_families() throws Exception {
        String list = "192.168.10.0/24, 10.1.2.3, 172.16.0.0/12, 2001:db8::/32";
        assertThat(permits(list, "192.168.10.255")).isTrue();
        assertThat(permits(list, "192.168.11.0")).isFalse();
        assertThat(permits(list, "10.1.2.3")).isTrue();
        assertThat(permits(list, "10.1.2.4")).isFalse();
        assertThat(permits(list, "172.31.255.1")).isTrue();
        assertThat(permits(list, "172.32.0.1")).isFalse();
        assertThat(permits(list, "2001:db8:ffff::1")).isTrue();
        assertThat(permits(list, "2001:db9::1")).isFalse();
        assertThat(permits(list, "::ffff:192.168.10.7")).as("IPv4-mapped IPv6 is the IPv4 address").isTrue();
    }

    @Test
    void empty_is_anyone_and_zero_prefix_is_everyone_of_that_family() throws Exception {
        assertThat(permits("", "203.0.113.9")).isTrue();
        assertThat(permits("0.0.0.0/0", "203.0.113.9")).isTrue();
        assertThat(permits("0.0.0.0/0", "2001:db8::1")).isFalse();
    }

    @Test
    void host_names_and_bad_prefixes_are_refused_with_the_entry_named() {
        assertThatThrownBy(() -> NetworkAllowList.parse("fw01.example.lg.jp")).hasMessageContaining("'fw01.example.lg.jp' is not a network");
        assertThatThrownBy(() -> NetworkAllowList.parse("10.0.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> NetworkAllowList.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> NetworkAllowList.parse("999.1.1.1")).hasMessageContaining("not a valid IP address");
    }
}
