package studio.grounding;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Grounding Studio: review and correct grounded captions (GLaMM / GranD_f).
 * The same entry point serves the web platform and runs the CLI jobs.
 */
@SpringBootApplication
public class GroundingStudioApplication {

    public static void main(String[] args) {
        SpringApplication.run(GroundingStudioApplication.class, args);
    }
}
