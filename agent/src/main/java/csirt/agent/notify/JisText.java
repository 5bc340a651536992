package csirt.agent.notify;

/**
 * Makes text encodable in ISO-2022-JP (JIS X 0208), which old mail clients need: characters it
 * lacks but the plan uses (circled numbers ①..⑳ for its sub-steps, the wave dash) are written
 * the way JIS can show them instead of turning into '?'.
 */
final class JisText {

    private JisText() {
    }

    static String safe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '\u2460' && c <= '\u2473') {
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
