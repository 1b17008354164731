package studio.grounding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.model.ModelVersionService;
import studio.grounding.prefill.PrefillService;
import studio.grounding.security.Role;

/** The platform's actuator: ADMIN tokens only; Prometheus text with the pre-fill queue gauges; health with the DB. */
@ApiTest
class ActuatorSecurityTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    PrefillService prefill;
    @Autowired
    ModelVersionService models;

    ApiFixture fx;

    @BeforeAll
    void users() {
        fx = new ApiFixture(context);
    }

    @Test
    void onlyAdminsMayReadHealthAndMetrics() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/prometheus", "/actuator"}) {
            fx.mvc.perform(get(path)).andExpect(status().isUnauthorized());
            for (Role role : new Role[] {Role.CURATOR, Role.ANNOTATOR, Role.WORKER}) {
                fx.mvc.perform(get(path).header(HttpHeaders.AUTHORIZATION, fx.bearer(role)))
                        .andExpect(status().isForbidden());
            }
        }
        fx.mvc.perform(get("/actuator/health").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components.db.status").value("UP"));
    }

    @Test
    void prometheusShowsThePrefillQueue() throws Exception {
        DatasetSummary ds = fx.dataset("actuator");
        fx.item(ds, "a.png", 8, 6);
        fx.item(ds, "b.png", 8, 6);
        long before = queued(scrape());
        Thread.sleep(5_100);   // the gauges read the database at most every 5 s
        prefill.queue(ds.id(), models.getOrCreate("glamm-actuator").id(), null, "test", 0);
        Thread.sleep(5_100);
        String text = scrape();
        assertThat(queued(text)).isEqualTo(before + 2);
        assertThat(text).contains("studio_prefill_expired_leases").contains("jvm_memory_used_bytes");
    }

    private String scrape() throws Exception {
        return fx.mvc.perform(get("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, fx.bearer(Role.ADMIN)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private static long queued(String text) {
        Matcher m = Pattern.compile("(?m)^studio_prefill_jobs\\{status=\"QUEUED\"} (\\S+)$").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
