package studio.grounding.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * The command-line jobs ({@code ./studio import ...}, {@code ./studio export ...}): they start the platform
 * without its web server, against the same database (attaching to the embedded server if the platform is
 * running), do their job and exit with a status code.
 */
public final class StudioCli {

    private static final Set<String> COMMANDS = Set.of("import", "export", "snapshot", "train", "evaluate", "token", "help", "--help",
            "-h");

    private StudioCli() {
    }

    /** Whether these arguments name a CLI job rather than starting the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs a job in a context made from {@code applicationClass}; returns the process exit code. */
    public static int run(Class<?> applicationClass, String[] args) {
        CommandLine usageOnly = commandLine(new ArgumentCheckFactory());
        CommandLine.ParseResult parsed;
        try {
            parsed = usageOnly.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            // usage errors are reported before anything starts
            System.err.println("error: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            return ExitCodes.USAGE;
        }
        if (CommandLine.printHelpIfRequested(parsed) || parsed.subcommand() == null) {
            if (parsed.subcommand() == null && !parsed.isUsageHelpRequested()) {
                usageOnly.usage(System.out);
            }
            return ExitCodes.OK;
        }
        SpringApplication application = jobApplication(applicationClass);
        // stdout is the job's own output (a report, or the token of 'token create' for a script to read): the
        // platform's log lines (Spring, the embedded PostgreSQL) go to stderr while the job runs
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try (ConfigurableApplicationContext context = application.run()) {
            CommandLine commandLine = commandLine(new SpringCommandFactory(context));
            commandLine.setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
            return commandLine.execute(args);
        } finally {
            System.setOut(stdout);
        }
    }

    /**
     * The platform as a job runs it: no web server, quiet logs, attached to the running server's embedded database
     * on the same data directory (or starting it). Tests that drive the packaged jar use it to reach its database.
     */
    public static SpringApplication jobApplication(Class<?> applicationClass) {
        SpringApplication application = new SpringApplication(applicationClass);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of(
                "spring.main.banner-mode", "off",
                // the web UI's auto-configuration needs a web application context; a job has none
                "spring.autoconfigure.exclude", "com.vaadin.flow.spring.SpringBootAutoConfiguration,"
                        + "com.vaadin.flow.spring.SpringSecurityAutoConfiguration,com.vaadin.flow.spring.VaadinScopesConfig",
                "logging.level.root", "WARN",
                // a job shares the database with a running server, whose local training runs are not orphaned
                "studio.training.recover-on-start", "false",
                "logging.level.studio.grounding", "WARN"));
        return application;
    }

    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine commandLine = new CommandLine(new StudioCommand(), factory);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        });
        return commandLine;
    }

    /**
     * Builds the commands without a Spring context, to check the arguments and print help before anything starts:
     * their services are left null (they never run from here).
     */
    private static final class ArgumentCheckFactory implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (!type.getPackageName().equals(StudioCli.class.getPackageName())) {
                return CommandLine.defaultFactory().create(type);
            }
            Constructor<?> constructor = type.getDeclaredConstructors()[0];
            constructor.setAccessible(true);
            return type.cast(constructor.newInstance(new Object[constructor.getParameterCount()]));
        }
    }

    private record SpringCommandFactory(ConfigurableApplicationContext context) implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type.getPackageName().equals(StudioCli.class.getPackageName())) {
                return context.getAutowireCapableBeanFactory().createBean(type);
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
