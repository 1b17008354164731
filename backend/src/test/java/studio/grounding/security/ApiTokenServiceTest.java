package studio.grounding.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.StudioIntegrationTest;

@StudioIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
// the feature's own INFO logs must be on, to prove they carry no secret
@TestPropertySource(properties = "logging.level.studio.grounding.security=INFO")
class ApiTokenServiceTest {

    @Autowired
    ApiTokenService tokens;
    @Autowired
    UserService users;
    @Autowired
    JdbcClient jdbc;

    private final String run = Long.toString(System.nanoTime(), 36);

    @Test
    void anIssuedTokenAuthenticatesItsOwnerUntilRevoked() {
        UserAccount frank = users.create("frank-" + run, "Frank", "long enough, really", Set.of(Role.CURATOR));
        IssuedToken issued = tokens.issue(frank.username(), " training notebook ");

        assertThat(issued.plaintext()).matches("gs_[A-Za-z0-9_-]{43}");
        assertThat(issued.info().name()).isEqualTo("training notebook");
        assertThat(issued.info().prefix()).hasSize(10).isEqualTo(issued.plaintext().substring(0, 10));
        assertThat(issued.info().active()).isTrue();
        assertThat(issued.toString()).doesNotContain(issued.plaintext());
        assertThat(tokens.list(frank.username())).containsExactly(issued.info());

        assertThat(tokens.authenticate(issued.plaintext())).contains(frank);
        assertThat(tokens.list(frank.username()).getFirst().lastUsedAt()).isNotNull();
        assertThat(jdbc.sql("select token_hash from api_tokens where id = :id").param("id", issued.info().id())
                .query(String.class).single()).isEqualTo(ApiTokenService.sha256Hex(issued.plaintext()));

        tokens.revoke(frank.username(), issued.info().id());
        assertThat(tokens.authenticate(issued.plaintext())).isEmpty();
        assertThat(tokens.list(frank.username()).getFirst().revokedAt()).isNotNull();
        tokens.revoke(frank.username(), issued.info().id()); // again: nothing changes
    }

    @Test
    void tokensAreDistinctAndOnlyTheOwnerRevokesThem() {
        users.create("gina-" + run, "Gina", "long enough, really", Set.of(Role.ANNOTATOR));
        users.create("hal-" + run, "Hal", "long enough, really", Set.of(Role.ANNOTATOR));
        IssuedToken first = tokens.issue("gina-" + run, "one");
        IssuedToken second = tokens.issue("gina-" + run, "two");

        assertThat(first.plaintext()).isNotEqualTo(second.plaintext());
        assertThat(tokens.list("gina-" + run)).extracting(ApiTokenInfo::id)
                .containsExactly(second.info().id(), first.info().id());
        assertThatThrownBy(() -> tokens.revoke("hal-" + run, first.info().id())).isInstanceOf(UnknownTokenException.class);
        assertThat(tokens.authenticate(first.plaintext())).isPresent();
        assertThatThrownBy(() -> tokens.issue("nobody-" + run, "x")).isInstanceOf(UnknownUserException.class);
    }

    @Test
    void malformedOrUnknownTokensAuthenticateNobody() {
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate("gs_short")).isEmpty();
        assertThat(tokens.authenticate("gs_" + "A".repeat(43))).isEmpty();
        assertThat(tokens.authenticate("x".repeat(100_000))).isEmpty();
    }

    @Test
    void noSecretIsEverLogged(CapturedOutput output) {
        users.create("ivy-" + run, "Ivy", "a secret password", Set.of(Role.ANNOTATOR));
        users.changePassword("ivy-" + run, "another secret password");
        IssuedToken issued = tokens.issue("ivy-" + run, "logged?");
        tokens.authenticate(issued.plaintext());
        tokens.revoke("ivy-" + run, issued.info().id());

        assertThat(output.getAll()).contains("ivy-" + run)
                .doesNotContain("a secret password").doesNotContain("another secret password")
                .doesNotContain(issued.plaintext()).doesNotContain(ApiTokenService.sha256Hex(issued.plaintext()));
    }
}
