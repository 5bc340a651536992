package csirt.agent.notify;

import java.nio.charset.Charset;
import java.text.Normalizer;

/**
 * Makes text encodable in ISO-2022-JP (JIS X 0208), which old mail clients need: characters it
 * lacks but the plan uses (circled numbers ①..⑳ for its sub-steps, the wave dash) are written
 * the way JIS can show them instead of turning into '?', and half-width katakana (ﾃｽﾄ, which
 * ISO-2022-JP cannot carry) become full-width (テスト). What is still outside JIS X 0208 after
 * that (髙, emoji) is found by {@link #encodable(String)}: such a notice goes out in UTF-8.
 */
final class JisText {

    private static final Charset JIS = Charset.forName("ISO-2022-JP");

    private JisText() {
    }

    /** Whether ISO-2022-JP carries every character of {@code s} (a '?' in its place would hide a name). */
    static boolean encodable(String s) {
        return JIS.newEncoder().canEncode(s);
    }

    static String safe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '\uFF61' && c <= '\uFF9F') {
                // a run of half-width katakana with its sound marks, made full-width as one (ﾃﾞ is デ)
                int end = i;
                while (end < s.length() && s.charAt(end) >= '\uFF61' && s.charAt(end) <= '\uFF9F') {
                    end++;
                }
                b.append(Normalizer.normalize(s.substring(i, end), Normalizer.Form.NFKC));
                i = end - 1;
            } else if (c >= '\u2460' && c <= '\u2473') {
                b.append('(').append(c - '\u2460' + 1).append(')');
            } else if (c == '\uFF5E') {
                b.append('\u301C');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
