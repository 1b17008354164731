package studio.grounding.web.ui;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import studio.grounding.security.LoginThrottle;

/**
 * The form login's password check behind the {@link LoginThrottle}: a locked account or address is refused
 * without checking the password, with the same {@link BadCredentialsException} as a wrong password (the login
 * page shows one message for both, so it tells nobody whether an account exists or is locked); a wrong password
 * or unknown user is counted, a success resets the account's count.
 */
final class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final LoginThrottle throttle;

    ThrottledAuthenticationProvider(AuthenticationProvider passwords, LoginThrottle throttle) {
        this.passwords = passwords;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication login) throws AuthenticationException {
        String username = login.getName();
        String address = login.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        if (throttle.locked(username, address)) {
            throw new BadCredentialsException("Bad credentials");
        }
        try {
            Authentication authenticated = passwords.authenticate(login);
            throttle.succeeded(username, address);
            return authenticated;
        } catch (BadCredentialsException wrong) {
            throttle.failed(username, address);
            throw wrong;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwords.supports(authentication);
    }
}
