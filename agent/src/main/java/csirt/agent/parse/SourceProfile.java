package csirt.agent.parse;

import java.nio.charset.Charset;
import java.time.ZoneId;

/**
 * How to read what one sender sends, decided by its address before parsing: the charset of its
 * bytes (older Japanese devices send Shift_JIS or EUC-JP) and the time zone of its RFC 3164
 * timestamps, which carry none. Null members mean the agent's defaults.
 */
public record SourceProfile(Charset charset, ZoneId zone) {
}
