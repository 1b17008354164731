package studio.grounding.platform;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StudioProperties.class)
class PlatformConfiguration {

    /** Before Spring Security's filter chain (order -100), so that a token check without a database is a 503 too. */
    static final int DATABASE_UNAVAILABLE_FILTER_ORDER = -200;

    @Bean
    FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter(ObjectProvider<DatabaseAvailability> availability) {
        DatabaseAvailability known = availability.getIfAvailable(() -> () -> false);
        FilterRegistrationBean<DatabaseUnavailableFilter> registration =
                new FilterRegistrationBean<>(new DatabaseUnavailableFilter(known));
        registration.setOrder(DATABASE_UNAVAILABLE_FILTER_ORDER);
        return registration;
    }
}
