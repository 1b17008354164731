package studio.grounding.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;

/** A weak STUDIO_ADMIN_PASSWORD stops the first start with a clear message; no administrator is created with it. */
@StudioIntegrationTest
@TestPropertySource(properties = "studio.test-context=weak-admin-password")
class WeakAdminPasswordTest {

    @Autowired
    UserService users;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aWeakConfiguredPasswordIsRefusedOnTheFirstStart() {
        // this context's own database: back to a first start without any account
        jdbc.sql("delete from api_tokens").update();
        jdbc.sql("delete from user_roles").update();
        jdbc.sql("delete from users").update();

        for (String weak : new String[] {"password", "12345678", "        ", "admin12345678"}) {
            assertThatThrownBy(() -> new AdminBootstrap(users, weak).run(new DefaultApplicationArguments()))
                    .as(weak).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("STUDIO_ADMIN_PASSWORD").hasMessageContaining("refused");
            assertThat(users.anyUser()).isFalse();
        }
        new AdminBootstrap(users, "a much better admin passphrase").run(new DefaultApplicationArguments());
        assertThat(users.find(AdminBootstrap.ADMIN_USERNAME)).isPresent();
    }
}
