package studio.grounding.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import studio.grounding.evaluation.CorrectionEffort;
import studio.grounding.evaluation.CorrectionEffortService;
import studio.grounding.evaluation.Evaluation;
import studio.grounding.evaluation.EvaluationService;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a model version's predictions against a dataset's human-accepted test items with the "
                + "GCG metrics (mIoU, recall, AP50, BLEU, CIDEr, ROUGE-L), store the result, and print it with the "
                + "model version's correction effort on that dataset: a table, then JSON.")
class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "the dataset whose accepted test items are the ground truth")
    String dataset;

    @Option(names = "--model", required = true, description = "the model version whose revisions are scored")
    String model;

    @Option(names = "--snapshot", description = "score against this snapshot's test split instead of the current "
            + "accepted items")
    Integer snapshot;

    @Option(names = "--json", description = "print only the JSON")
    boolean jsonOnly;

    private final EvaluationService evaluations;
    private final CorrectionEffortService efforts;

    EvaluateCommand(EvaluationService evaluations, CorrectionEffortService efforts) {
        this.evaluations = evaluations;
        this.efforts = efforts;
    }

    @Override
    public Integer call() {
        Evaluation evaluation = evaluations.evaluate(dataset, model, snapshot, "cli");
        CorrectionEffort effort = efforts.effort(model, dataset);
        PrintWriter out = spec.commandLine().getOut();
        if (!jsonOnly) {
            out.print(EvaluationPrinter.table(evaluation, effort));
            out.println();
        }
        out.println(EvaluationPrinter.json(evaluation, effort));
        out.flush();
        return ExitCodes.OK;
    }
}
