package studio.grounding.evaluation;

import java.util.Arrays;
import java.util.List;

/**
 * Levenshtein distance (insert, delete, substitute, each cost 1) of characters and of words, and the character
 * alignment it implies: where each character of the old text ended up in the new one.
 */
final class EditDistance {

    private EditDistance() {
    }

    /** Character edits turning {@code a} into {@code b} (UTF-16 units). */
    static int characters(String a, String b) {
        return table(a.length(), b.length(), (i, j) -> a.charAt(i) == b.charAt(j))[a.length()][b.length()];
    }

    /** Word edits turning {@code a} into {@code b}; words are separated by whitespace. */
    static int words(String a, String b) {
        List<String> x = split(a);
        List<String> y = split(b);
        return table(x.size(), y.size(), (i, j) -> x.get(i).equals(y.get(j)))[x.size()][y.size()];
    }

    /**
     * For each character of {@code a}, its position in {@code b} if one minimal edit script keeps it unchanged, or
     * -1 if it is substituted or deleted.
     */
    static int[] alignment(String a, String b) {
        int[][] d = table(a.length(), b.length(), (i, j) -> a.charAt(i) == b.charAt(j));
        int[] map = new int[a.length()];
        Arrays.fill(map, -1);
        int i = a.length();
        int j = b.length();
        while (i > 0 && j > 0) {
            int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
            if (d[i][j] == d[i - 1][j - 1] + cost) {
                map[i - 1] = cost == 0 ? j - 1 : -1;
                i--;
                j--;
            } else if (d[i][j] == d[i - 1][j] + 1) {
                i--;
            } else {
                j--;
            }
        }
        return map;
    }

    private static List<String> split(String s) {
        String stripped = s.strip();
        return stripped.isEmpty() ? List.of() : List.of(stripped.split("\\s+"));
    }

    private interface Same {
        boolean test(int i, int j);
    }

    private static int[][] table(int n, int m, Same same) {
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int sub = d[i - 1][j - 1] + (same.test(i - 1, j - 1) ? 0 : 1);
                d[i][j] = Math.min(sub, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        return d;
    }
}
