package studio.grounding.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a password must be, wherever one is set (new accounts, password changes, the first administrator): at
 * least {@value #MIN_LENGTH} characters and at most {@value #MAX_BYTES} bytes (bcrypt reads no further), not
 * whitespace only, not one character or a short pattern repeated, not a run of the alphabet, the digits or a
 * keyboard row, not one of the 10,000 most common passwords (the bundled {@code security/common-passwords.txt},
 * also with digits or symbols added before or after, in any letter case), and not the user name. Each problem
 * is one sentence for people; a strong password has none. See docs/adr/0014-login-hardening-and-limits.md.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_BYTES = 72;
    private static final String LIST = "/security/common-passwords.txt";
    private static final String[] RUNS = {"abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl",
            "zxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp"};
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** Every problem of {@code password} for the account {@code username} (may be null); empty when it is fine. */
    public static List<String> problems(String password, String username) {
        List<String> problems = new ArrayList<>();
        if (password == null || password.isEmpty()) {
            problems.add("A password is needed.");
            return problems;
        }
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            problems.add("A password needs at least " + MIN_LENGTH + " characters.");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            problems.add("A password may have at most " + MAX_BYTES + " bytes (UTF-8), about " + MAX_BYTES
                    + " letters without accents.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (password.isBlank()) {
            problems.add("A password cannot be only spaces.");
        } else if (repeated(lower)) {
            problems.add("A password cannot be one character or a short pattern repeated (like aaaa or abab).");
        } else if (run(lower)) {
            problems.add("A password cannot be a run of the alphabet, the digits or a keyboard row "
                    + "(like abcdef, 12345678 or qwerty).");
        }
        String core = stripDigitsAndSymbols(lower);
        if (COMMON.contains(lower) || COMMON.contains(lower.strip()) || (core.length() >= 3 && COMMON.contains(core))) {
            problems.add("This is one of the most common passwords (or one with digits or symbols added): "
                    + "choose another.");
        }
        if (username != null && !username.isBlank()) {
            String name = username.strip().toLowerCase(Locale.ROOT);
            String nameCore = stripDigitsAndSymbols(name);
            if (lower.strip().equals(name) || (!nameCore.isEmpty() && core.equals(nameCore))
                    || new StringBuilder(lower.strip()).reverse().toString().equals(name)) {
                problems.add("A password cannot be the user name.");
            }
        }
        return problems;
    }

    /**
     * @return {@code password}, unchanged
     * @throws WeakPasswordException listing every problem
     */
    public static String require(String password, String username) {
        List<String> problems = problems(password, username);
        if (!problems.isEmpty()) {
            throw new WeakPasswordException(problems);
        }
        return password;
    }

    /** One character or a shorter unit repeated throughout, e.g. "aaaaaaaaaaaa", "abcabcabcabc", "passwordpassword". */
    private static boolean repeated(String s) {
        for (int unit = 1; unit * 2 <= s.length(); unit++) {
            if (s.length() % unit == 0 && s.equals(s.substring(0, unit).repeat(s.length() / unit))) {
                return true;
            }
        }
        return false;
    }

    /** The whole password is a piece of the alphabet, the digits or a keyboard row, forwards or backwards. */
    private static boolean run(String s) {
        for (String run : RUNS) {
            String twice = run + run;
            if (twice.contains(s) || new StringBuilder(twice).reverse().toString().contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static String stripDigitsAndSymbols(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && !Character.isLetter(s.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetter(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("The common password list " + LIST + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    words.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the common password list " + LIST, e);
        }
        return Set.copyOf(words);
    }
}
