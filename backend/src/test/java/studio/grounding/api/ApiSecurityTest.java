package studio.grounding.api;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Security of every endpoint under {@code /api} and {@code /media}, from one table ({@link ApiSecurityTable}), in
 * process with MockMvc: 401 without a token, 401 with a garbage, revoked or disabled user's token, 403 for each role
 * below the endpoint's minimum, and success for the minimum role and every role above it.
 * {@link #everyMappedEndpointIsInTheTable()} fails for an endpoint that is not in the table, so a new endpoint
 * cannot go without security coverage: add its row. The frontend module runs the same table against the packaged
 * jar ({@code PackagedJarApiSecurityIT}).
 */
@ApiTest
class ApiSecurityTest extends ApiSecurityContract {

    @Autowired
    WebApplicationContext context;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    ApiSecurityTable table;
    ApiSecurityTable.Caller caller;

    @BeforeAll
    void data() {
        table = new ApiSecurityTable(context);
        caller = ApiSecurityTable.mockMvc(table.fx.mvc);
    }

    @Override
    ApiSecurityTable table() {
        return table;
    }

    @Override
    ApiSecurityTable.Caller caller() {
        return caller;
    }

    @Test
    void everyMappedEndpointIsInTheTable() {
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingInfo mapping : handlerMapping.getHandlerMethods().keySet()) {
            Set<String> methods = mapping.getMethodsCondition().getMethods().isEmpty()
                    ? Set.of("GET")
                    : new TreeSet<>(mapping.getMethodsCondition().getMethods().stream().map(Enum::name).toList());
            for (String pattern : mapping.getPatternValues()) {
                if (pattern.startsWith("/api") || pattern.startsWith("/media")) {
                    methods.forEach(m -> mapped.add(m + " " + pattern));
                }
            }
        }
        table.covers(mapped, "the backend's request mappings");
    }
}
