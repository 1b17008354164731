package studio.grounding.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On the first start (no user at all) creates the account {@code admin} with the ADMIN role. Its password is
 * {@code studio.admin-password} (environment {@code STUDIO_ADMIN_PASSWORD}) when set; otherwise one is generated
 * and printed once to the console (standard output, never to the log). Only the server does this (where people
 * log in), never a CLI run, whose output may well end up in a file.
 */
@Component
@ConditionalOnWebApplication
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminBootstrap implements ApplicationRunner {

    static final String ADMIN_USERNAME = "admin";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserService users;
    private final String configuredPassword;

    AdminBootstrap(UserService users, @Value("${studio.admin-password:}") String configuredPassword) {
        this.users = users;
        this.configuredPassword = configuredPassword;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.anyUser()) {
            return;
        }
        boolean generated = configuredPassword == null || configuredPassword.isEmpty();
        String password = generated ? generatePassword() : checkedConfiguredPassword(configuredPassword);
        try {
            users.create(ADMIN_USERNAME, "Administrator", password, Set.of(Role.ADMIN));
        } catch (IllegalArgumentException e) {
            if (users.find(ADMIN_USERNAME).isPresent()) {
                return; // another process of the platform created it at the same moment
            }
            throw new IllegalStateException("Cannot create the first administrator: " + e.getMessage()
                    + " (check STUDIO_ADMIN_PASSWORD)", e);
        }
        if (generated) {
            printOnce(password);
            log.info("Created the administrator account \"{}\" with a generated password (printed on the console)",
                    ADMIN_USERNAME);
        } else {
            log.info("Created the administrator account \"{}\" with the password from studio.admin-password",
                    ADMIN_USERNAME);
        }
    }

    /**
     * The configured password if the {@link PasswordPolicy} takes it.
     *
     * @throws IllegalStateException naming STUDIO_ADMIN_PASSWORD and every problem, so the first start stops with a
     *                               clear message instead of creating an administrator with a weak password
     */
    static String checkedConfiguredPassword(String configured) {
        List<String> problems = PasswordPolicy.problems(configured, ADMIN_USERNAME);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Cannot create the first administrator: the password in "
                    + "STUDIO_ADMIN_PASSWORD (studio.admin-password) is refused. " + String.join(" ", problems)
                    + " Set a stronger one, or leave it unset to have one generated and printed once.");
        }
        return configured;
    }

    private static void printOnce(String password) {
        System.out.println("""

                ==================================================================
                 Grounding Studio: first start, administrator account created
                   user name: %s
                   password:  %s
                 Shown only this once. Log in and change it, or set
                 STUDIO_ADMIN_PASSWORD before the first start next time.
                ==================================================================
                """.formatted(ADMIN_USERNAME, password));
        System.out.flush();
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
