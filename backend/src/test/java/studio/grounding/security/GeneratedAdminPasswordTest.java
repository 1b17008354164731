package studio.grounding.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;

/** The first start without a configured password generates one and prints it once, to the console, not the log. */
@StudioIntegrationTest
@TestPropertySource(properties = "studio.admin-password=")
@ExtendWith(OutputCaptureExtension.class)
class GeneratedAdminPasswordTest {

    private static final Pattern PRINTED = Pattern.compile("password: +(\\S+)");

    @Autowired
    UserService users;
    @Autowired
    UserDetailsService userDetails;
    @Autowired
    PasswordEncoder passwordEncoder;
    @Autowired
    AdminBootstrap bootstrap;

    @Test
    void generatesAPasswordAndPrintsItOnceToTheConsoleNotTheLog(CapturedOutput output) {
        Matcher printed = PRINTED.matcher(output.getOut());
        assertThat(printed.find()).as("the banner with the generated password").isTrue();
        String password = printed.group(1);
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(users.find("admin").orElseThrow().roles()).containsExactly(Role.ADMIN);
        assertThat(AdminBootstrapTest.login(userDetails, passwordEncoder, "admin", password).isAuthenticated()).isTrue();

        bootstrap.run(new DefaultApplicationArguments()); // a restart: users exist, nothing is printed
        assertThat(output.getAll().split(Pattern.quote(password), -1)).hasSize(2);
        assertThat(output.getAll().lines().filter(line -> line.contains(password)))
                .singleElement().asString().doesNotContain("INFO").doesNotContain("WARN");
    }
}
