package studio.grounding.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * 404 problem details for paths under {@code /actuator} and {@code /media} that no endpoint has (an unknown actuator
 * endpoint, an image path with a trailing slash). Every real endpoint there is more specific and wins (the
 * actuator's handler mapping comes before this one); without this, the web UI's catch-all mapping would answer them
 * with the UI's HTML page and 200.
 */
@RestController
class UnknownPathController {

    @RequestMapping({"/actuator/**", "/media/**"})
    void unknown(HttpServletRequest request) {
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No resource at " + request.getRequestURI());
    }
}
