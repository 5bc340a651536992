package csirt.agent.util;

/**
 * Control characters in text that came from a sender: seen through when a line is read, shown
 * escaped when it is printed. A file name may hold CR and LF and clamd logs it as it is; a sender
 * may put ESC sequences in a host name. Neither may hide a detection from the criteria, forge a
 * line in a log or a terminal, or break a mail. The journal keeps the bytes as they came.
 */
public final class ControlText {

    private ControlText() {
    }

    /**
     * What a sender's text says once its control characters are taken out, as a reader of the
     * line would see it: C0 controls but TAB (a field separator of LEEF and some products), DEL,
     * C1 controls, U+2028/U+2029, and complete ANSI escape sequences (see {@link #endOfEscape}) are
     * removed. {@code "x.exe\r\nBcc: y"} reads as {@code "x.exeBcc: y"}; a TAG
     * {@code "cla\r\nmd[1]:"} as {@code "clamd[1]:"}. Returns {@code s} itself when there is nothing to remove.
     */
    public static String seeThrough(String s) {
        int first = firstControl(s, false);
        if (first < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        b.append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == 0x1B || ch == 0x9B) {
                i = endOfEscape(s, i);
            } else if (!isControl(ch, false)) {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * The text made safe to print on a terminal, in a log line or a mail: every control character
     * (TAB, CR and LF included) and U+2028/U+2029 as {@code \xNN} or a backslash-u escape, so it shows what
     * was sent and cannot drive the terminal or start a new line.
     */
    public static String visible(String s) {
        return s == null ? null : visible(s, Integer.MAX_VALUE);
    }

    /** As {@link #visible(String)}, cut after {@code max} characters (with "…"). */
    public static String visible(String s, int max) {
        if (s == null) {
            return null;
        }
        if (firstControl(s, true) < 0 && s.length() <= max) {
            return s;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16);
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            if (isControl(ch, true)) {
                b.append(ch <= 0xFF ? String.format("\\x%02X", (int) ch) : String.format("\\u%04X", (int) ch));
            } else {
                b.append(ch);
            }
        }
        if (b.length() >= max && s.length() > max) {
            b.append('…');
        }
        return b.toString();
    }

    private static int firstControl(String s, boolean tabToo) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i), tabToo)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(char ch, boolean tabToo) {
        if (ch < 0x20) {
            return tabToo || ch != '\t';
        }
        return ch >= 0x7F && ch <= 0x9F || ch == '\u2028' || ch == '\u2029';
    }

    /** OSC strings longer than this are not taken as one: only their ESC is removed. */
    private static final int MAX_OSC = 512;

    /**
     * The index of the last character of the escape sequence starting at {@code at} (ESC or CSI),
     * or {@code at} when only the control character itself goes. Only complete, ordinary
     * sequences are taken whole: CSI with digits and ';' and a letter as its final byte (colours,
     * cursor moves, ECMA-48), and OSC ended by BEL or ESC \ (window titles). Anything else loses
     * just its ESC or CSI: a sequence left open in a file name must not swallow the ": NAME FOUND"
     * that clamd writes after it.
     */
    private static int endOfEscape(String s, int at) {
        int i = at + 1;
        if (s.charAt(at) == 0x9B || i >= s.length()) {
            // the one-character CSI: UTF-8 terminals show it as nothing and run no sequence after it
            return at;
        }
        char next = s.charAt(i);
        if (next == ']') {
            for (int j = i + 1; j < s.length() && j <= i + MAX_OSC; j++) {
                char c = s.charAt(j);
                if (c == 0x07) {
                    return j;
                }
                if (c == 0x1B) {
                    return j + 1 < s.length() && s.charAt(j + 1) == '\\' ? j + 1 : at;
                }
            }
            return at;
        }
        if (next != '[') {
            return at;
        }
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c >= '0' && c <= '9' || c == ';' || c == '?') {
                continue;
            }
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' ? j : at;
        }
        return at;
    }
}
