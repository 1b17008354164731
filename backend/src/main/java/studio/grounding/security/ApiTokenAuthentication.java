package studio.grounding.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** A request authenticated by an API token: the principal is the token's owner, the name their user name. */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final UserAccount user;

    ApiTokenAuthentication(UserAccount user) {
        super(AuthorityUtils.createAuthorityList(user.roles().stream().map(Role::authority).toList()));
        this.user = user;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null; // the token is not kept
    }

    @Override
    public UserAccount getPrincipal() {
        return user;
    }

    @Override
    public String getName() {
        return user.username();
    }
}
