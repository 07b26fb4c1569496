package dev.netkeeper.kernel;

import java.util.List;
import java.util.stream.Collectors;

/** Several tasks run in order; the first failure stops the rest. */
public record TaskSequence(List<KernelTask> steps) implements KernelTask {
    public TaskSequence {
        steps = List.copyOf(steps);
    }

    @Override
    public void run(KernelContext kernel) {
        for (KernelTask step : steps) {
            step.run(kernel);
        }
    }

    @Override
    public String describe() {
        return steps.stream().map(KernelTask::describe).collect(Collectors.joining("; "));
    }
}
