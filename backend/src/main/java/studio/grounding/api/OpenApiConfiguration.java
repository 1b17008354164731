package studio.grounding.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description served at {@code /api/v1/openapi}: the API and its Bearer token scheme. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER_SCHEME = "bearerToken";

    @Bean
    OpenAPI groundingStudioOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Grounding Studio API").version("v1")
                        .description("Read grounded-caption datasets (captions, phrase spans, COCO RLE masks), their "
                                + "history and images; manage your API tokens. Every request needs "
                                + "'Authorization: Bearer <token>'; create a token in the UI or with POST /api/v1/tokens. "
                                + "Roles: ADMIN > CURATOR > REVIEWER > ANNOTATOR; reading needs any role, exports "
                                + "CURATOR, user administration ADMIN. Errors are RFC 9457 problem details."))
                .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("gs_ token")
                        .description("A personal API token (gs_ and 43 base64url characters)")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    }
}
