package studio.grounding.web.ui;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * The real login endpoint ({@code POST /login}, Spring Security's form login behind Vaadin's configurer): it needs
 * the CSRF token, and password guessing is stopped per account and per address with the same answer as a wrong
 * password. Each test signs in from its own client address (the lockouts are per address too).
 */
@UiTest
class LoginHardeningTest {

    private static final String PASSWORD = "lotte's long passphrase";
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Autowired
    WebApplicationContext context;
    @Autowired
    UserService users;

    MockMvc mvc;
    String address;
    String user;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
        address = "10.77.0." + ADDRESSES.incrementAndGet();
        user = "lotte-" + Long.toString(System.nanoTime(), 36);
        users.create(user, null, PASSWORD, Set.of(Role.ANNOTATOR));
    }

    @Test
    void aLoginPostWithoutTheCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/login").param("username", user).param("password", PASSWORD)
                        .with(r -> { r.setRemoteAddr(address); return r; }))
                .andExpect(status().isForbidden()).andExpect(unauthenticated());
        mvc.perform(post("/login").param("username", user).param("password", PASSWORD).param("_csrf", "forged")
                        .with(r -> { r.setRemoteAddr(address); return r; }))
                .andExpect(status().isForbidden()).andExpect(unauthenticated());
        login(user, PASSWORD).andExpect(status().is3xxRedirection()).andExpect(authenticated().withUsername(user));
    }

    @Test
    void fiveWrongPasswordsLockTheAccountAndTheRightOneIsRefusedLikeAWrongOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            login(user, "wrong guess number " + i).andExpect(redirectedUrl("/login?error")).andExpect(unauthenticated());
        }
        login(user, PASSWORD).andExpect(redirectedUrl("/login?error")).andExpect(unauthenticated());
        address = "10.78.0." + ADDRESSES.get(); // the account is locked, from any address
        login(user, PASSWORD).andExpect(redirectedUrl("/login?error")).andExpect(unauthenticated());

        // an unknown user name is throttled the same way: no difference tells whether an account exists
        for (int i = 0; i < 6; i++) {
            login("nobody-" + user, "wrong guess").andExpect(redirectedUrl("/login?error")).andExpect(unauthenticated());
        }
        String other = "otto-" + user;
        users.create(other, null, PASSWORD, Set.of(Role.ANNOTATOR));
        login(other, PASSWORD).andExpect(authenticated().withUsername(other));
    }

    @Test
    void aSuccessStartsTheAccountsCountAgain() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                login(user, "wrong guess").andExpect(unauthenticated());
            }
            login(user, PASSWORD).andExpect(authenticated().withUsername(user));
        }
    }

    @Test
    void manyFailuresFromOneAddressLockThatAddressForEveryAccount() throws Exception {
        for (int i = 0; i < 50; i++) {
            login("sprayed-" + i + "-" + user, "Summer2026!").andExpect(unauthenticated());
        }
        login(user, PASSWORD).andExpect(redirectedUrl("/login?error")).andExpect(unauthenticated());
        address = "10.79.0." + ADDRESSES.get();
        login(user, PASSWORD).andExpect(authenticated().withUsername(user));
    }

    private ResultActions login(String username, String password) throws Exception {
        return mvc.perform(post("/login").param("username", username).param("password", password)
                .with(csrf()).with(r -> { r.setRemoteAddr(address); return r; }));
    }
}
