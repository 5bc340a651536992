package csirt.agent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyslogTlsTest {

    @Test
    void a_wildcard_matches_exactly_one_label() {
        assertThat(SyslogTls.matches("*.example.lg.jp", "fw01.example.lg.jp")).isTrue();
        assertThat(SyslogTls.matches("*.example.lg.jp", "a.fw01.example.lg.jp")).isFalse();
        assertThat(SyslogTls.matches("*.example.lg.jp", "example.lg.jp")).isFalse();
        assertThat(SyslogTls.matches("*.example.lg.jp", "fw01.example.lg.jp.evil.com")).isFalse();
        assertThat(SyslogTls.matches("*.example.lg.jp", "evilexample.lg.jp")).isFalse();
    }

    @Test
    void exact_names_and_addresses_in_any_spelling() {
        assertThat(SyslogTls.matches("fw01.example.lg.jp", "fw01.example.lg.jp")).isTrue();
        assertThat(SyslogTls.matches("fw01.example.lg.jp", "fw02.example.lg.jp")).isFalse();
        assertThat(SyslogTls.matches("::1", "0:0:0:0:0:0:0:1")).isTrue();
        assertThat(SyslogTls.matches("192.0.2.10", "192.0.2.1")).isFalse();
    }
}
