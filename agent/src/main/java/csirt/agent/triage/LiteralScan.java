package csirt.agent.triage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Which of many literals a text contains, in one pass over the text (Aho-Corasick): the criteria's
 * regex prefilters together, instead of one substring search per criterion and literal, so that
 * the cost per event grows with the text and not with the number of criteria. ASCII transitions
 * out of the root are a table (most characters of a log line lead back to it); the rest are sorted
 * arrays searched by bisection. Immutable once built; safe on any thread.
 */
final class LiteralScan {

    private final char[][] keys;
    private final int[][] next;
    private final int[] fail;
    /** The literal ids that end at each node, its fail chain's included. */
    private final int[][] out;
    private final int[] rootAscii = new int[128];

    LiteralScan(List<String> literals) {
        List<StringBuilder> keyList = new ArrayList<>();
        List<List<Integer>> nextList = new ArrayList<>();
        List<List<Integer>> outList = new ArrayList<>();
        keyList.add(new StringBuilder());
        nextList.add(new ArrayList<>());
        outList.add(new ArrayList<>());
        for (int id = 0; id < literals.size(); id++) {
            String l = literals.get(id);
            int node = 0;
            for (int i = 0; i < l.length(); i++) {
                char ch = l.charAt(i);
                int at = keyList.get(node).indexOf(String.valueOf(ch));
                if (at >= 0) {
                    node = nextList.get(node).get(at);
                } else {
                    keyList.get(node).append(ch);
                    nextList.get(node).add(keyList.size());
                    keyList.add(new StringBuilder());
                    nextList.add(new ArrayList<>());
                    outList.add(new ArrayList<>());
                    node = keyList.size() - 1;
                }
            }
            if (!l.isEmpty()) {
                outList.get(node).add(id);
            }
        }
        int n = keyList.size();
        keys = new char[n][];
        next = new int[n][];
        for (int v = 0; v < n; v++) {
            // sorted by character, for the bisection
            char[] k = keyList.get(v).toString().toCharArray();
            Integer[] order = new Integer[k.length];
            for (int i = 0; i < k.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Character.compare(k[a], k[b]));
            keys[v] = new char[k.length];
            next[v] = new int[k.length];
            for (int i = 0; i < k.length; i++) {
                keys[v][i] = k[order[i]];
                next[v][i] = nextList.get(v).get(order[i]);
            }
        }
        fail = new int[n];
        List<List<Integer>> outs = outList;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int child : next[0]) {
            fail[child] = 0;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int i = 0; i < keys[v].length; i++) {
                char ch = keys[v][i];
                int child = next[v][i];
                int f = fail[v];
                while (f != 0 && step(f, ch) < 0) {
                    f = fail[f];
                }
                int t = step(f, ch);
                fail[child] = t >= 0 && t != child ? t : 0;
                outs.get(child).addAll(outs.get(fail[child]));
                queue.add(child);
            }
        }
        out = new int[n][];
        for (int v = 0; v < n; v++) {
            out[v] = outs.get(v).stream().mapToInt(Integer::intValue).distinct().toArray();
        }
        for (char ch = 0; ch < 128; ch++) {
            int t = step(0, ch);
            rootAscii[ch] = Math.max(t, 0);
        }
    }

    /** The child of {@code v} by {@code ch}, or -1. */
    private int step(int v, char ch) {
        int i = Arrays.binarySearch(keys[v], ch);
        return i >= 0 ? next[v][i] : -1;
    }

    /** Sets in {@code found} the ids (positions in the constructor's list) of the literals {@code text} contains. */
    void scan(String text, BitSet found) {
        int v = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (v == 0) {
                v = ch < 128 ? rootAscii[ch] : Math.max(step(0, ch), 0);
            } else {
                int t;
                while ((t = step(v, ch)) < 0 && v != 0) {
                    v = fail[v];
                }
                if (t < 0) {
                    t = ch < 128 ? rootAscii[ch] : Math.max(step(0, ch), 0);
                }
                v = t;
            }
            int[] o = out[v];
            for (int id : o) {
                found.set(id);
            }
        }
    }
}
