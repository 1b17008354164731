package studio.grounding.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The password policy: common and trivial passwords refused with one sentence per problem, strong ones taken. */
class PasswordPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"password", "12345678", "        ", "passwordpassword", "Password1234", "P@ssw0rd",
            "iloveyou!!!!", "123456789012", "987654321098", "abcdefghijklm", "ZYXWVUTSRQPO", "qwertyuiopqw",
            "aaaaaaaaaaaaaaaa", "abababababababab", "abcabcabcabcabc", "            ", "\t\t\t\t\t\t\t\t\t\t\t\t",
            "!!dragon2024!!", "monkey-123456"})
    void refusesCommonAndTrivialPasswords(String weak) {
        assertThat(PasswordPolicy.problems(weak, "someone")).as(weak).isNotEmpty();
        assertThatThrownBy(() -> PasswordPolicy.require(weak, "someone")).isInstanceOf(WeakPasswordException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery", "tulip-ledger-42", "admin-test-password", "Zq8#mW2!pL9@vR",
            "through the looking glass", "ünïcödé pässwörd"})
    void takesStrongPasswords(String strong) {
        assertThat(PasswordPolicy.problems(strong, "someone")).as(strong).isEmpty();
        assertThat(PasswordPolicy.require(strong, "someone")).isEqualTo(strong);
    }

    @Test
    void everyProblemIsOneSentenceOnce() {
        assertThat(PasswordPolicy.problems("password", null)).containsExactly(
                "A password needs at least 12 characters.",
                "This is one of the most common passwords (or one with digits or symbols added): choose another.");
        assertThat(PasswordPolicy.problems("        ", null)).containsExactly(
                "A password needs at least 12 characters.", "A password cannot be only spaces.");
        assertThat(PasswordPolicy.problems(null, null)).containsExactly("A password is needed.");
        assertThat(PasswordPolicy.problems("é".repeat(40), null)).containsExactly(
                "A password may have at most 72 bytes (UTF-8), about 72 letters without accents.",
                "A password cannot be one character or a short pattern repeated (like aaaa or abab).");
        List<String> problems = PasswordPolicy.problems("x".repeat(5), null);
        assertThat(problems).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).endsWith("."));
    }

    @Test
    void refusesTheUserNameAlsoWithDigitsAddedOrReversed() {
        assertThat(PasswordPolicy.problems("margaret-hale", "margaret-hale")).contains("A password cannot be the user name.");
        assertThat(PasswordPolicy.problems("Margaret-Hale2024", "margaret-hale")).contains("A password cannot be the user name.");
        assertThat(PasswordPolicy.problems("elah-teragram", "margaret-hale")).contains("A password cannot be the user name.");
        assertThat(PasswordPolicy.problems("123456789012345", "123")).doesNotContain("A password cannot be the user name.");
        assertThat(PasswordPolicy.problems("margaret-hale", "john")).isEmpty();
    }

    /** Property: passwords made like the first administrator's generated one always pass. */
    @Test
    void randomPasswordsLikeTheGeneratedOnesAlwaysPass() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[18];
            random.nextBytes(bytes);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertThat(PasswordPolicy.problems(generated, AdminBootstrap.ADMIN_USERNAME)).as(generated).isEmpty();
        }
    }
}
