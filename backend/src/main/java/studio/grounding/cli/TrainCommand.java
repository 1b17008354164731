package studio.grounding.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import studio.grounding.training.Launcher;
import studio.grounding.training.NewRun;
import studio.grounding.training.RunInfo;
import studio.grounding.training.RunStatus;
import studio.grounding.training.TrainingService;

@Command(name = "train", description = "Start finetuning runs on a snapshot and follow them.",
        mixinStandardHelpOptions = true, subcommands = {TrainCommand.Start.class, TrainCommand.Status.class})
class TrainCommand {

    static void print(PrintWriter out, RunInfo run) {
        out.printf("run #%d  %s  %s on snapshot %d of %s (%s)  launcher %s%n", run.id(), run.status(), run.baseModel(),
                run.snapshotNumber(), run.dataset(), run.snapshotHash().substring(0, 12), run.launcher());
        out.println("  bundle " + run.bundleDir());
        if (run.launchFile() != null) {
            out.println("  job file " + run.launchFile() + " (submit it on the cluster; the platform reads the outcome back from the bundle)");
        }
        if (run.progress() != null) {
            out.printf("  progress %s/%s%s%s%n", run.progress().step(), run.progress().totalSteps(),
                    run.progress().loss() == null ? "" : "  loss " + run.progress().loss(),
                    run.progress().message() == null ? "" : "  " + run.progress().message());
        }
        if (run.exitCode() != null) {
            out.println("  exit code " + run.exitCode());
        }
        if (run.resultModel() != null) {
            out.println("  new model version " + run.resultModel() + " (#" + run.resultModelId() + ")");
        }
        if (run.error() != null) {
            out.println("  " + run.error().replace("\n", "\n  "));
        }
        out.flush();
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Write the run bundle and launch it. A LOCAL run is a child of this command, which waits "
                    + "for it (so the run does not outlive its supervisor); cluster launchers write the job file and return.")
    static class Start implements Callable<Integer> {

        @Spec
        CommandSpec spec;
        @Option(names = "--base-model", required = true, description = "the base model version's name")
        String baseModel;
        @Option(names = "--dataset", required = true, description = "the dataset")
        String dataset;
        @Option(names = "--snapshot", required = true, description = "the snapshot number")
        int snapshot;
        @Option(names = "--launcher", defaultValue = "LOCAL", description = "LOCAL, KUBERNETES or SLURM (default: ${DEFAULT-VALUE})")
        String launcher;
        @Option(names = {"-H", "--hyperparameter"}, description = "NAME=VALUE, repeatable (e.g. -H epochs=2 -H gpus=4)")
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        @Option(names = "--by", defaultValue = "cli", description = "who starts it (default: ${DEFAULT-VALUE})")
        String by;

        private final TrainingService training;

        Start(TrainingService training) {
            this.training = training;
        }

        @Override
        public Integer call() throws InterruptedException {
            Launcher which;
            try {
                which = Launcher.valueOf(launcher.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--launcher: \"" + launcher + "\" is not LOCAL, KUBERNETES or SLURM");
            }
            RunInfo run = training.start(new NewRun(baseModel, dataset, snapshot, which, hyperparameters), by);
            PrintWriter out = spec.commandLine().getOut();
            print(out, run);
            while (which == Launcher.LOCAL && !run.status().finished()) {
                Thread.sleep(1000);
                run = training.get(run.id());
            }
            if (which == Launcher.LOCAL) {
                print(out, run);
            }
            return run.status() == RunStatus.FAILED ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "A run's status, progress and log tail, or every run")
    static class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;
        @Parameters(arity = "0..1", description = "the run id (all runs if left out)")
        Long id;
        @Option(names = "--log-lines", defaultValue = "20", description = "log lines to show (default: ${DEFAULT-VALUE})")
        int logLines;

        private final TrainingService training;

        Status(TrainingService training) {
            this.training = training;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (id == null) {
                training.list().forEach(run -> print(out, run));
                return ExitCodes.OK;
            }
            RunInfo run = training.get(id);
            print(out, run);
            var logs = training.logs(id, logLines);
            logs.stdout().forEach(l -> out.println("  out| " + l));
            logs.stderr().forEach(l -> out.println("  err| " + l));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
