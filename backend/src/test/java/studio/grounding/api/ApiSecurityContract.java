package studio.grounding.api;

import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import studio.grounding.api.ApiSecurityTable.Endpoint;

/**
 * The checks of {@link ApiSecurityTable} on each of its rows, for a platform reached by {@link #caller()}: in
 * process ({@link ApiSecurityTest}) or the packaged jar over HTTP ({@code PackagedJarApiSecurityIT}). A subclass
 * builds the table and the caller in its {@code @BeforeAll}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiSecurityContract {

    abstract ApiSecurityTable table();

    abstract ApiSecurityTable.Caller caller();

    Stream<Endpoint> endpoints() {
        return table().endpoints();
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withoutATokenTheAnswerIs401WithABearerChallenge(Endpoint endpoint) throws Exception {
        table().withoutATokenTheAnswerIs401WithABearerChallenge(endpoint, caller());
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void aGarbageRevokedOrDisabledUsersTokenIs401InvalidToken(Endpoint endpoint) throws Exception {
        table().aGarbageRevokedOrDisabledUsersTokenIs401InvalidToken(endpoint, caller());
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void everyRoleBelowTheMinimumIs403(Endpoint endpoint) throws Exception {
        table().everyRoleBelowTheMinimumIs403(endpoint, caller());
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void theMinimumRoleAndEveryHigherOneAreServed(Endpoint endpoint) throws Exception {
        table().theMinimumRoleAndEveryHigherOneAreServed(endpoint, caller());
    }
}
