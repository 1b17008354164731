package studio.grounding;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import studio.grounding.cli.StudioCli;

/**
 * Grounding Studio: review and correct grounded captions (GLaMM / GranD_f).
 * The same entry point serves the web platform ({@code serve}, the default) and runs the CLI jobs
 * ({@code import ...}, {@code export ...}).
 */
@SpringBootApplication
public class GroundingStudioApplication {

    public static void main(String[] args) {
        if (StudioCli.handles(args)) {
            System.exit(StudioCli.run(GroundingStudioApplication.class, args));
        }
        String[] serverArgs = args.length > 0 && args[0].equals("serve") ? Arrays.copyOfRange(args, 1, args.length) : args;
        SpringApplication.run(GroundingStudioApplication.class, serverArgs);
    }
}
