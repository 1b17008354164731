package studio.grounding.api;

import java.security.Principal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.IssuedToken;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/**
 * User administration (ADMIN only, by the API security chain), including the tokens of worker accounts (accounts
 * whose only role is WORKER): an admin issues and revokes them, so no one signs in as a worker.
 */
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private final UserService users;
    private final ApiTokenService tokens;

    UserController(UserService users, ApiTokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /** Every account, by user name. */
    @GetMapping
    List<ApiJson.User> list() {
        return users.list().stream().map(ApiJson.User::of).toList();
    }

    /** Creates an account (201); 400 if the name is taken or invalid, the password too short or no role given. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ApiJson.User create(@RequestBody ApiJson.NewUser request) {
        if (request.roles() == null || request.roles().isEmpty()) {
            throw new IllegalArgumentException("roles: a user needs at least one role");
        }
        for (int i = 0; i < request.roles().size(); i++) {
            if (request.roles().get(i) == null) {
                throw new IllegalArgumentException("roles[" + i + "]: must be one of "
                        + Arrays.toString(Role.values()) + ", not null");
            }
        }
        return ApiJson.User.of(users.create(request.username(), request.displayName(), request.password(),
                EnumSet.copyOf(request.roles())));
    }

    /** A worker account's tokens; 400 for a human account, 404 for an unknown one. */
    @GetMapping("/{username}/tokens")
    List<ApiJson.Token> workerTokens(@PathVariable String username) {
        return tokens.listForWorker(username).stream().map(ApiJson.Token::of).toList();
    }

    /** Issues a token for a worker account; the answer holds it once (201, no-store). 400 for a human account. */
    @PostMapping("/{username}/tokens")
    ResponseEntity<ApiJson.IssuedTokenJson> issueWorkerToken(Principal caller, @PathVariable String username,
                                                             @RequestBody ApiJson.NewToken request) {
        IssuedToken issued = tokens.issueForWorker(username, request == null ? null : request.name(), caller.getName());
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore())
                .body(new ApiJson.IssuedTokenJson(issued.info().id(), issued.info().name(), issued.info().prefix(),
                        issued.info().createdAt(), issued.plaintext()));
    }

    /** Revokes a worker account's token (204). */
    @DeleteMapping("/{username}/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeWorkerToken(Principal caller, @PathVariable String username, @PathVariable long id) {
        tokens.revokeForWorker(username, id, caller.getName());
    }
}
