package csirt.agent.cli;

import csirt.agent.util.ControlText;

/**
 * Standard output for text that holds what senders sent (host names, titles, raw lines, notes):
 * every control character but the line breaks the command itself writes is shown as {@code \xNN},
 * so an ESC sequence or a CR in a log line cannot drive the operator's terminal or fake output.
 */
final class Terminal {

    private Terminal() {
    }

    static void println(String s) {
        System.out.println(safe(s));
    }

    static void print(String s) {
        System.out.print(safe(s));
    }

    static void printf(String format, Object... args) {
        System.out.print(safe(String.format(format, args)));
    }

    /** Each line made visible; the line breaks between them stay. */
    static String safe(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '\n') {
                b.append(ControlText.visible(s.substring(start, i)));
                if (i < s.length()) {
                    b.append('\n');
                }
                start = i + 1;
            }
        }
        return b.toString();
    }
}
