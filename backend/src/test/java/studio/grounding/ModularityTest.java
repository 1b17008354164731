package studio.grounding;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The feature packages only use each other's public API (root package), without cycles. */
class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(GroundingStudioApplication.class);

    @Test
    void featureBoundariesHold() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }
}
