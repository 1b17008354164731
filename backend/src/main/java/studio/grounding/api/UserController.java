package studio.grounding.api;

import java.util.EnumSet;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import studio.grounding.security.UserService;

/** User administration (ADMIN only, by the API security chain). */
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
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
            throw new IllegalArgumentException("A user needs at least one role");
        }
        return ApiJson.User.of(users.create(request.username(), request.displayName(), request.password(),
                EnumSet.copyOf(request.roles())));
    }
}
