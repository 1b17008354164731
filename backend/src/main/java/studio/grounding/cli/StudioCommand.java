package studio.grounding.cli;

import picocli.CommandLine.Command;

@Command(name = "studio", mixinStandardHelpOptions = true, version = "Grounding Studio 0.1",
        description = "Grounding Studio: review and correct grounded-caption datasets.%n"
                + "With no command (or 'serve') the platform starts; these commands run a job and exit.",
        subcommands = {ImportCommand.class, ExportCommand.class, SnapshotCommand.class, TrainCommand.class,
                EvaluateCommand.class, TokenCommand.class})
class StudioCommand {
}
