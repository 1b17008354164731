package studio.grounding.api;

import java.security.Principal;
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

/** The caller's own API tokens: list, issue (the token is in the answer once), revoke. */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {

    private final ApiTokenService tokens;

    TokenController(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    /** The caller's tokens, newest first, revoked ones included. */
    @GetMapping
    List<ApiJson.Token> list(Principal caller) {
        return tokens.list(caller.getName()).stream().map(ApiJson.Token::of).toList();
    }

    /** Issues a token for the caller; the answer holds the token, which is not shown again (201, no-store). */
    @PostMapping
    ResponseEntity<ApiJson.IssuedTokenJson> issue(Principal caller, @RequestBody ApiJson.NewToken request) {
        IssuedToken issued = tokens.issue(caller.getName(), request == null ? null : request.name());
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore())
                .body(new ApiJson.IssuedTokenJson(issued.info().id(), issued.info().name(), issued.info().prefix(),
                        issued.info().createdAt(), issued.plaintext()));
    }

    /** Revokes one of the caller's tokens (204); 404 if the caller has no token of that id. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(Principal caller, @PathVariable long id) {
        tokens.revoke(caller.getName(), id);
    }
}
