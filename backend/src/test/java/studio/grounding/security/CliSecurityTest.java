package studio.grounding.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;

/** A CLI run (no web server) starts without HTTP security and creates no administrator; the services still work. */
@StudioIntegrationTest
@TestPropertySource(properties = "spring.main.web-application-type=none")
class CliSecurityTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    UserService users;
    @Autowired
    UserDetailsService userDetails;

    @Test
    void startsWithoutFilterChainsAndLeavesTheFirstAdministratorToTheServer() {
        assertThat(context.getBeanNamesForType(SecurityFilterChain.class)).isEmpty();
        assertThat(context.getBeanNamesForType(AdminBootstrap.class)).isEmpty();
        assertThat(users.anyUser()).isFalse();
    }
}
