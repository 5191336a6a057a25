package dev.wharf.engine.container;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Parses {@code ps} output into Docker's top answer: titles, then rows whose last cell keeps its spaces. */
final class Top {

    record Result(List<String> titles, List<List<String>> processes) {
    }

    private Top() {}

    static Result parse(String psOutput) {
        List<String> lines = psOutput.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return new Result(List.of(), List.of());
        }
        List<String> titles = Arrays.asList(lines.getFirst().trim().split("\\s+"));
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+", titles.size());
            rows.add(List.of(f));
        }
        return new Result(titles, rows);
    }

    /** ps options split as a shell would not: Docker splits {@code ps_args} on spaces. */
    static List<String> args(String psArgs) {
        if (psArgs == null || psArgs.isBlank()) {
            return List.of("-ef");
        }
        return Arrays.asList(psArgs.trim().split("\\s+"));
    }
}
