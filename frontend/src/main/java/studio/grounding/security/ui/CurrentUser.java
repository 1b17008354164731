package studio.grounding.security.ui;

import com.vaadin.flow.spring.annotation.UIScope;
import com.vaadin.flow.spring.security.AuthenticationContext;
import org.springframework.stereotype.Component;
import studio.grounding.security.UserService;

/** The signed-in user of the current UI, for views that act on the user's own things. */
@Component
@UIScope
public class CurrentUser {

    private final AuthenticationContext authentication;
    private final UserService users;

    CurrentUser(AuthenticationContext authentication, UserService users) {
        this.authentication = authentication;
        this.users = users;
    }

    /** The user name the user signed in with. */
    public String username() {
        return authentication.getPrincipalName()
                .orElseThrow(() -> new IllegalStateException("No user is signed in"));
    }
}
