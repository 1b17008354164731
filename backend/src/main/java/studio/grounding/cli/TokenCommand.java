package studio.grounding.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.IssuedToken;

@Command(name = "token", description = "Personal API tokens, on the server's host (same database as the server).",
        mixinStandardHelpOptions = true, subcommands = TokenCommand.Create.class)
class TokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issue a new API token for a user and print it alone on stdout (shown once; only its hash "
                    + "is stored). Use it as 'Authorization: Bearer <token>'.")
    static class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;
        @Option(names = "--user", required = true, description = "the user the token authenticates as")
        String user;
        @Option(names = "--name", required = true, description = "what the token is for, 1 to 100 characters")
        String name;

        private final ApiTokenService tokens;

        Create(ApiTokenService tokens) {
            this.tokens = tokens;
        }

        @Override
        public Integer call() {
            IssuedToken issued = tokens.issue(user, name);
            PrintWriter err = spec.commandLine().getErr();
            err.printf("Issued API token #%d \"%s\" (%s…) for %s%n", issued.info().id(), issued.info().name(),
                    issued.info().prefix(), user);
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println(issued.plaintext());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
