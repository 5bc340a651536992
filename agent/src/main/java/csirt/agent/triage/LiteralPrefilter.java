package csirt.agent.triage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cheap necessary condition for a regular expression: literals of which a matching text must
 * contain at least one. Derived only for simple shapes (a leading alternation whose branches each
 * begin with a literal of three or more characters, or a leading literal, or leading lookaheads
 * {@code (?=.*X)} of such shapes, each of which must then hold); for anything else there is no
 * prefilter and the regex always runs. Most criteria regexes fail on most lines, and a
 * substring search is several times cheaper than the regex engine.
 */
public record LiteralPrefilter(List<String> literals, boolean caseInsensitive, List<List<String>> alsoNeeded, String[][] groups) {

    /**
     * {@code groups}: the literals and each further group as arrays, the form {@link #mayMatch}
     * runs over (for most criteria on every event; array loops cost less than list iterators).
     */
    public LiteralPrefilter(List<String> literals, boolean caseInsensitive, List<List<String>> alsoNeeded) {
        this(literals, caseInsensitive, alsoNeeded, arrays(literals, alsoNeeded));
    }

    private static String[][] arrays(List<String> literals, List<List<String>> alsoNeeded) {
        String[][] g = new String[1 + alsoNeeded.size()][];
        g[0] = literals.toArray(new String[0]);
        for (int i = 0; i < alsoNeeded.size(); i++) {
            g[i + 1] = alsoNeeded.get(i).toArray(new String[0]);
        }
        return g;
    }

    private static final String META = "\\^$.|?*+()[]{}";
    /** Shortest literal worth testing for: two characters ("c2") still rule out most lines, and any prefilter beats none. */
    private static final int MIN = 2;

    /** True when {@code text} contains one of the literals of every group (lower-cased text when case-insensitive). */
    public boolean mayMatch(String text) {
        for (String[] group : groups) {
            if (!containsAny(text, group)) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsAny(String text, String[] literals) {
        for (String l : literals) {
            if (text.contains(l)) {
                return true;
            }
        }
        return false;
    }

    /** The prefilter of {@code regex}, or null when its shape is not one this understands. */
    public static LiteralPrefilter derive(String regex) {
        String p = regex;
        boolean ci = false;
        if (p.startsWith("(?i)")) {
            ci = true;
            p = p.substring(4);
        }
        if (p.startsWith("^")) {
            p = p.substring(1);
        }
        List<List<String>> needed = new ArrayList<>();
        // Leading lookaheads (?=.*X) or (?=.*?X): each X must occur somewhere in the text.
        while (p.startsWith("(?=.*")) {
            int close = closing(p, 0);
            if (close < 0) {
                return null;
            }
            String inner = p.substring(5, close);
            if (inner.startsWith("?")) {
                inner = inner.substring(1);
            }
            if (inner.startsWith("\\b")) {
                inner = inner.substring(2);
            }
            List<String> l = leading(inner);
            if (l != null && !l.isEmpty()) {
                needed.add(l);
            }
            p = p.substring(close + 1);
        }
        List<String> out = p.isEmpty() ? null : leading(p);
        if (out != null && !out.isEmpty()) {
            needed.add(0, out);
        }
        if (needed.isEmpty()) {
            return null;
        }
        List<List<String>> all = new ArrayList<>();
        for (List<String> l : needed) {
            List<String> copy = new ArrayList<>(l);
            if (ci) {
                copy.replaceAll(s -> s.toLowerCase(Locale.ROOT));
            }
            all.add(List.copyOf(copy));
        }
        return new LiteralPrefilter(all.get(0), ci, List.copyOf(all.subList(1, all.size())));
    }

    /** Literals one of which starts every match of {@code p}, or null. */
    private static List<String> leading(String p) {
        if (p.isEmpty()) {
            return null;
        }
        if (p.startsWith("\\b")) {
            p = p.substring(2); // a word boundary takes no characters
            if (p.isEmpty()) {
                return null;
            }
        }
        if (p.charAt(0) == '(') {
            int close = closing(p, 0);
            if (close < 0 || (close + 1 < p.length() && "?*{".indexOf(p.charAt(close + 1)) >= 0)) {
                return null; // an optional group proves nothing
            }
            String inner = p.substring(1, close);
            if (inner.startsWith("?")) {
                if (inner.startsWith("?:")) {
                    inner = inner.substring(2);
                } else if (inner.startsWith("?<") && !inner.startsWith("?<=") && !inner.startsWith("?<!")) {
                    inner = inner.substring(inner.indexOf('>') + 1);
                } else {
                    return null; // lookaround or flags
                }
            }
            List<String> out = new ArrayList<>();
            for (String branch : branches(inner)) {
                List<String> l = leading(branch);
                if (l == null) {
                    return null;
                }
                out.addAll(l);
            }
            return out;
        }
        String lit = literalPrefix(p);
        return lit == null || lit.length() < MIN ? null : new ArrayList<>(List.of(lit));
    }

    private static String literalPrefix(String p) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            String piece;
            int next;
            if (c == '\\') {
                if (i + 1 >= p.length()) {
                    return null;
                }
                char e = p.charAt(i + 1);
                if (e == 'b' && b.length() == 0) {
                    i += 2; // a word boundary at the start takes no characters
                    continue;
                }
                if (Character.isLetterOrDigit(e)) {
                    break; // \S, \d, \w, \b, \Q... : not a literal
                }
                piece = String.valueOf(e);
                next = i + 2;
            } else if (META.indexOf(c) >= 0) {
                break;
            } else {
                piece = String.valueOf(c);
                next = i + 1;
            }
            if (next < p.length() && "?*{".indexOf(p.charAt(next)) >= 0) {
                if (b.length() == 0 && p.charAt(next) != '{') {
                    // an optional first character ("d?dos"): every match still contains what follows it
                    i = next + 1;
                    if (i < p.length() && p.charAt(i) == '?') {
                        i++; // a lazy quantifier
                    }
                    continue;
                }
                break; // this character is optional
            }
            b.append(piece);
            i = next;
        }
        return b.toString();
    }

    private static List<String> branches(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    private static int closing(String s, int open) {
        int depth = 0;
        boolean inClass = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
